package dev.codemode.isolate;

/**
 * Sandbox-wide settings. Immutable; defaults in {@link #defaults()} only.
 *
 * <p>The default is process isolation: each script runs in a pre-warmed worker JVM, so a script that defeats every
 * in-process limit (or a GraalJS bug) can at worst kill its own worker. Measured on 2 cores it costs under 1 ms at
 * p50 over in-process for a trivial execute and the same throughput (see isolate/README.md); in-process stays
 * available with {@link #withProcessIsolated(boolean)}.
 *
 * @param maxConcurrent   executions running at once
 * @param maxQueued       executions waiting for a slot; beyond that {@link ExecutionResult.Kind#BUSY}
 * @param processIsolated run scripts in a pool of worker JVMs instead of in this process
 * @param workerHeapMb    heap of each worker JVM, when process-isolated
 */
public record SandboxConfig(int maxConcurrent, int maxQueued, boolean processIsolated, int workerHeapMb) {

  /** The number of cores, between 2 and 4, running; 64 waiting; process-isolated workers of 256 MB. */
  public static SandboxConfig defaults() {
    return new SandboxConfig(Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors())), 64, true, 256);
  }

  public SandboxConfig withProcessIsolated(boolean on) {
    return new SandboxConfig(maxConcurrent, maxQueued, on, workerHeapMb);
  }

  public SandboxConfig withConcurrency(int running, int queued) {
    return new SandboxConfig(running, queued, processIsolated, workerHeapMb);
  }
}
