package dev.codemode.isolate;

import java.util.List;

/**
 * The outcome of one execution. Immutable.
 *
 * @param kind          {@link Kind#OK} or what went wrong
 * @param resultJson    compact JSON of the returned value ({@code null} becomes "null", {@code undefined} too) when
 *                      OK; null otherwise
 * @param error         for a failure, a message written for the model: what went wrong, where in the script
 *                      (line:column and the line), and what to do; never a Java stack trace. Null when OK.
 * @param logs          captured console lines, in order (capped; see {@code droppedLogLines})
 * @param droppedLogLines how many console lines were dropped by the log cap
 * @param hostCalls     host calls made
 * @param elapsedMillis wall time
 */
public record ExecutionResult(
    Kind kind,
    String resultJson,
    String error,
    List<String> logs,
    int droppedLogLines,
    int hostCalls,
    long elapsedMillis) {

  public ExecutionResult {
    logs = logs == null ? List.of() : List.copyOf(logs);
  }

  public boolean ok() {
    return kind == Kind.OK;
  }

  /** Why an execution ended. */
  public enum Kind {
    OK,
    /** The script does not parse. */
    SYNTAX_ERROR,
    /** The script threw, or its promise rejected. */
    RUNTIME_ERROR,
    WALL_TIME_LIMIT,
    CPU_LIMIT,
    MEMORY_LIMIT,
    STACK_LIMIT,
    OUTPUT_LIMIT,
    HOST_CALL_LIMIT,
    /** Too many executions at once; retry later. */
    BUSY,
    CANCELLED,
    /** The sandbox itself failed (e.g. a worker process died); the server keeps running. */
    INTERNAL
  }
}
