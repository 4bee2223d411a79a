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
 * @param maxHostCallArgChars length of one host call's arguments (JSON text); a longer call is refused in the sandbox,
 *                          before its arguments are copied out of it or parsed by the host
 */
public record Limits(
    Duration wallTime,
    Duration cpuTime,
    long maxAllocatedBytes,
    int maxStackDepth,
    int maxOutputBytes,
    int maxLogBytes,
    int maxHostCalls,
    int maxHostCallsInFlight,
    int maxHostCallArgChars) {

  /** Default of {@link #maxHostCallArgChars}: a 1 MiB request body (the server's cap) plus room for the rest. */
  private static final int DEFAULT_HOST_CALL_ARG_CHARS = (1 << 20) + (64 << 10);

  public Limits {
    Objects.requireNonNull(wallTime, "wallTime");
    Objects.requireNonNull(cpuTime, "cpuTime");
  }

  /** The limits with the default {@link #maxHostCallArgChars}. */
  public Limits(Duration wallTime, Duration cpuTime, long maxAllocatedBytes, int maxStackDepth, int maxOutputBytes,
      int maxLogBytes, int maxHostCalls, int maxHostCallsInFlight) {
    this(wallTime, cpuTime, maxAllocatedBytes, maxStackDepth, maxOutputBytes, maxLogBytes, maxHostCalls,
        maxHostCallsInFlight, DEFAULT_HOST_CALL_ARG_CHARS);
  }

  public static Limits defaults() {
    return new Limits(Duration.ofSeconds(30), Duration.ofSeconds(20), 1L << 30, 2_000, 4 << 20, 100_000, 500, 16,
        DEFAULT_HOST_CALL_ARG_CHARS);
  }

  public Limits withWallTime(Duration d) {
    return new Limits(d, cpuTime, maxAllocatedBytes, maxStackDepth, maxOutputBytes, maxLogBytes, maxHostCalls,
        maxHostCallsInFlight, maxHostCallArgChars);
  }

  public Limits withCpuTime(Duration d) {
    return new Limits(wallTime, d, maxAllocatedBytes, maxStackDepth, maxOutputBytes, maxLogBytes, maxHostCalls,
        maxHostCallsInFlight, maxHostCallArgChars);
  }

  public Limits withMaxAllocatedBytes(long n) {
    return new Limits(wallTime, cpuTime, n, maxStackDepth, maxOutputBytes, maxLogBytes, maxHostCalls,
        maxHostCallsInFlight, maxHostCallArgChars);
  }

  public Limits withMaxHostCalls(int n, int inFlight) {
    return new Limits(wallTime, cpuTime, maxAllocatedBytes, maxStackDepth, maxOutputBytes, maxLogBytes, n, inFlight,
        maxHostCallArgChars);
  }

  public Limits withMaxStackDepth(int depth) {
    return new Limits(wallTime, cpuTime, maxAllocatedBytes, depth, maxOutputBytes, maxLogBytes, maxHostCalls,
        maxHostCallsInFlight, maxHostCallArgChars);
  }

  public Limits withMaxHostCallArgChars(int n) {
    return new Limits(wallTime, cpuTime, maxAllocatedBytes, maxStackDepth, maxOutputBytes, maxLogBytes, maxHostCalls,
        maxHostCallsInFlight, n);
  }

  public Limits withMaxOutputBytes(int output, int logs) {
    return new Limits(wallTime, cpuTime, maxAllocatedBytes, maxStackDepth, output, logs, maxHostCalls,
        maxHostCallsInFlight, maxHostCallArgChars);
  }
}
