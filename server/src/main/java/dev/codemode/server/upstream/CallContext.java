package dev.codemode.server.upstream;

import dev.codemode.server.approval.Approver;
import reactor.core.publisher.Mono;

/**
 * What one execution lends the gateway: a way to ask a human before a write, and a sink for the record of each
 * upstream call (progress, audit, stats). Implemented per execution by the execute tool; must be thread-safe.
 */
public interface CallContext {

  /**
   * Asks the human whether the write in {@code prompt} may run (the policy said {@link WriteDecision.Confirm}), e.g.
   * {@code approver.ask(prompt.prompt())}. An empty answer counts as declined.
   */
  Mono<Approver.Answer> confirmWrite(WritePrompt prompt);

  /** Called once per upstream call, after it ended (or was cancelled because its execution ended). */
  void record(CallRecord call);

  /** A dry run: reads are sent, writes are not (each is handed to {@link #dryRunWrite} instead). */
  default boolean dryRun() {
    return false;
  }

  /** A write a dry run did not send, in the order the script made them. */
  default void dryRunWrite(DryRunWrite write) {}

  /**
   * What a real run would have sent.
   *
   * @param refusal why the policy would refuse it in a real run, or null
   */
  record DryRunWrite(String api, String operationId, String method, String path,
      com.fasterxml.jackson.databind.JsonNode body, String refusal) {}

  /**
   * Called when the script asks for a call, before any check, wait or confirmation: the audit log sees every call,
   * even one that never finishes.
   */
  default void started(CallStart call) {}

  /**
   * A call as the script asked for it. Never a secret: path only, no query values.
   *
   * @param method null for {@code api.call} of an unknown operation
   * @param path   the spec's path template for {@code api.call}, the script's path for {@code api.request}
   */
  record CallStart(String api, String method, String path, String operationId) {}

  /**
   * One upstream call, as the audit log and the result stats see it. Never a secret: path only, no query values.
   *
   * @param status 0 when the call failed before a response
   * @param url    the URL that answered, without its query (after redirects); null when none did
   */
  record CallRecord(String api, String method, String path, String operationId, int status, long durationMillis,
      long bytesIn, String error, String url) {
    public CallRecord(String api, String method, String path, String operationId, int status, long durationMillis,
        long bytesIn, String error) {
      this(api, method, path, operationId, status, durationMillis, bytesIn, error, null);
    }
  }

  /** A context for tests and the search sandbox: writes allowed, records dropped. */
  CallContext PERMISSIVE = new CallContext() {
    @Override
    public Mono<Approver.Answer> confirmWrite(WritePrompt prompt) {
      return Mono.just(Approver.Answer.APPROVED);
    }

    @Override
    public void record(CallRecord call) {}
  };
}
