package dev.codemode.server.skills;

import dev.codemode.server.approval.Approver;
import reactor.core.publisher.Mono;

/**
 * {@code --skills approve}: before a skill is saved, the human sees its name, description and code (through the
 * session's {@link Approver}) and accepts or declines. A client that cannot ask gets an error that says how to save
 * skills anyway. Stateless.
 */
final class SkillApproval {
  /** The code shown to the human is cut here; the full code is in the audit log and the store. */
  static final int SHOWN_CODE_CHARS = 4_000;

  private SkillApproval() {}

  static Mono<Void> ask(Approver approver, String api, String name, String description, String code) {
    String shown = code.length() > SHOWN_CODE_CHARS ? code.substring(0, SHOWN_CODE_CHARS) + "\n… ("
        + (code.length() - SHOWN_CODE_CHARS) + " more characters)" : code;
    String message = "The assistant wants to save a reusable skill for " + api + ":\n" + name + ": " + description
        + "\n\n" + shown + "\n\nIt will be offered in later sessions and can call the API like any script. Save it?";
    return approver.ask(new Approver.Prompt(message, "Save this skill")).flatMap(answer -> switch (answer) {
      case APPROVED -> Mono.<Void>empty();
      case CANNOT_ASK -> Mono.error(new SkillStoreException("saving skills needs the user's approval on this server "
          + "(--skills approve), but this MCP client cannot ask the user (no elicitation support). Tell the user: "
          + "the operator can restart the server with --skills on, or import the skill with "
          + "'codemode-mcp skills import'."));
      case DECLINED -> Mono.error(new SkillStoreException("the user declined to save skill '" + name
          + "'; do not retry unless the user asks"));
    });
  }
}
