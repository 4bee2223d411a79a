package dev.codemode.isolate;

import java.time.Duration;
import java.util.Objects;

/**
 * Per-execution resource limits. Immutable; defaults live in {@link #defaults()} only.
 *
 * @param wallTime          total time from start to result, including waiting for host calls
 * @param cpuTime           CPU time of the script's thread
 * @param maxAllocatedBytes bytes the executing thread may allocate over the run
 * @param maxStackDepth     maximum JS call depth
 * @param maxOutputBytes    maximum size of the JSON result text the sandbox will produce; larger results fail with
 *                          {@link ExecutionResult.Kind#OUTPUT_LIMIT} (budgeted truncation is the caller's job)
 * @param maxLogBytes       total bytes of captured console output; beyond it lines are dropped and counted
 * @param maxHostCalls      host calls per execution
 * @param maxHostCallsInFlight host calls pending at the same time
 */
public record Limits(
    Duration wallTime,
    Duration cpuTime,
    long maxAllocatedBytes,
    int maxStackDepth,
    int maxOutputBytes,
    int maxLogBytes,
    int maxHostCalls,
    int maxHostCallsInFlight) {

  public Limits {
    Objects.requireNonNull(wallTime, "wallTime");
    Objects.requireNonNull(cpuTime, "cpuTime");
  }

  public static Limits defaults() {
    return new Limits(Duration.ofSeconds(30), Duration.ofSeconds(20), 1L << 30, 2_000, 4 << 20, 100_000, 500, 16);
  }

  public Limits withWallTime(Duration d) {
    return new Limits(d, cpuTime, maxAllocatedBytes, maxStackDepth, maxOutputBytes, maxLogBytes, maxHostCalls,
        maxHostCallsInFlight);
  }

  public Limits withCpuTime(Duration d) {
    return new Limits(wallTime, d, maxAllocatedBytes, maxStackDepth, maxOutputBytes, maxLogBytes, maxHostCalls,
        maxHostCallsInFlight);
  }

  public Limits withMaxAllocatedBytes(long n) {
    return new Limits(wallTime, cpuTime, n, maxStackDepth, maxOutputBytes, maxLogBytes, maxHostCalls,
        maxHostCallsInFlight);
  }

  public Limits withMaxHostCalls(int n, int inFlight) {
    return new Limits(wallTime, cpuTime, maxAllocatedBytes, maxStackDepth, maxOutputBytes, maxLogBytes, n, inFlight);
  }

  public Limits withMaxStackDepth(int depth) {
    return new Limits(wallTime, cpuTime, maxAllocatedBytes, depth, maxOutputBytes, maxLogBytes, maxHostCalls,
        maxHostCallsInFlight);
  }

  public Limits withMaxOutputBytes(int output, int logs) {
    return new Limits(wallTime, cpuTime, maxAllocatedBytes, maxStackDepth, output, logs, maxHostCalls,
        maxHostCallsInFlight);
  }
}
