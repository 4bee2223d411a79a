package dev.codemode.isolate;

import java.time.Duration;
import java.util.Objects;

/**
 * Sandbox-wide settings. Immutable; defaults in {@link #defaults()} only.
 *
 * <p>The default is process isolation: each script runs in a pre-warmed worker JVM, so a script that defeats every
 * in-process limit (or a GraalJS bug) can at worst kill its own worker. Measured on 2 cores it costs under 1 ms at
 * p50 over in-process for a trivial execute and the same throughput (see isolate/README.md); in-process stays
 * available with {@link #withProcessIsolated(boolean)}.
 *
 * <p>Workers are started on demand: {@code warmWorkers} right away (in the background), more only while every
 * worker is busy and executions wait, never more than {@code maxConcurrent}; a worker beyond the warm ones that has
 * been idle for {@code workerIdle} is stopped.
 *
 * @param maxConcurrent   executions running at once
 * @param maxQueued       executions waiting for a slot; beyond that {@link ExecutionResult.Kind#BUSY}
 * @param processIsolated run scripts in a pool of worker JVMs instead of in this process
 * @param workerHeapMb    maximum heap of each worker JVM, when process-isolated (it starts small and grows)
 * @param warmWorkers     workers kept running even when idle (0 to {@code maxConcurrent})
 * @param workerIdle      how long a worker beyond the warm ones may stay idle before it is stopped
 */
public record SandboxConfig(int maxConcurrent, int maxQueued, boolean processIsolated, int workerHeapMb,
    int warmWorkers, Duration workerIdle) {

  public SandboxConfig {
    Objects.requireNonNull(workerIdle, "workerIdle");
  }

  /** The settings with the default pool policy (one warm worker, others stopped after a minute idle). */
  public SandboxConfig(int maxConcurrent, int maxQueued, boolean processIsolated, int workerHeapMb) {
    this(maxConcurrent, maxQueued, processIsolated, workerHeapMb, 1, Duration.ofSeconds(60));
  }

  /**
   * The number of cores, between 2 and 4, running; 64 waiting; process-isolated workers of at most 256 MB heap, one
   * kept warm, the others stopped after 60 s idle.
   */
  public static SandboxConfig defaults() {
    return new SandboxConfig(Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors())), 64, true, 256);
  }

  public SandboxConfig withProcessIsolated(boolean on) {
    return new SandboxConfig(maxConcurrent, maxQueued, on, workerHeapMb, warmWorkers, workerIdle);
  }

  public SandboxConfig withConcurrency(int running, int queued) {
    return new SandboxConfig(running, queued, processIsolated, workerHeapMb, warmWorkers, workerIdle);
  }

  public SandboxConfig withWorkerPool(int warm, Duration idle) {
    return new SandboxConfig(maxConcurrent, maxQueued, processIsolated, workerHeapMb, warm, idle);
  }
}
