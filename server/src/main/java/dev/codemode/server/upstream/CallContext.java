package dev.codemode.server.upstream;

import reactor.core.publisher.Mono;

/**
 * What one execution lends the gateway: a way to ask a human before a write, and a sink for the record of each
 * upstream call (progress, audit, stats). Implemented per execution by the execute tool; must be thread-safe.
 */
public interface CallContext {

  /**
   * Completes empty when the write may go ahead; errors with an {@link UpstreamException} that says why not and how to
   * enable writes otherwise.
   */
  Mono<Void> confirmWrite(String api, String method, String path, String operationId, String bodySummary);

  /** Called once per upstream call, after it ended. */
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
    public Mono<Void> confirmWrite(String api, String method, String path, String operationId, String bodySummary) {
      return Mono.empty();
    }

    @Override
    public void record(CallRecord call) {}
  };
}
