package dev.codemode.isolate.internal;

import dev.codemode.isolate.ExecutionRequest;
import dev.codemode.isolate.ExecutionResult;
import dev.codemode.isolate.ExecutionResult.Kind;
import dev.codemode.isolate.HostBridge;
import dev.codemode.isolate.Sandbox;
import dev.codemode.isolate.SandboxConfig;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each script in a pre-warmed worker JVM ({@link WorkerProcess}) from a pool of at most {@code maxConcurrent};
 * host calls come back to this process, so credentials and network never leave it. The pool is sized to load:
 * {@code warmWorkers} start at once (in the background), another starts only while executions wait and no worker is
 * idle or starting for them, and a worker beyond the warm ones that stayed idle for {@code workerIdle} is stopped.
 * Idle workers are reused most-recently-used first, so the spare ones are the ones that go. A worker that dies or
 * overruns its deadline fails only its own execution and is replaced when needed. Beyond
 * {@code maxConcurrent + maxQueued} executions: {@link Kind#BUSY}. Thread-safe.
 *
 * <pre>{@code
 * try (Sandbox s = new ProcessSandbox(SandboxConfig.defaults())) { s.execute(request, bridge).join(); }
 * }</pre>
 */
public final class ProcessSandbox implements Sandbox {
  private static final Logger log = LoggerFactory.getLogger(ProcessSandbox.class);
  /** Beyond the wall-time limit, how long the worker's own watchdog gets before the worker is killed. */
  private static final long DEADLINE_GRACE_MS = 2_000;
  private static final long CANCEL_GRACE_MS = 1_000;
  private static final long WORKER_WAIT_SECONDS = 120;
  /** After the first worker is ready, how long before the class archive is made (not while the server starts). */
  private static final long ARCHIVE_DELAY_SECONDS = 10;

  private final SandboxConfig config;
  /** Ready workers with nothing to do, the most recently used first. */
  private final LinkedBlockingDeque<WorkerProcess> idle = new LinkedBlockingDeque<>();
  /** Every worker: starting, idle or busy. */
  private final Set<WorkerProcess> all = ConcurrentHashMap.newKeySet();
  /** Workers started and not yet ready. */
  private final AtomicInteger starting = new AtomicInteger();
  /** Dispatch threads waiting for a worker. */
  private final AtomicInteger waiting = new AtomicInteger();
  private final ExecutorService dispatch;
  private final ScheduledExecutorService timer;
  private final Semaphore admitted;
  /** The workers' class-data archive, or null when this classpath cannot have one. */
  private final WorkerArchive archive;
  private final java.util.concurrent.atomic.AtomicBoolean archiveScheduled = new java.util.concurrent.atomic.AtomicBoolean();
  private volatile boolean closed;
  /** The last {@link #prepare} hint, passed to every worker when it is ready (null: none yet). */
  private volatile ExecutionRequest likely;

  public ProcessSandbox(SandboxConfig config) {
    this(config, WorkerArchive.forThisJvm());
  }

  /** @param archive the workers' class-data archive, or null for none */
  ProcessSandbox(SandboxConfig config, WorkerArchive archive) {
    this.config = Objects.requireNonNull(config, "config");
    this.archive = archive;
    if (config.maxConcurrent() < 1 || config.maxQueued() < 0 || config.workerHeapMb() < 64) {
      throw new IllegalArgumentException(
          "config: maxConcurrent >= 1, maxQueued >= 0 and workerHeapMb >= 64 required, got " + config);
    }
    AtomicInteger n = new AtomicInteger();
    this.dispatch = Executors.newFixedThreadPool(config.maxConcurrent(), r -> {
      Thread t = new Thread(r, "codemode-sandbox-dispatch-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "codemode-sandbox-deadlines");
      t.setDaemon(true);
      return t;
    });
    this.admitted = new Semaphore(config.maxConcurrent() + config.maxQueued());
    replenish();
    long idleMs = Math.max(1, config.workerIdle().toMillis());
    long every = Math.max(50, Math.min(5_000, idleMs / 4));
    timer.scheduleWithFixedDelay(this::retireIdle, every, every, TimeUnit.MILLISECONDS);
  }

  /**
   * Starts workers until the warm ones are there and every waiting execution has an idle or starting worker, never
   * beyond {@code maxConcurrent}.
   */
  private synchronized void replenish() {
    int warm = Math.min(config.warmWorkers(), config.maxConcurrent());
    while (!closed && all.size() < config.maxConcurrent()
        && (all.size() < warm || waiting.get() > idle.size() + starting.get())) {
      if (!spawn()) {
        return;
      }
    }
  }

  /** Stops idle workers beyond the warm ones once they have been idle long enough, the least recently used first. */
  private void retireIdle() {
    long now = System.nanoTime();
    long idleNanos = config.workerIdle().toNanos();
    int warm = Math.min(config.warmWorkers(), config.maxConcurrent());
    while (!closed && all.size() > warm) {
      WorkerProcess w = idle.peekLast();
      if (w == null || now - w.idleSince() < idleNanos) {
        return;
      }
      if (idle.removeLastOccurrence(w)) {
        all.remove(w);
        w.kill();
        log.debug("stopped sandbox worker {} after {} ms idle", w.pid(), (now - w.idleSince()) / 1_000_000);
      }
    }
  }

  private void toIdle(WorkerProcess w) {
    w.markIdle();
    idle.offerFirst(w);
  }

  /** Starts one worker; false if it could not be started (a retry is scheduled). */
  private boolean spawn() {
    if (closed) {
      return false;
    }
    starting.incrementAndGet();
    try {
      WorkerProcess w = WorkerProcess.start(config.workerHeapMb(), archive == null ? List.of() : archive.options());
      all.add(w);
      w.ready().whenComplete((ok, e) -> {
        if (e == null) {
          if (closed) {
            w.kill();
          } else {
            ExecutionRequest hint = likely;
            if (hint != null) {
              w.prepare(hint);
            }
            // Idle before it stops counting as starting, so that a waiting execution never sees neither (and starts
            // a worker it does not need).
            toIdle(w);
            scheduleArchive();
          }
          starting.decrementAndGet();
        } else {
          starting.decrementAndGet();
          all.remove(w);
          if (closed) {
            // The sandbox was closed while this worker was still starting: killing it is the normal shutdown.
            log.debug("a starting sandbox worker was stopped by close: {}", e.getMessage());
            return;
          }
          log.error("a sandbox worker failed to start: {}", e.getMessage());
          retryLater();
        }
      });
      return true;
    } catch (Exception e) {
      starting.decrementAndGet();
      log.error("could not start a sandbox worker", e);
      retryLater();
      return false;
    }
  }

  private void scheduleArchive() {
    if (archive != null && archiveScheduled.compareAndSet(false, true)) {
      try {
        timer.schedule(() -> archive.createInBackground(config.workerHeapMb()), ARCHIVE_DELAY_SECONDS,
            TimeUnit.SECONDS);
      } catch (RejectedExecutionException e) {
        log.debug("sandbox closed before the worker class archive was made");
      }
    }
  }

  private void retryLater() {
    try {
      timer.schedule(this::replenish, 1, TimeUnit.SECONDS);
    } catch (RejectedExecutionException e) {
      log.debug("sandbox closed before a worker could be restarted");
    }
  }

  @Override
  public CompletableFuture<ExecutionResult> execute(ExecutionRequest request, HostBridge bridge) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(bridge, "bridge");
    if (closed) {
      return CompletableFuture.completedFuture(InProcessSandbox.internal("The sandbox is shut down."));
    }
    if (!admitted.tryAcquire()) {
      return CompletableFuture.completedFuture(new ExecutionResult(Kind.BUSY, null,
          Messages.busy(config.maxConcurrent(), config.maxQueued()), List.of(), 0, 0, 0));
    }
    CompletableFuture<ExecutionResult> result = new CompletableFuture<>();
    // A dispatch thread only finds the execution a worker; the worker's reader answers it, without waking the
    // dispatch thread again. The admission is given back once the result is there and the worker is done with it
    // (a cancelled run holds it until its worker has stopped, as before).
    Admission admission = new Admission();
    result.whenComplete((r, e) -> {
      if (!admission.onWorker) {
        admission.release();
      }
    });
    try {
      dispatch.execute(() -> {
        try {
          runOnWorker(request, bridge, result, admission);
        } catch (Throwable t) {
          log.error("sandbox dispatch failed", t);
          admission.release();
          result.complete(InProcessSandbox.internal("The sandbox failed internally; the script may be fine."));
        }
      });
    } catch (RejectedExecutionException e) {
      admission.release();
      result.complete(InProcessSandbox.internal("The sandbox is shut down."));
    }
    return result;
  }

  @Override
  public void prepare(ExecutionRequest hint) {
    likely = Objects.requireNonNull(hint, "hint");
    for (WorkerProcess w : all) {
      if (w.ready().isDone() && w.alive()) {
        w.prepare(hint);
      }
    }
  }

  /** One execution's place in {@code maxConcurrent + maxQueued}, given back once. */
  private final class Admission {
    private final java.util.concurrent.atomic.AtomicBoolean held = new java.util.concurrent.atomic.AtomicBoolean(true);
    /** Set before the run starts: from then on the run's end gives the admission back. */
    volatile boolean onWorker;

    void release() {
      if (held.compareAndSet(true, false)) {
        admitted.release();
      }
    }
  }

  private void runOnWorker(ExecutionRequest request, HostBridge bridge, CompletableFuture<ExecutionResult> result,
      Admission admission) throws InterruptedException {
    if (result.isDone()) {
      return;
    }
    WorkerProcess w = takeLiveWorker();
    if (w == null) {
      result.complete(InProcessSandbox.internal("No sandbox worker is available; retry in a moment."));
      return;
    }
    if (result.isDone()) { // cancelled while waiting for a worker
      toIdle(w);
      return;
    }
    admission.onWorker = true;
    CompletableFuture<ExecutionResult> run = w.run(request, bridge);
    long deadline = request.limits().wallTime().toMillis() + DEADLINE_GRACE_MS;
    var timeout = timer.schedule(() -> {
      if (!run.isDone()) {
        log.warn("sandbox worker {} overran its deadline; killing it", w.pid());
        w.killWith(new ExecutionResult(Kind.WALL_TIME_LIMIT, null, Messages.wallTime(request.limits().wallTime()),
            List.of(), 0, 0, deadline));
      }
    }, deadline, TimeUnit.MILLISECONDS);
    result.whenComplete((r, e) -> {
      if (result.isCancelled() && !run.isDone()) {
        w.cancel();
        timer.schedule(() -> {
          if (!run.isDone()) {
            w.killWith(new ExecutionResult(Kind.CANCELLED, null, Messages.cancelled(), List.of(), 0, 0, 0));
          }
        }, CANCEL_GRACE_MS, TimeUnit.MILLISECONDS);
      }
    });
    run.whenComplete((r, e) -> {
      timeout.cancel(false);
      // The worker is back in the pool before the caller hears of the result, so the caller's next execution finds
      // it idle instead of starting another worker.
      if (w.alive() && !closed) {
        toIdle(w);
      } else {
        all.remove(w);
        w.kill();
        replenish();
      }
      admission.release();
      result.complete(r != null ? r
          : InProcessSandbox.internal("The sandbox failed internally; the script may be fine. Try again."));
    });
  }

  private WorkerProcess takeLiveWorker() throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(WORKER_WAIT_SECONDS);
    waiting.incrementAndGet();
    try {
      while (!closed && System.nanoTime() < until) {
        WorkerProcess w = idle.pollFirst();
        if (w == null) {
          replenish();
          w = idle.pollFirst(1, TimeUnit.SECONDS);
        }
        if (w == null) {
          continue;
        }
        if (w.alive()) {
          return w;
        }
        all.remove(w);
      }
      return null;
    } finally {
      waiting.decrementAndGet();
    }
  }

  /** Pids of the current worker processes (for tests and diagnostics). */
  public List<Long> workerPids() {
    return all.stream().map(WorkerProcess::pid).toList();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    dispatch.shutdownNow();
    timer.shutdownNow();
    if (archive != null) {
      archive.close();
    }
    for (WorkerProcess w : all) {
      w.kill();
    }
    all.clear();
    idle.clear();
  }
}
