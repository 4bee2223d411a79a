package dev.codemode.server.upstream;

import dev.codemode.server.approval.Approver;
import reactor.core.publisher.Mono;

/**
 * What the human is asked before a write runs ({@link WriteDecision.Confirm}). Everything the script chose (path,
 * body) is shown so that it cannot pass for the prompt's own lines: the body is one JSON-quoted line with every
 * control, line-separator, format (bidi, zero-width) and non-character escaped, cut at {@value #MAX_BODY_SHOWN}
 * characters, and labelled as the script's.
 *
 * @param operationId null when the write matches no documented operation
 * @param bodySummary the start of the body, already redacted; empty when there is none
 */
public record WritePrompt(String api, String method, String path, String operationId, String bodySummary) {
  /** Characters of the script's body shown in the prompt. */
  static final int MAX_BODY_SHOWN = 400;

  /** The question as the {@link Approver} puts it. */
  public Approver.Prompt prompt() {
    return new Approver.Prompt(message(), "Allow this request");
  }

  /** The prompt's text. */
  public String message() {
    StringBuilder sb = new StringBuilder("The assistant wants to send a write request to ").append(api).append(":\n")
        .append(method).append(' ').append(quote(path, 2000, false));
    if (operationId == null) {
      sb.append(" (matches no documented operation)");
    } else {
      sb.append(" (").append(operationId).append(')');
    }
    sb.append("\nAllow it?");
    if (bodySummary != null && !bodySummary.isEmpty()) {
      sb.append("\nRequest body written by the script, shown as one quoted line")
          .append(bodySummary.length() > MAX_BODY_SHOWN ? " (first " + MAX_BODY_SHOWN + " characters)" : "")
          .append(": ").append(quote(bodySummary, MAX_BODY_SHOWN, true));
    }
    return sb.toString();
  }

  /** A single line: JSON string escapes for quotes and backslashes, {@code \\uXXXX} for anything invisible. */
  static String quote(String s, int max, boolean quotes) {
    StringBuilder sb = new StringBuilder(quotes ? "\"" : "");
    int n = Math.min(s.length(), max);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      int type = Character.getType(c);
      if (quotes && (c == '"' || c == '\\')) {
        sb.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || type == Character.FORMAT
          || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE
          || type == Character.PRIVATE_USE || type == Character.UNASSIGNED || type == Character.CONTROL) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    if (quotes) {
      sb.append('"');
    }
    if (s.length() > max) {
      sb.append(" …");
    }
    return sb.toString();
  }

  /**
   * The human's answer as the gateway acts on it: empty to go ahead, else an {@link UpstreamException} that says why
   * not and what to do.
   */
  Mono<Void> act(Approver.Answer answer) {
    return switch (answer) {
      case APPROVED -> Mono.empty();
      case DECLINED -> Mono.error(new UpstreamException("the user declined " + method + " "
          + path + "; do not retry it unless the user asks"));
      case CANNOT_ASK -> Mono.error(new UpstreamException(method + " " + path + " is a write, "
          + "and writes need the user's confirmation, but this MCP client cannot ask the user (no elicitation "
          + "support). Tell the user: the operator can restart the server with --allow-writes to permit writes."));
    };
  }
}
