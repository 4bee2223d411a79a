package dev.codemode.server.transport;

import io.modelcontextprotocol.server.McpServerFeatures;
import reactor.core.publisher.Mono;

/** Runs a hook as each tool call starts and as it ends (result, error or cancellation), for every transport. */
public final class ToolCallHooks {
  private ToolCallHooks() {}

  /**
   * The definition with every tool handler wrapped: {@code begin} when a call is subscribed to, {@code end} exactly
   * once when it completes, fails (also by throwing) or is cancelled.
   */
  public static ServerDefinition around(ServerDefinition d, Runnable begin, Runnable end) {
    return d.mapTools(t -> McpServerFeatures.AsyncToolSpecification.builder().tool(t.tool())
        .callHandler((ex, req) -> Mono.defer(() -> {
          begin.run();
          try {
            return t.callHandler().apply(ex, req);
          } catch (RuntimeException e) {
            return Mono.error(e);
          }
        }).doFinally(s -> end.run()))
        .build());
  }
}
