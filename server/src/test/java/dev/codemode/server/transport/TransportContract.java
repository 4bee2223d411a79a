package dev.codemode.server.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * The transport contract, written once and run against every transport (subclasses start the server and hand back a
 * connected client transport): initialize, the two tools with their annotations and output schemas, search, execute
 * with structured content, tool errors, progress, ping, logging/setLevel and cancellation.
 */
abstract class TransportContract {
  static final Duration TIMEOUT = Duration.ofSeconds(20);
  protected FixtureApp app;
  protected RecordingTransport transport;
  protected McpAsyncClient client;
  protected final List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();

  /** Starts the server under test and returns a client transport for it. */
  protected abstract McpClientTransport start(FixtureApp app) throws Exception;

  /** Stops the server under test. */
  protected abstract void stop();

  /** Whether the transport has sessions (all but stateless Streamable HTTP). */
  protected boolean sessions() {
    return true;
  }

  protected boolean scriptStarted() {
    return app.sandbox.loopStarted.get().getCount() == 0;
  }

  protected boolean scriptCancelled() {
    return app.sandbox.loopCancelled.get().getCount() == 0;
  }

  protected boolean slowSearchStarted() {
    return app.index.slowStarted.getCount() == 0;
  }

  @BeforeEach
  void connect() throws Exception {
    app = new FixtureApp();
    transport = new RecordingTransport(start(app));
    client = McpClient.async(transport)
        .requestTimeout(TIMEOUT)
        .clientInfo(new McpSchema.Implementation("contract-test", "1"))
        .progressConsumer(p -> {
          progress.add(p);
          return Mono.empty();
        })
        .build();
    client.initialize().block(TIMEOUT);
  }

  @AfterEach
  void disconnect() {
    try {
      client.closeGracefully().block(Duration.ofSeconds(5));
    } catch (RuntimeException e) {
      // the server may be gone already
    }
    stop();
    app.close();
  }

  static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
      }
      Thread.sleep(10);
    }
  }

  McpSchema.CallToolResult call(String tool, Map<String, Object> args) {
    return client.callTool(new McpSchema.CallToolRequest(tool, args)).block(TIMEOUT);
  }

  static String text(McpSchema.CallToolResult r) {
    StringBuilder sb = new StringBuilder();
    r.content().forEach(c -> sb.append(c instanceof McpSchema.TextContent t ? t.text() : ""));
    return sb.toString();
  }

  @Test
  void initializeNamesTheServerAndItsCapabilities() {
    assertEquals("codemode", client.getServerInfo().name());
    assertNotNull(client.getServerCapabilities().tools());
    if (sessions()) {
      assertNotNull(client.getServerCapabilities().logging(), "logging capability");
    }
  }

  @Test
  void listsExactlySearchAndExecuteWithAnnotationsAndOutputSchemas() {
    List<McpSchema.Tool> tools = client.listTools().block(TIMEOUT).tools();
    assertEquals(List.of("search", "execute"), tools.stream().map(McpSchema.Tool::name).toList());
    McpSchema.Tool search = tools.get(0);
    McpSchema.Tool execute = tools.get(1);
    assertEquals(Boolean.TRUE, search.annotations().readOnlyHint());
    assertEquals(Boolean.FALSE, search.annotations().openWorldHint());
    assertEquals(Boolean.TRUE, execute.annotations().openWorldHint());
    assertEquals(Boolean.FALSE, execute.annotations().readOnlyHint());
    assertNotNull(search.outputSchema(), "search outputSchema");
    assertNotNull(execute.outputSchema(), "execute outputSchema");
  }

  @Test
  void searchReturnsStructuredContent() {
    McpSchema.CallToolResult r = call("search", Map.of("query", "is the api up"));
    assertFalse(Boolean.TRUE.equals(r.isError()), text(r));
    assertTrue(r.structuredContent().toString().contains("ping"), r.structuredContent().toString());
  }

  @Test
  void executeReturnsStructuredContent() {
    McpSchema.CallToolResult r = call("execute", Map.of("code", FixtureApp.ADD));
    assertFalse(Boolean.TRUE.equals(r.isError()), text(r));
    @SuppressWarnings("unchecked")
    Map<String, Object> out = (Map<String, Object>) r.structuredContent();
    assertEquals(2, ((Number) out.get("result")).intValue(), out.toString());
  }

  @Test
  void aFailingScriptIsAToolErrorNotAProtocolError() {
    McpSchema.CallToolResult r = call("execute", Map.of("code", FixtureApp.THROW));
    assertTrue(Boolean.TRUE.equals(r.isError()));
    assertTrue(text(r).contains("boom"), text(r));
  }

  @Test
  void executeReportsProgressPerUpstreamCall() throws Exception {
    McpSchema.CallToolResult r = client.callTool(McpSchema.CallToolRequest.builder().name("execute")
        .arguments(Map.of("code", FixtureApp.calls(3))).progressToken("progress-1").build()).block(TIMEOUT);
    assertFalse(Boolean.TRUE.equals(r.isError()), text(r));
    if (!sessions()) {
      // Stateless HTTP answers each POST with one JSON body: there is no channel for progress, and none is sent.
      assertTrue(progress.isEmpty(), "no progress without a session: " + progress);
      return;
    }
    await("3 progress notifications", TIMEOUT, () -> progress.size() >= 3);
    assertEquals("progress-1", progress.get(0).progressToken());
    assertEquals(3.0, progress.get(2).progress());
    assertTrue(progress.get(0).message().contains("/ping"), progress.get(0).message());
  }

  @Test
  void pingAnswers() {
    assertNotNull(client.ping().block(TIMEOUT));
  }

  @Test
  void loggingSetLevelIsAccepted() {
    if (!sessions()) {
      // Without a session there is nowhere to keep a level, so the capability is not advertised.
      assertNull(client.getServerCapabilities().logging(), "stateless does not advertise logging");
      return;
    }
    client.setLoggingLevel(McpSchema.LoggingLevel.WARNING).block(TIMEOUT);
  }

  @Test
  void answersThatCompleteAtOnceAllArrive() throws Exception {
    int together = 12;
    for (int round = 0; round < 6; round++) {
      List<McpSchema.CallToolResult> got = new CopyOnWriteArrayList<>();
      List<Throwable> failed = new CopyOnWriteArrayList<>();
      // Sent from this one thread (the client's own sends stay in order); the server answers the round's searches at
      // once, on as many threads.
      for (int i = 0; i < together; i++) {
        client.callTool(new McpSchema.CallToolRequest("search", Map.of("query", FixtureApp.TOGETHER + together + " "
            + round))).subscribe(got::add, failed::add);
      }
      await("round " + round + "'s answers", Duration.ofSeconds(30), () -> got.size() + failed.size() == together);
      int r = round;
      assertEquals(0, failed.size(), () -> "round " + r + ": " + failed.size() + " of " + together
          + " calls got no answer, e.g. " + failed.get(0));
      assertTrue(got.stream().allMatch(a -> text(a).contains("ping")));
    }
  }

  @Test
  void aSearchInProgressHoldsUpNoOtherRequest() throws Exception {
    java.util.concurrent.atomic.AtomicReference<McpSchema.CallToolResult> slow = new java.util.concurrent.atomic.AtomicReference<>();
    Disposable running = client.callTool(new McpSchema.CallToolRequest("search",
        Map.of("query", FixtureApp.SLOW_QUERY))).subscribe(slow::set, e -> { });
    try {
      await("the slow search to start", TIMEOUT, this::slowSearchStarted);
      // Answered while the search still runs: the transport's reading thread is not the one searching.
      McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest("execute",
          Map.of("code", FixtureApp.ADD))).block(Duration.ofSeconds(5));
      assertFalse(Boolean.TRUE.equals(r.isError()), text(r));
      assertNotNull(client.ping().block(Duration.ofSeconds(5)));
      assertNull(slow.get(), "the execute was answered only after the search it came after");
      app.index.releaseSlow();
      await("the slow search's answer", TIMEOUT, () -> slow.get() != null);
      assertTrue(text(slow.get()).contains("ping"), text(slow.get()));
    } finally {
      app.index.releaseSlow();
      running.dispose();
    }
  }

  @Test
  void cancellationStopsTheScriptAndTheServerAnswersPromptly() throws Exception {
    if (!sessions()) {
      // Stateless HTTP cannot route a cancellation to one client's call: the notification is accepted and
      // ignored, and the server keeps answering.
      transport.cancel("no-such-request").block(TIMEOUT);
      assertNotNull(client.ping().block(TIMEOUT));
      return;
    }
    Disposable running = client.callTool(new McpSchema.CallToolRequest("execute", Map.of("code", FixtureApp.LOOP)))
        .subscribe(r -> { }, e -> { });
    try {
      await("the script to start", TIMEOUT, this::scriptStarted);
      Object id = transport.toolCallIds.get(transport.toolCallIds.size() - 1);
      transport.cancel(id).block(TIMEOUT);
      await("the script to be cancelled", Duration.ofSeconds(5), this::scriptCancelled);
    } finally {
      running.dispose();
    }
    long t0 = System.nanoTime();
    McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest("execute",
        Map.of("code", FixtureApp.ADD))).block(Duration.ofSeconds(5));
    assertFalse(Boolean.TRUE.equals(r.isError()), text(r));
    assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos());
  }
}
