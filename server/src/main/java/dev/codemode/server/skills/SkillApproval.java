package dev.codemode.server.skills;

import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * {@code --skills approve}: before a skill is saved, the human sees its name, description and code (MCP elicitation)
 * and accepts or declines. A client that cannot elicit gets an error that says how to save skills anyway. Stateless.
 */
final class SkillApproval {
  /** The code shown to the human is cut here; the full code is in the audit log and the store. */
  static final int SHOWN_CODE_CHARS = 4_000;

  private SkillApproval() {}

  static Mono<Void> ask(McpAsyncServerExchange exchange, String api, String name, String description, String code) {
    McpSchema.ClientCapabilities caps = exchange == null ? null : exchange.getClientCapabilities();
    if (caps == null || caps.elicitation() == null) {
      return Mono.error(new SkillStoreException("saving skills needs the user's approval on this server "
          + "(--skills approve), but this MCP client cannot ask the user (no elicitation support). Tell the user: "
          + "the operator can restart the server with --skills on, or import the skill with "
          + "'codemode-mcp skills import'."));
    }
    String shown = code.length() > SHOWN_CODE_CHARS ? code.substring(0, SHOWN_CODE_CHARS) + "\n… ("
        + (code.length() - SHOWN_CODE_CHARS) + " more characters)" : code;
    String message = "The assistant wants to save a reusable skill for " + api + ":\n" + name + ": " + description
        + "\n\n" + shown + "\n\nIt will be offered in later sessions and can call the API like any script. Save it?";
    McpSchema.ElicitRequest req = McpSchema.ElicitRequest.builder()
        .message(message)
        .requestedSchema(Map.of("type", "object",
            "properties", Map.of("approve", Map.of("type", "boolean", "title", "Save this skill")),
            "required", List.of("approve")))
        .build();
    return exchange.createElicitation(req).flatMap(r -> {
      boolean approved = r.action() == McpSchema.ElicitResult.Action.ACCEPT && r.content() != null
          && Boolean.TRUE.equals(r.content().get("approve"));
      return approved ? Mono.<Void>empty() : Mono.error(new SkillStoreException("the user declined to save skill '"
          + name + "'; do not retry unless the user asks"));
    });
  }
}
