package dev.codemode.server.tools;

import dev.codemode.server.skills.Skills;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import reactor.core.publisher.Mono;

/**
 * Builds the {@link Caller} of one MCP {@code tools/call} from its exchange: session id, client info, the identity
 * the HTTP transport put in the transport context, the {@link McpApprover}, and progress notifications to the
 * request's progress token. The one place besides {@link CodemodeTools} and {@link McpApprover} where the tools
 * read MCP types.
 */
final class McpCaller {
  private McpCaller() {}

  /**
   * @param exchange the request's exchange (null: {@link Caller#LOCAL} with {@code identity})
   * @param progressToken the request's {@code _meta.progressToken}, or null for no progress
   * @param identity the identity when already known, else null (read from the transport context)
   * @param context the transport context of the reactive call, or null
   */
  static Caller of(McpAsyncServerExchange exchange, Object progressToken, String identity,
      McpTransportContext context) {
    String id = identity != null ? identity : identity(context, exchange);
    if (exchange == null) {
      return new Caller(null, null, id, null, null);
    }
    McpSchema.Implementation info = exchange.getClientInfo();
    String client = info == null ? null : info.name() + "/" + info.version();
    Caller.Progress progress = progressToken == null ? Caller.Progress.NONE
        : (n, message) -> exchange.progressNotification(
            new McpSchema.ProgressNotification(progressToken, (double) n, null, message))
            .onErrorResume(e -> Mono.empty()).subscribe();
    return new Caller(exchange.sessionId(), client, id, McpApprover.of(exchange), progress);
  }

  /** The token name an HTTP transport put in the context (or the exchange's), else the local user. */
  static String identity(McpTransportContext context, McpAsyncServerExchange exchange) {
    Object id = context == null ? null : context.get(Skills.IDENTITY_KEY);
    if (id == null && exchange != null && exchange.transportContext() != null) {
      id = exchange.transportContext().get(Skills.IDENTITY_KEY);
    }
    return Skills.identity(id == null ? null : id.toString());
  }
}
