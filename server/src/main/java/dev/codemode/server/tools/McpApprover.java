package dev.codemode.server.tools;

import dev.codemode.server.approval.Approver;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * The {@link Approver} of one MCP session: asks through elicitation, a form with one required boolean. A client
 * that declared no elicitation capability (or no session at all) answers {@link Approver.Answer#CANNOT_ASK}; only
 * an accepted form with the box ticked is {@link Approver.Answer#APPROVED}. Stateless and thread-safe.
 */
public final class McpApprover implements Approver {
  private final Supplier<McpSchema.ClientCapabilities> capabilities;
  private final Function<McpSchema.ElicitRequest, Mono<McpSchema.ElicitResult>> elicit;

  McpApprover(Supplier<McpSchema.ClientCapabilities> capabilities,
      Function<McpSchema.ElicitRequest, Mono<McpSchema.ElicitResult>> elicit) {
    this.capabilities = capabilities;
    this.elicit = elicit;
  }

  /** The approver of {@code exchange}; null (no session) asks nobody. */
  public static Approver of(McpAsyncServerExchange exchange) {
    return exchange == null ? NOBODY : new McpApprover(exchange::getClientCapabilities, exchange::createElicitation);
  }

  @Override
  public Mono<Answer> ask(Prompt prompt) {
    McpSchema.ClientCapabilities caps = capabilities.get();
    if (caps == null || caps.elicitation() == null) {
      return Mono.just(Answer.CANNOT_ASK);
    }
    McpSchema.ElicitRequest req = McpSchema.ElicitRequest.builder()
        .message(prompt.message())
        .requestedSchema(Map.of("type", "object",
            "properties", Map.of("approve", Map.of("type", "boolean", "title", prompt.approveTitle())),
            "required", List.of("approve")))
        .build();
    return elicit.apply(req).map(r -> r.action() == McpSchema.ElicitResult.Action.ACCEPT && r.content() != null
        && Boolean.TRUE.equals(r.content().get("approve")) ? Answer.APPROVED : Answer.DECLINED);
  }
}
