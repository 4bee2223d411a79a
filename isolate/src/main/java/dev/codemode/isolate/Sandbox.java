package dev.codemode.isolate;

import java.util.concurrent.CompletableFuture;

/**
 * Runs untrusted JavaScript with no host access but {@link HostBridge}. Each execution gets a fresh context: nothing
 * survives from one to the next. Implementations are thread-safe and bound how many executions run at once.
 *
 * <pre>{@code
 * try (Sandbox sandbox = Sandboxes.inProcess(SandboxConfig.defaults())) {
 *   ExecutionResult r = sandbox.execute(new ExecutionRequest("return 1 + 1", "", Limits.defaults()), HostBridge.NONE).join();
 * }
 * }</pre>
 *
 * The returned future never completes exceptionally: every failure is an {@link ExecutionResult} with a
 * {@link ExecutionResult.Kind}. Cancelling the future ({@code cancel(true)}) stops the script.
 */
public interface Sandbox extends AutoCloseable {

  CompletableFuture<ExecutionResult> execute(ExecutionRequest request, HostBridge bridge);

  /**
   * A hint that executions with this request's prelude and limits will follow: the sandbox may prepare a fresh
   * context for them while idle (its code is ignored; nothing runs). Each execution still gets its own context.
   */
  default void prepare(ExecutionRequest likely) {}

  /** Stops accepting work and releases the engine / workers. */
  @Override
  void close();
}
