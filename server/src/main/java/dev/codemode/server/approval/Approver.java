package dev.codemode.server.approval;

import reactor.core.publisher.Mono;

/**
 * Asks the human one yes/no question for the server: may this write run, may this skill be saved. The gateway and
 * the skills bridge know only this interface; the MCP elicitation behind it lives with the MCP wiring
 * ({@code tools.McpApprover}). Implementations are thread-safe.
 *
 * <pre>{@code
 * approver.ask(new Approver.Prompt("Delete order 7?", "Allow this request"))
 *     .map(a -> a == Approver.Answer.APPROVED);
 * }</pre>
 */
@FunctionalInterface
public interface Approver {

  /** What the human (or the client on their behalf) answered. */
  enum Answer {
    APPROVED,
    DECLINED,
    /** The client cannot ask the human (no elicitation support): the caller refuses and says how to proceed. */
    CANNOT_ASK
  }

  /**
   * One question.
   *
   * @param message      the text the human reads
   * @param approveTitle the label of the yes/no field, e.g. "Allow this request"
   */
  record Prompt(String message, String approveTitle) {}

  /** Completes with the answer; never errors for a "no". */
  Mono<Answer> ask(Prompt prompt);

  /** No human to ask: every question is answered {@link Answer#CANNOT_ASK}. */
  Approver NOBODY = p -> Mono.just(Answer.CANNOT_ASK);
}
