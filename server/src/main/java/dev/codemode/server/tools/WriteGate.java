package dev.codemode.server.tools;

import dev.codemode.server.upstream.UpstreamException;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Asks the human (MCP elicitation) before a write runs, when the server was not started with {@code --allow-writes}.
 * A client that cannot elicit gets an error saying how to enable writes. Stateless and thread-safe.
 */
final class WriteGate {
  private WriteGate() {}

  static Mono<Void> confirm(McpAsyncServerExchange exchange, String api, String method, String path,
      String operationId, String bodySummary) {
    McpSchema.ClientCapabilities caps = exchange == null ? null : exchange.getClientCapabilities();
    if (caps == null || caps.elicitation() == null) {
      return Mono.error(new UpstreamException(method + " " + path + " is a write, and writes need the user's "
          + "confirmation, but this MCP client cannot ask the user (no elicitation support). Tell the user: "
          + "the operator can restart the server with --allow-writes to permit writes."));
    }
    String message = "The assistant wants to send a write request to " + api + ":\n" + method + " " + path
        + (operationId == null ? "" : " (" + operationId + ")")
        + (bodySummary == null || bodySummary.isEmpty() ? "" : "\nBody: " + bodySummary)
        + "\nAllow it?";
    McpSchema.ElicitRequest req = McpSchema.ElicitRequest.builder()
        .message(message)
        .requestedSchema(Map.of("type", "object",
            "properties", Map.of("approve", Map.of("type", "boolean", "title", "Allow this request")),
            "required", List.of("approve")))
        .build();
    return exchange.createElicitation(req).flatMap(r -> {
      boolean approved = r.action() == McpSchema.ElicitResult.Action.ACCEPT && r.content() != null
          && Boolean.TRUE.equals(r.content().get("approve"));
      return approved ? Mono.<Void>empty() : Mono.error(new UpstreamException("the user declined " + method + " "
          + path + "; do not retry it unless the user asks"));
    });
  }
}
