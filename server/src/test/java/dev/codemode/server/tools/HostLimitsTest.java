package dev.codemode.server.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codemode.isolate.Limits;
import dev.codemode.isolate.Sandbox;
import dev.codemode.isolate.SandboxConfig;
import dev.codemode.isolate.Sandboxes;
import dev.codemode.server.Codemode;
import dev.codemode.server.upstream.ApiGateway;
import dev.codemode.server.upstream.Redactor;
import dev.codemode.server.upstream.TestGateways;
import dev.codemode.server.upstream.UpstreamClient;
import dev.codemode.spec.ApiSpec;
import dev.codemode.spec.SearchHit;
import dev.codemode.spec.SearchIndex;
import dev.codemode.spec.SearchQuery;
import dev.codemode.spec.SpecLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 11, items 8-12: limits that must hold on the host, not only in the sandbox. Hostile scripts run through the
 * real execute tool, in both isolation modes, against a real upstream on a port that records what reaches it and
 * when the server lets go of each connection.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostLimitsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BUDGET = 20_000;
  private static final String SPEC = """
      {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "servers": [{"url": "http://localhost/v1"}],
       "paths": {
        "/slow": {"get": {"operationId": "slowRead", "responses": {"200": {"description": "ok"}}}},
        "/hold": {"get": {"operationId": "holdRead", "responses": {"200": {"description": "ok"}}}},
        "/write": {"post": {"operationId": "writeIt", "responses": {"200": {"description": "ok"}}}},
        "/orders": {"get": {"operationId": "listOrders", "responses": {"200": {"description": "ok"}}}}
       }}
      """;

  /**
   * Answers {@code /orders} at once, holds {@code /hold} until {@link #release} and never answers anything else;
   * records every request line, and when the client closed each connection.
   */
  static final class RecordingUpstream implements AutoCloseable {
    final ServerSocket socket;
    final List<String> requests = new CopyOnWriteArrayList<>();
    final Map<String, Long> closedAfterMs = new ConcurrentHashMap<>();
    volatile CountDownLatch release = new CountDownLatch(1);
    volatile CountDownLatch holdArrived = new CountDownLatch(1);

    RecordingUpstream() throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread t = new Thread(() -> {
        while (!socket.isClosed()) {
          try {
            Socket s = socket.accept();
            Thread h = new Thread(() -> serve(s), "upstream-conn");
            h.setDaemon(true);
            h.start();
          } catch (IOException e) {
            return;
          }
        }
      }, "upstream-accept");
      t.setDaemon(true);
      t.start();
    }

    URI base() {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/v1");
    }

    private void serve(Socket s) {
      try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
        while (true) {
          String head = readHead(in);
          if (head == null) {
            return;
          }
          String line = head.substring(0, head.indexOf('\r'));
          long t0 = System.nanoTime();
          requests.add(line);
          if (line.contains("/v1/orders")) {
            byte[] body = "[1,2,3]".getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            continue;
          }
          if (line.contains("/v1/hold")) {
            holdArrived.countDown();
            release.await(20, TimeUnit.SECONDS);
            out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
                .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            continue;
          }
          // Never answers: waits for the client to give up on the connection (or 20 s).
          s.setSoTimeout(20_000);
          try {
            while (in.read() >= 0) {
              // drain any body
            }
            closedAfterMs.put(line, (System.nanoTime() - t0) / 1_000_000);
          } catch (IOException e) {
            closedAfterMs.put(line, (System.nanoTime() - t0) / 1_000_000);
          }
          return;
        }
      } catch (IOException | InterruptedException e) {
        // the client went away
      }
    }

    private static String readHead(InputStream in) throws IOException {
      StringBuilder b = new StringBuilder();
      int c;
      while ((c = in.read()) >= 0) {
        b.append((char) c);
        if (b.length() >= 4 && b.substring(b.length() - 4).equals("\r\n\r\n")) {
          return b.toString();
        }
      }
      return null;
    }

    boolean saw(String fragment) {
      return requests.stream().anyMatch(r -> r.contains(fragment));
    }

    @Override
    public void close() throws IOException {
      release.countDown();
      socket.close();
    }
  }

  private record OneSpecIndex(List<ApiSpec> specs) implements SearchIndex {
    @Override
    public List<SearchHit> search(SearchQuery q) {
      return List.of();
    }

    @Override
    public void close() {}
  }

  private RecordingUpstream upstream;
  private UpstreamClient http;
  private Sandbox inProcess;
  private Sandbox process;
  private Path auditFile;
  private AuditLog audit;
  private ApiGateway gateway;
  private Limits limits;

  @BeforeAll
  void start() throws Exception {
    upstream = new RecordingUpstream();
    Path spec = Files.createTempFile("hostlimits", ".json");
    Files.writeString(spec, SPEC);
    ApiSpec api = SpecLoader.load("api", spec.toString());
    Redactor redactor = new Redactor();
    http = new UpstreamClient(UpstreamClient.Settings.defaults());
    gateway = TestGateways.open(api, upstream.base().toString(), http);
    auditFile = Files.createTempFile("audit", ".jsonl");
    audit = AuditLog.open(auditFile, redactor);
    // One call in flight for the whole server: the permits, not the per-script limit, are what a second script meets.
    limits = Limits.defaults().withWallTime(Duration.ofSeconds(15)).withMaxHostCalls(50, 1);
    // Cold sandboxes one after the other, each warmed by a first call: the tests below time what the host does.
    inProcess = Sandboxes.create(SandboxConfig.defaults().withProcessIsolated(false).withConcurrency(2, 4));
    warmUp("in-process");
    process = Sandboxes.create(SandboxConfig.defaults().withProcessIsolated(true).withConcurrency(2, 4));
    warmUp("process");
  }

  private void warmUp(String isolation) {
    long t0 = System.nanoTime();
    ToolOutput v = tools(isolation).execute(null, Map.of("code",
        "return (await api.call('listOrders')).length"), null).block(Duration.ofSeconds(180));
    assertNotNull(v);
    assertTrue(v.json().contains("\"result\":3"), v.json());
    System.out.println("[figure] " + isolation + " warm-up " + (System.nanoTime() - t0) / 1_000_000 + " ms");
  }

  @AfterAll
  void stop() throws IOException {
    inProcess.close();
    process.close();
    http.close();
    audit.close();
    upstream.close();
  }

  @BeforeEach
  void freshUpstreamLatch() {
    upstream.release = new CountDownLatch(1);
    upstream.holdArrived = new CountDownLatch(1);
  }

  private CodemodeTools tools(String isolation) {
    return new CodemodeTools(new OneSpecIndex(List.of(gateway.spec())), Map.of("api", gateway),
        isolation.equals("process") ? process : inProcess, Codemode.prelude(List.of(gateway.spec())), limits,
        new Redactor(), new CodemodeTools.Settings(dev.codemode.server.config.Budgets.defaults().withMaxOutputChars(BUDGET), true, false), audit);
  }

  private static JsonNode run(CodemodeTools tools, String code) throws IOException {
    ToolOutput v = tools.execute(null, Map.of("code", code), null).block(Duration.ofSeconds(40));
    assertNotNull(v);
    assertTrue(v.json().length() <= BUDGET + 200, "within the budget: " + v.json().length() + " chars");
    return JSON.readTree(v.json());
  }

  private List<JsonNode> auditLines() throws IOException {
    return Files.readAllLines(auditFile).stream().map(l -> {
      try {
        return JSON.readTree(l);
      } catch (IOException e) {
        throw new AssertionError("an audit line is not JSON: " + l, e);
      }
    }).toList();
  }

  private static void await(String what, java.util.function.BooleanSupplier condition, long ms)
      throws InterruptedException {
    long until = System.nanoTime() + ms * 1_000_000;
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < until, "timed out waiting for " + what);
      Thread.sleep(20);
    }
  }

  /** Item 8: a call the script does not await is counted, audited at its start, and cancelled when the script ends. */
  @ParameterizedTest
  @ValueSource(strings = {"in-process", "process"})
  void aCallTheScriptDoesNotAwaitIsCancelledWhenItReturns(String isolation) throws Exception {
    String marker = "/slow?m=" + isolation;
    long t0 = System.nanoTime();
    JsonNode r = run(tools(isolation), "api.request({method: 'GET', path: '/slow', query: {m: '" + isolation
        + "'}}); return 'done';");
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals("done", r.path("result").asText(), r.toString());
    assertEquals(1, r.path("calls").asInt(), "the started call counts: " + r);
    assertTrue(r.path("requests").toString().contains("GET /slow cancelled"), r.toString());
    assertTrue(ms < 10_000, "the execute did not wait for the slow call: " + ms + " ms");
    // Either the request was never sent, or the upstream saw it and then the connection closed: aborted, not left
    // running (the upstream never answers it, so only the server can have closed it).
    Thread.sleep(1_000);
    if (upstream.saw(marker)) {
      await("the upstream to see the connection closed", () -> upstream.closedAfterMs.keySet().stream()
          .anyMatch(k -> k.contains(marker)), 5_000);
    }
    System.out.println("[figure] " + isolation + ": unawaited call, execute answered in " + ms + " ms; upstream "
        + (upstream.saw(marker) ? "saw it, connection closed by the server after " + upstream.closedAfterMs.entrySet()
        .stream().filter(e -> e.getKey().contains(marker)).findFirst().orElseThrow().getValue() + " ms"
        : "never saw it"));
    List<JsonNode> lines = auditLines();
    assertTrue(lines.stream().anyMatch(l -> "call-start".equals(l.path("event").asText())
        && "/slow".equals(l.path("path").asText())), "a call-start line for the slow call: " + lines);
    JsonNode entry = lines.stream().filter(l -> l.path("code").asText().contains("'" + isolation + "'"))
        .reduce((a, b) -> b).orElseThrow();
    assertTrue(entry.path("calls").toString().contains("cancelled"), entry.toString());
  }

  /**
   * Item 8: {@code --max-parallel-calls} bounds the server. With one slot held by another execution, a write that a
   * second script fires and does not await waits for the slot, is cancelled when that script returns, and never
   * reaches the upstream, even after the slot frees.
   */
  @ParameterizedTest
  @ValueSource(strings = {"in-process", "process"})
  void aWaitingWriteOfAnEndedScriptNeverReachesTheUpstream(String isolation) throws Exception {
    CodemodeTools tools = tools(isolation);
    var holder = tools.execute(null, Map.of("code", "await api.call('holdRead'); return 'held';"), null).toFuture();
    assertTrue(upstream.holdArrived.await(30, TimeUnit.SECONDS), "the first execution holds the only slot");
    String tag = "w-" + isolation;
    JsonNode r = run(tools, "api.call('writeIt', {body: {tag: '" + tag + "'}}); return 'returned';");
    assertEquals("returned", r.path("result").asText(), r.toString());
    assertEquals(1, r.path("calls").asInt(), r.toString());
    assertTrue(r.path("requests").toString().contains("writeIt cancelled"), r.toString());
    upstream.release.countDown();
    assertTrue(holder.get(20, TimeUnit.SECONDS).json().contains("held"));
    // A request that had been queued would now be sent: check that nothing came, then that the slot is free again.
    JsonNode after = run(tools, "return (await api.call('listOrders')).length");
    assertEquals(3, after.path("result").asInt(), after.toString());
    assertFalse(upstream.saw("POST /v1/write"), "the write never reached the upstream: " + upstream.requests);
    assertTrue(auditLines().stream().anyMatch(l -> "call-start".equals(l.path("event").asText())
        && "writeIt".equals(l.path("operationId").asText())), "the write is audited at its start");
  }

  /** Item 9: a made-up operationId or API name of 300,000 chars is refused without suggestions, at once. */
  @ParameterizedTest
  @ValueSource(strings = {"in-process", "process"})
  void hugeNamesAreRefusedWithoutHostWork(String isolation) throws Exception {
    long t0 = System.nanoTime();
    JsonNode r = run(tools(isolation), """
        const id = 'listOrdersX'.repeat(30000);
        const out = [];
        try { await api.call(id); } catch (e) { out.push(e.message); }
        try { await __host('call', JSON.stringify({api: id, operationId: 'x'})); } catch (e) { out.push(e.message); }
        return out;
        """);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(r.at("/result/0").asText().contains("330000 characters long"), r.toString());
    assertTrue(r.at("/result/0").asText().length() < 300, r.toString());
    assertTrue(r.toString().length() < 2_000, "no name echoed whole: " + r.toString().length());
    assertTrue(ms < 5_000, "refused at once: " + ms + " ms");
  }

  /** Item 10: an argument over Jackson's 20 M string limit fails at once with a clear error, it does not hang. */
  @ParameterizedTest
  @ValueSource(strings = {"in-process", "process"})
  void anArgumentOverTheLimitFailsAtOnce(String isolation) throws Exception {
    long t0 = System.nanoTime();
    JsonNode r = run(tools(isolation), """
        try { await api.call('writeIt', {body: {blob: 'x'.repeat(21e6)}}); return 'sent'; }
        catch (e) { return e.message; }
        """);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(r.path("result").asText().contains("characters of JSON, over the"), r.toString());
    assertTrue(ms < 10_000, "failed at once, not at the 15 s wall time: " + ms + " ms");
    assertFalse(upstream.saw("POST /v1/write"), upstream.requests.toString());
  }

  /** Items 11 and 12: error texts under the budget; odd values come back as normal, parseable results. */
  @ParameterizedTest
  @ValueSource(strings = {"in-process", "process"})
  void errorTextsAndOddResultsStayNormalResults(String isolation) throws Exception {
    CodemodeTools tools = tools(isolation);
    JsonNode big = run(tools, "throw new Error('E'.repeat(3e6))");
    assertEquals("RUNTIME_ERROR", big.path("kind").asText(), big.toString().substring(0, 200));
    JsonNode toJson = run(tools, "return { toJSON() { throw new Error('T'.repeat(2e6)); } }");
    assertEquals("RUNTIME_ERROR", toJson.path("kind").asText());
    JsonNode forged = run(tools, "throw new Error('boom\\n    at script.js:99999999999:1')");
    assertEquals("RUNTIME_ERROR", forged.path("kind").asText(), forged.toString());
    assertTrue(forged.path("error").asText().startsWith("Error: boom"), forged.toString());

    JsonNode deep = run(tools, "let a = []; for (let i = 0; i < 600; i++) a = [a]; return a");
    assertTrue(deep.path("result").isArray(), "a result, not a protocol error: " + deep.toString().substring(0, 100));
    int depth = 0;
    for (JsonNode n = deep.path("result"); n.isArray(); n = n.path(0)) {
      depth++;
    }
    assertEquals(64, depth, "cut at the depth limit");
    assertTrue(deep.path("truncated").asText().contains("nested deeper"), deep.path("truncated").toString());

    JsonNode odd = run(tools, "return { s: 'a\\ud800b', [String.fromCharCode(0xdc00)]: 1, pair: '\\ud83d\\ude00' }");
    assertTrue(odd.path("result").isObject(), "the result stays an object: " + odd);
    assertEquals("a\uFFFDb", odd.at("/result/s").asText());
    assertEquals(1, odd.path("result").path("\uFFFD").asInt(), odd.toString());
    assertEquals("\uD83D\uDE00", odd.at("/result/pair").asText(), "pairs are kept");
    JsonNode loneError = run(tools, "throw new Error('x\\ud800')");
    // U+FFFD, or '?' where the worker's UTF-8 pipe already replaced it: either way a normal, well-formed result.
    assertTrue(loneError.path("error").asText().matches("(?s)Error: x[\uFFFD?]\n.*"), loneError.toString());

    for (JsonNode l : auditLines()) {
      assertTrue(l.toString().length() < 110_000, "audit line of " + l.toString().length() + " chars");
    }
  }
}
