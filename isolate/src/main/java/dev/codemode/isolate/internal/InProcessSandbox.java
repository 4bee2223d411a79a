package dev.codemode.isolate.internal;

import dev.codemode.isolate.ExecutionRequest;
import dev.codemode.isolate.ExecutionResult;
import dev.codemode.isolate.ExecutionResult.Kind;
import dev.codemode.isolate.HostBridge;
import dev.codemode.isolate.Limits;
import dev.codemode.isolate.Sandbox;
import dev.codemode.isolate.SandboxConfig;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs scripts in this JVM: one shared GraalJS engine, a fresh context per execution, a fixed pool of
 * {@code maxConcurrent} script threads (each with a deep stack) fed by a queue bounded at {@code maxQueued}; beyond
 * that {@link Kind#BUSY}. Thread-safe.
 *
 * <pre>{@code
 * try (Sandbox s = new InProcessSandbox(SandboxConfig.defaults())) { s.execute(request, bridge).join(); }
 * }</pre>
 */
public final class InProcessSandbox implements Sandbox {
  private static final Logger log = LoggerFactory.getLogger(InProcessSandbox.class);
  /** Java stack for script threads: deep enough that the frame limit, not the JVM, ends deep recursion. */
  private static final long SCRIPT_THREAD_STACK = 64L << 20;
  /** Kinds of execution (prelude and limits) with a spare context: a server's {@code execute} and its search scripts. */
  private static final int SPARE_KINDS = 2;

  private final SandboxConfig config;
  private final JsEngine js;
  private final Watchdog watchdog;
  /** Contexts prepared while idle for the next executions (one per prelude and limits, two kinds at most). */
  private final Spares spares;
  private final ExecutorService threads;
  private final Semaphore admitted;
  /** Threads still stuck in an execution that was already answered (a builtin that ignores cancellation). */
  private final AtomicInteger zombies = new AtomicInteger();
  private volatile boolean closed;

  public InProcessSandbox(SandboxConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    if (config.maxConcurrent() < 1 || config.maxQueued() < 0) {
      throw new IllegalArgumentException("config: maxConcurrent must be >= 1 and maxQueued >= 0, got " + config);
    }
    this.js = new JsEngine();
    this.watchdog = new Watchdog();
    this.spares = new Spares(js, SPARE_KINDS, SCRIPT_THREAD_STACK);
    AtomicInteger n = new AtomicInteger();
    this.threads = new ThreadPoolExecutor(config.maxConcurrent(), config.maxConcurrent(), 0, TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(null, r, "codemode-sandbox-" + n.incrementAndGet(), SCRIPT_THREAD_STACK);
          t.setDaemon(true);
          return t;
        });
    this.admitted = new Semaphore(config.maxConcurrent() + config.maxQueued());
    for (int i = 0; i < config.maxConcurrent(); i++) {
      threads.execute(this::warmUp);
    }
  }

  /** The first context of a cold engine takes seconds to build; pay that before the first real request. */
  private void warmUp() {
    ExecutionRequest warm = new ExecutionRequest("return [1].map(x => ({x})).length", "", Limits.defaults());
    new Execution(js, watchdog, warm, HostBridge.NONE).run();
  }

  @Override
  public void prepare(ExecutionRequest likely) {
    if (!closed) {
      spares.refill(PreparedContext.Key.of(likely));
    }
  }

  @Override
  public CompletableFuture<ExecutionResult> execute(ExecutionRequest request, HostBridge bridge) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(bridge, "bridge");
    if (closed) {
      return CompletableFuture.completedFuture(internal("The sandbox is shut down."));
    }
    if (!admitted.tryAcquire()) {
      return CompletableFuture.completedFuture(busy());
    }
    CompletableFuture<ExecutionResult> result = new CompletableFuture<>();
    Execution execution = new Execution(js, spares, watchdog, request, bridge);
    result.whenComplete((r, e) -> {
      if (result.isCancelled()) {
        execution.fail(Kind.CANCELLED, Messages.cancelled());
      }
    });
    AtomicBoolean slotHeld = new AtomicBoolean(true);
    execution.onAbandon(late -> {
      result.complete(late);
      if (zombies.incrementAndGet() <= config.maxConcurrent()) {
        // Keep serving at full strength while the stuck thread finishes; give its queue slot back.
        resizePool(+1);
        if (slotHeld.compareAndSet(true, false)) {
          admitted.release();
        }
      }
    });
    try {
      threads.execute(() -> {
        try {
          if (!result.isDone()) {
            result.complete(execution.run());
            execution.cleanUp();
          }
        } catch (Throwable t) {
          log.error("sandbox execution failed", t);
          result.complete(internal("The sandbox failed internally; the script may be fine. Try again."));
        } finally {
          if (slotHeld.compareAndSet(true, false)) {
            admitted.release();
          } else {
            resizePool(-1);
          }
          if (execution.wasAbandoned()) {
            zombies.decrementAndGet();
          }
        }
      });
    } catch (RejectedExecutionException e) {
      admitted.release();
      result.complete(internal("The sandbox is shut down."));
    }
    return result;
  }

  private synchronized void resizePool(int delta) {
    ThreadPoolExecutor pool = (ThreadPoolExecutor) threads;
    int size = pool.getCorePoolSize() + delta;
    if (delta > 0) {
      pool.setMaximumPoolSize(size);
      pool.setCorePoolSize(size);
    } else {
      pool.setCorePoolSize(size);
      pool.setMaximumPoolSize(size);
    }
  }

  /** A BUSY result for this configuration. */
  ExecutionResult busy() {
    return new ExecutionResult(Kind.BUSY, null, Messages.busy(config.maxConcurrent(), config.maxQueued()), List.of(),
        0, 0, 0);
  }

  static ExecutionResult internal(String message) {
    return new ExecutionResult(Kind.INTERNAL, null, message, List.of(), 0, 0, 0);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    threads.shutdownNow();
    try {
      threads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    watchdog.close();
    spares.close();
    try {
      js.close();
    } catch (RuntimeException e) {
      log.debug("closing the engine", e);
    }
  }
}
