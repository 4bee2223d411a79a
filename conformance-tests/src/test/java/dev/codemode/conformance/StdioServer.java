package dev.codemode.conformance;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.UnaryOperator;

/**
 * The packaged server started over stdio and driven by the MCP Java SDK client, with its stderr captured (so tests can
 * check that no secret reaches a log line). Close it in {@code @AfterEach}/{@code @AfterAll}.
 */
final class StdioServer implements AutoCloseable {
  final McpSyncClient client;
  final ConcurrentLinkedQueue<String> stderr = new ConcurrentLinkedQueue<>();
  final long startMillis;
  final long initializedMillis;

  StdioServer(List<String> args, Map<String, String> env) {
    this(args, env, null);
  }

  StdioServer(List<String> args, Map<String, String> env, UnaryOperator<McpClient.SyncSpec> custom) {
    List<String> cmd = Jar.command(args);
    ServerParameters.Builder params = ServerParameters.builder(cmd.get(0)).args(cmd.subList(1, cmd.size()));
    env.forEach(params::addEnvVar);
    StdioClientTransport transport = new StdioClientTransport(params.build(), McpJsonDefaults.getMapper());
    transport.setStdErrorHandler(stderr::add);
    long t0 = System.nanoTime();
    McpClient.SyncSpec spec = McpClient.sync(transport)
        .requestTimeout(Duration.ofSeconds(120))
        .initializationTimeout(Duration.ofSeconds(180))
        .clientInfo(new McpSchema.Implementation("codemode-conformance", "1.0"));
    client = (custom == null ? spec : custom.apply(spec)).build();
    client.initialize();
    startMillis = t0 / 1_000_000;
    initializedMillis = (System.nanoTime() - t0) / 1_000_000;
  }

  McpSchema.CallToolResult call(String tool, Map<String, Object> args) {
    return client.callTool(new McpSchema.CallToolRequest(tool, args));
  }

  static String text(McpSchema.CallToolResult r) {
    StringBuilder sb = new StringBuilder();
    for (McpSchema.Content c : r.content()) {
      if (c instanceof McpSchema.TextContent t) {
        sb.append(t.text());
      }
    }
    return sb.toString();
  }

  @Override
  public void close() {
    client.closeGracefully();
  }
}
