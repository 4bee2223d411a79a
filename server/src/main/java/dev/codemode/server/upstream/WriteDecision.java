package dev.codemode.server.upstream;

/**
 * May this request run: the one answer, made by {@link Policy#decide} for every request a script sends and every
 * redirect the gateway would follow.
 *
 * <pre>{@code
 * WriteDecision d = policy.decide(attempt);
 * if (d instanceof WriteDecision.Refuse r) fail(r.reason());
 * else if (d instanceof WriteDecision.Confirm c) askTheHuman(c.prompt());   // then send
 * else send();
 * }</pre>
 */
public sealed interface WriteDecision {

  /** Runs as it is: a read, or a write the operator allowed (--allow-writes). */
  record Allow() implements WriteDecision {}

  /** Runs only once the human said yes to {@code prompt}. */
  record Confirm(WritePrompt prompt) implements WriteDecision {}

  /**
   * Never runs.
   *
   * @param rule   which rule refused it
   * @param reason what the model reads: what was refused, why, and what to do
   */
  record Refuse(Rule rule, String reason) implements WriteDecision {}

  /** The rules that refuse, in the order {@link Policy#decide} applies them. */
  enum Rule {
    /** A redirect of a write: the consent covered one method on one path. */
    REDIRECTED_WRITE,
    /** A header, query parameter or body field that asks the upstream to run another method or path. */
    METHOD_OVERRIDE,
    /** {@code --read-only} and a write. */
    READ_ONLY,
    /** The operation is on the deny list. */
    DENIED,
    /** A write that matches no documented operation while a deny list is in force. */
    UNMATCHED_WRITE,
    /** The operation (or the unmatched request) is not on the allow list. */
    NOT_ALLOWED
  }

  Allow ALLOW = new Allow();
}
