package dev.codemode.conformance;

import dev.codemode.server.transport.RecordingTransport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * The transport contract against the packaged jar with the demo API, written once and run over stdio, legacy SSE and
 * Streamable HTTP with the Java SDK client: initialize, the two tools, search, execute with structured content, a tool
 * error, progress per upstream call, ping, logging/setLevel, and cancellation of a never-ending script with one
 * execution slot (the next call must not wait for the 60 s time limit).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JarTransportContract {
  static final Duration TIMEOUT = Duration.ofSeconds(60);
  static final List<String> SERVER_ARGS = List.of("--demo", "--no-semantic", "--max-concurrent", "1",
      "--exec-timeout", "60s", "--cache-dir", Path.of("target", "codemode-cache").toAbsolutePath().toString());
  protected RecordingTransport transport;
  protected McpAsyncClient client;
  protected final List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();

  /** Starts the jar with {@code args} on this transport and returns a client transport connected to it. */
  protected abstract McpClientTransport start(List<String> args) throws Exception;

  protected abstract void stop();

  @BeforeAll
  void connect() throws Exception {
    transport = new RecordingTransport(start(SERVER_ARGS));
    client = McpClient.async(transport).requestTimeout(TIMEOUT).initializationTimeout(Duration.ofSeconds(180))
        .clientInfo(new McpSchema.Implementation("jar-contract", "1"))
        .progressConsumer(p -> {
          progress.add(p);
          return Mono.empty();
        }).build();
    client.initialize().block(Duration.ofSeconds(180));
  }

  @AfterAll
  void disconnect() {
    try {
      client.closeGracefully().block(Duration.ofSeconds(10));
    } catch (RuntimeException e) {
      // already gone
    }
    stop();
  }

  McpSchema.CallToolResult call(String tool, Map<String, Object> args) {
    return client.callTool(new McpSchema.CallToolRequest(tool, args)).block(TIMEOUT);
  }

  static String text(McpSchema.CallToolResult r) {
    StringBuilder sb = new StringBuilder();
    r.content().forEach(c -> sb.append(c instanceof McpSchema.TextContent t ? t.text() : ""));
    return sb.toString();
  }

  static void await(String what, Duration timeout, java.util.function.BooleanSupplier ok) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!ok.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }

  @Test
  void initializeDeclaresToolsAndLogging() {
    assertEquals("codemode", client.getServerInfo().name());
    assertNotNull(client.getServerCapabilities().tools());
    assertNotNull(client.getServerCapabilities().logging());
  }

  @Test
  void listsExactlySearchAndExecute() {
    List<McpSchema.Tool> tools = client.listTools().block(TIMEOUT).tools();
    assertEquals(List.of("search", "execute"), tools.stream().map(McpSchema.Tool::name).toList());
    assertEquals(Boolean.TRUE, tools.get(0).annotations().readOnlyHint());
    assertEquals(Boolean.TRUE, tools.get(1).annotations().openWorldHint());
    assertNotNull(tools.get(0).outputSchema());
    assertNotNull(tools.get(1).outputSchema());
  }

  @Test
  void searchFindsListOrders() {
    McpSchema.CallToolResult r = call("search", Map.of("query", "list orders", "limit", 3));
    assertFalse(Boolean.TRUE.equals(r.isError()), text(r));
    assertTrue(r.structuredContent().toString().contains("listOrders"), text(r));
  }

  @Test
  void executeReturnsStructuredContentAndProgress() throws Exception {
    progress.clear();
    McpSchema.CallToolResult r = client.callTool(McpSchema.CallToolRequest.builder().name("execute")
        .arguments(Map.of("code", "const a = await api.call('listOrders', {per_page: 2});\n"
            + "const b = await api.call('listOrders', {per_page: 3});\nreturn a.data.length + b.data.length;"))
        .progressToken("jar-progress").build()).block(TIMEOUT);
    assertFalse(Boolean.TRUE.equals(r.isError()), text(r));
    @SuppressWarnings("unchecked")
    Map<String, Object> out = (Map<String, Object>) r.structuredContent();
    assertEquals(5, ((Number) out.get("result")).intValue(), out.toString());
    await("2 progress notifications", Duration.ofSeconds(10), () -> progress.size() >= 2);
    assertEquals("jar-progress", progress.get(0).progressToken());
  }

  @Test
  void aThrowingScriptIsAToolError() {
    McpSchema.CallToolResult r = call("execute", Map.of("code", "throw new Error('boom')"));
    assertTrue(Boolean.TRUE.equals(r.isError()));
    assertTrue(text(r).contains("boom"), text(r));
  }

  @Test
  void pingAndSetLevel() {
    assertNotNull(client.ping().block(TIMEOUT));
    client.setLoggingLevel(McpSchema.LoggingLevel.WARNING).block(TIMEOUT);
  }

  @Test
  void cancellationStopsAScriptThatNeverEnds() throws Exception {
    progress.clear();
    Disposable running = client.callTool(McpSchema.CallToolRequest.builder().name("execute")
        .arguments(Map.of("code", "await api.call('listOrders', {per_page: 1});\nwhile (true) {}"))
        .progressToken("loop").build()).subscribe(r -> { }, e -> { });
    try {
      await("the script to make its first call", TIMEOUT, () -> progress.stream()
          .anyMatch(p -> "loop".equals(p.progressToken())));
      transport.cancel(transport.toolCallIds.get(transport.toolCallIds.size() - 1)).block(TIMEOUT);
    } finally {
      running.dispose();
    }
    long t0 = System.nanoTime();
    McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest("execute",
        Map.of("code", "return 6 * 7"))).block(Duration.ofSeconds(30));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertFalse(Boolean.TRUE.equals(r.isError()), text(r));
    assertTrue(ms < 15_000, "the only execution slot was still busy for " + ms + " ms after the cancel");
  }
}
