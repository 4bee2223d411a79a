package dev.codemode.isolate;

import java.util.concurrent.CompletionStage;

/**
 * The only way out of the sandbox. Inside, scripts (through the prelude) call the global
 * {@code __host(fn, argsJson)}, which returns a Promise of the string this bridge completes with
 * (parsed as JSON by the prelude). A failed stage rejects the promise with an {@code Error} whose message is the
 * exception's message, so messages must be safe to show the script (never a secret).
 *
 * <p>Implemented by the server; may complete on any thread: the sandbox hands completions back to the context's own
 * thread. Must be thread-safe.
 *
 * <pre>{@code
 * HostBridge bridge = (fn, args) -> CompletableFuture.completedFuture("{\"status\":200}");
 * }</pre>
 */
@FunctionalInterface
public interface HostBridge {

  /**
   * @param function a name chosen by the prelude, e.g. "request"
   * @param argsJson JSON text produced in the sandbox by {@code JSON.stringify}; untrusted
   * @return JSON text to hand back to the script
   */
  CompletionStage<String> call(String function, String argsJson);

  /** A bridge that refuses everything (search code runs with no network). */
  HostBridge NONE = (fn, args) -> java.util.concurrent.CompletableFuture.failedFuture(
      new IllegalStateException("no host functions are available here"));
}
