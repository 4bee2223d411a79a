package dev.codemode.server.skills;

import java.util.Objects;

/**
 * One saved version of a skill: a script body the model wrote and saved for reuse, with how it has fared. Immutable.
 *
 * @param api         the API it is for (the spec's title), so it is never offered on another API
 * @param owner       {@code token:NAME}, {@code user:NAME}, or {@link #EVERYBODY} when an operator published it
 * @param name        unique per (api, owner); see {@link SkillRules#NAME}
 * @param version     1, 2, ... per (api, owner, name); saving again adds a version, old ones are kept
 * @param params      a small JSON Schema of {@code args}, as JSON text
 * @param code        the body of an async function of {@code (args, api, apis, skills)}
 * @param createdAt   epoch milliseconds
 * @param createdBy   the identity that saved this version
 */
public record Skill(String api, String owner, String name, int version, String description, String params,
    String code, long createdAt, String createdBy, Stats stats) {

  /** The owner of skills published to every identity. */
  public static final String EVERYBODY = "*";

  public Skill {
    Objects.requireNonNull(api, "api");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(name, "name");
    stats = stats == null ? Stats.NONE : stats;
  }

  /**
   * How a version has fared when run.
   *
   * @param lastUsed epoch milliseconds of the last run, 0 when never run
   */
  public record Stats(long runs, long successes, long failures, long lastUsed, long totalMillis) {
    public static final Stats NONE = new Stats(0, 0, 0, 0, 0);

    public long meanMillis() {
      return runs == 0 ? 0 : totalMillis / runs;
    }

    public Stats plus(Stats o) {
      return new Stats(runs + o.runs, successes + o.successes, failures + o.failures, Math.max(lastUsed, o.lastUsed),
          totalMillis + o.totalMillis);
    }

    /** Laplace-smoothed success rate: 0.5 for a skill never run, towards 1 for one that keeps working. */
    public double reliability() {
      return (successes + 1.0) / (runs + 2.0);
    }
  }
}
