package dev.codemode.server.tools;

import dev.codemode.server.approval.Approver;

/**
 * Who runs one {@code execute}, without MCP types: the session (audit and cancellation), the client's name and
 * version (audit), the identity whose skills it sees, the human who approves its writes, and where its progress
 * goes. The MCP side builds it from the request's exchange ({@link McpCaller}); tests and benchmarks use
 * {@link #LOCAL}.
 *
 * <pre>{@code
 * Caller c = new Caller("session-1", "claude/1.0", "token:ann", Approver.NOBODY, Caller.Progress.NONE);
 * }</pre>
 *
 * @param session the MCP session id, or null
 * @param client {@code name/version} of the client, or null
 * @param identity whose skills it sees; null means the local user
 * @param approver asks the human about writes
 * @param progress receives one line per finished upstream call
 */
public record Caller(String session, String client, String identity, Approver approver, Progress progress) {
  /** No session, no client, the local user, nobody to ask, no progress. */
  public static final Caller LOCAL = new Caller(null, null, null, Approver.NOBODY, Progress.NONE);

  public Caller {
    approver = approver == null ? Approver.NOBODY : approver;
    progress = progress == null ? Progress.NONE : progress;
  }

  /** Where the progress of an execution goes: the n-th finished call and a one-line message. */
  @FunctionalInterface
  public interface Progress {
    Progress NONE = (n, message) -> { };

    void report(int n, String message);
  }
}
