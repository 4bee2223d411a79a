package dev.codemode.server.transport;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpStatelessAsyncServer;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What an MCP server built on any transport serves: identity, capabilities, instructions, request timeout and tools.
 * Builds the SDK server for a session transport (stdio, SSE), for Streamable HTTP, and for stateless Streamable HTTP,
 * always with the tools wrapped by a {@link CancellationRegistry}. Immutable.
 *
 * <pre>{@code
 * ServerDefinition def = app.definition();   // Codemode builds the only one
 * McpAsyncServer server = def.sessionServer(new StdioServerTransportProvider(mapper), registry);
 * }</pre>
 *
 * @param requestTimeout how long the server waits for the client's answers (e.g. elicitation); also bounds idle HTTP
 *                       connections
 */
public record ServerDefinition(McpSchema.Implementation serverInfo, McpSchema.ServerCapabilities capabilities,
    String instructions, Duration requestTimeout, List<McpServerFeatures.AsyncToolSpecification> tools) {

  public ServerDefinition {
    Objects.requireNonNull(serverInfo, "serverInfo");
    Objects.requireNonNull(capabilities, "capabilities");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    tools = List.copyOf(tools);
  }

  /** The same definition with each tool replaced by {@code decorate(tool)} (e.g. a handler wrapped). */
  public ServerDefinition mapTools(
      java.util.function.UnaryOperator<McpServerFeatures.AsyncToolSpecification> decorate) {
    return new ServerDefinition(serverInfo, capabilities, instructions, requestTimeout,
        tools.stream().map(decorate).toList());
  }

  /** What a session server offers: tools (a fixed list) and logging. */
  public static final McpSchema.ServerCapabilities CAPABILITIES =
      McpSchema.ServerCapabilities.builder().tools(false).logging().build();

  /** A server over a session transport: stdio or legacy SSE. */
  public McpAsyncServer sessionServer(McpServerTransportProvider transport, CancellationRegistry calls) {
    return configure(McpServer.async(transport), calls);
  }

  /** A server over Streamable HTTP with sessions. */
  public McpAsyncServer streamableServer(McpStreamableServerTransportProvider transport, CancellationRegistry calls) {
    return configure(McpServer.async(transport), calls);
  }

  /**
   * A server over stateless Streamable HTTP. There is no session: no elicitation (so writes need
   * {@code --allow-writes}), no progress, no {@code logging/setLevel}, and a cancellation cannot be routed; calls are
   * still counted for graceful shutdown.
   */
  public McpStatelessAsyncServer statelessServer(McpStatelessServerTransport transport, CancellationRegistry calls) {
    List<McpStatelessServerFeatures.AsyncToolSpecification> stateless = tools.stream()
        .map(t -> McpStatelessServerFeatures.AsyncToolSpecification.builder()
            .tool(t.tool())
            .callHandler((ctx, req) -> calls.track(null, t.callHandler().apply(null, req)))
            .build())
        .toList();
    return McpServer.async(transport)
        .serverInfo(serverInfo)
        .jsonMapper(McpJsonDefaults.getMapper())
        .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
        .instructions(instructions)
        .requestTimeout(requestTimeout)
        .tools(stateless)
        .build();
  }

  private McpAsyncServer configure(McpServer.AsyncSpecification<?> spec, CancellationRegistry calls) {
    return spec.serverInfo(serverInfo)
        .jsonMapper(McpJsonDefaults.getMapper())
        .capabilities(capabilities)
        .instructions(instructions)
        .requestTimeout(requestTimeout)
        .tools(tools.stream().map(calls::decorate).toList())
        .build();
  }
}
