package dev.codemode.server.skills;

import dev.codemode.server.config.StoreLocation;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Where skills live: every version of every skill, with its run statistics. Implementations must be thread-safe and
 * safe to share between server instances (two instances saving one name at once both succeed, with distinct
 * versions). Errors are {@link SkillStoreException}s whose message is safe to show the model.
 *
 * <pre>{@code
 * try (SkillStore store = JdbcSkillStore.open(StoreLocation.sqlite(dir))) {
 *   Skill s = store.save(new SkillStore.Draft("Demo Store", "user:ann", "topCustomers", "...", "{}", "return 1", "user:ann"));
 * }
 * }</pre>
 */
public interface SkillStore extends AutoCloseable {

  /** A skill to save; the store assigns the version and the time. */
  record Draft(String api, String owner, String name, String description, String params, String code,
      String createdBy) {}

  /** Saves a new version (1 when the name is new) and returns it. */
  Skill save(Draft draft);

  /**
   * The latest version of {@code name} among {@code owners}, the first owner that has one winning (so one's own skill
   * shadows a published one of the same name); or that exact version when {@code version > 0}.
   */
  Optional<Skill> find(String api, List<String> owners, String name, int version);

  /** Every version of one skill, oldest first, without statistics of other versions. */
  List<Skill> versions(String api, String owner, String name);

  /**
   * The latest version of each skill of {@code apis} (all APIs when null) and {@code owners} (all when null), with
   * the statistics summed over all its versions. Code is left out when {@code withCode} is false.
   */
  List<Skill> latest(Collection<String> apis, Collection<String> owners, boolean withCode);

  /**
   * A short text that changes whenever {@link #latest} of the same arguments would change (a save, a removal, a
   * run), and is much cheaper to get: callers cache the listing against it.
   */
  String fingerprint(Collection<String> apis, Collection<String> owners);

  /** Removes one version, or all of them when {@code version <= 0}; returns how many were removed. */
  int remove(String api, String owner, String name, int version);

  /** Counts one run of a version. */
  void recordRun(String api, String owner, String name, int version, boolean ok, long millis);

  /** Where the store is, for messages (never a password). */
  String describe();

  @Override
  void close();
}
