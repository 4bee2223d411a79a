package dev.codemode.server.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codemode.isolate.Limits;
import dev.codemode.isolate.SandboxConfig;
import dev.codemode.server.Codemode;
import dev.codemode.server.config.Budgets;
import dev.codemode.server.config.Secret;
import dev.codemode.server.config.ServerConfig;
import dev.codemode.server.upstream.RecordingUpstream;
import dev.codemode.spec.ApiSpec;
import dev.codemode.spec.SearchHit;
import dev.codemode.spec.SearchIndex;
import dev.codemode.spec.SearchQuery;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Dry runs and the pre-flight check with the real sandbox and a real upstream that records what it received: a dry
 * run sends reads and lists writes without sending them (also without the approval writes need otherwise); a script
 * with an unknown operationId or a syntax error runs nothing at all.
 */
class DryRunAndPreflightTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static RecordingUpstream upstream;
  private static Codemode app;
  private static CodemodeTools tools;

  @BeforeAll
  static void start() throws Exception {
    upstream = new RecordingUpstream();
    Path file = Files.createTempFile("demo", ".json");
    try (InputStream in = DryRunAndPreflightTest.class.getResourceAsStream("/demo/openapi.json")) {
      Files.write(file, in.readAllBytes());
    }
    // writes need approval and there is no client to ask: a real write fails, a dry run must not
    ServerConfig config = ServerConfig.defaults()
        .withSpecsAndAuth(List.of(new ServerConfig.SpecSource("api", file.toString(), upstream.base())),
            List.of(new ServerConfig.AuthBinding(null, "bearerAuth", Secret.of("t", "tok-1"))))
        .withSandbox(SandboxConfig.defaults().withProcessIsolated(false))
        .withLimits(Limits.defaults().withWallTime(Duration.ofSeconds(10)))
        .withBudgets(Budgets.defaults().withMaxOutputChars(20_000));
    app = Codemode.builder(config).searchIndex(specs -> new SearchIndex() {
      @Override
      public List<ApiSpec> specs() {
        return specs;
      }

      @Override
      public List<SearchHit> search(SearchQuery q) {
        return List.of();
      }

      @Override
      public void close() {}
    }).build();
    tools = app.tools();
  }

  @AfterAll
  static void stop() {
    app.close();
    upstream.close();
  }
  @BeforeEach
  void clear() {
    upstream.clear();
  }

  private static JsonNode exec(Map<String, Object> args) throws Exception {
    ToolOutput v = tools.execute(null, args, null).block(Duration.ofSeconds(30));
    JsonNode n = JSON.readTree(v.json());
    if (v.isError()) {
      ((com.fasterxml.jackson.databind.node.ObjectNode) n).put("isError", true);
    }
    return n;
  }

  @Test
  void dryRunSendsReadsAndListsEveryWriteWithoutSendingIt() throws Exception {
    JsonNode r = exec(Map.of("dryRun", true, "code", """
        const o = await api.call('getOrder', {orderId: 1});
        const created = await api.call('createOrder', {customerId: 42, items: [{productId: 7, quantity: 2}]});
        const raw = await api.request({method: 'DELETE', path: '/orders/5'});
        await api.call('updateOrder', {orderId: 3, body: {status: 'shipped'}});
        return {read: o.ok, created, raw: raw.dryRun};
        """));
    assertFalse(r.has("isError"), r.toString());
    assertEquals(List.of(new RecordingUpstream.Received("GET", "/orders/1", "")), upstream.received());
    assertTrue(r.at("/result/created/dryRun").asBoolean(), r.toString());
    assertTrue(r.at("/result/raw").asBoolean(), r.toString());
    assertTrue(r.path("dryRun").asBoolean());
    JsonNode w = r.get("writes");
    assertEquals(3, w.size(), r.toString());
    assertEquals("createOrder", w.at("/0/operationId").asText());
    assertEquals("POST", w.at("/0/method").asText());
    assertEquals("/orders", w.at("/0/path").asText());
    assertEquals(42, w.at("/0/body/customerId").asInt());
    assertEquals("DELETE", w.at("/1/method").asText());
    assertEquals("/orders/5", w.at("/1/path").asText());
    assertEquals("deleteOrder", w.at("/1/operationId").asText());
    assertEquals("shipped", w.at("/2/body/status").asText());
  }

  @Test
  void dryRunStillChecksArguments() throws Exception {
    JsonNode r = exec(Map.of("dryRun", true, "code",
        "await api.call('updateOrder', {orderId: 3, body: {status: 'sent'}}); return 1;"));
    assertTrue(r.has("isError"), r.toString());
    assertTrue(r.path("error").asText().contains("$.body.status is \"sent\""), r.toString());
    assertEquals(0, r.get("writes").size());
    assertEquals(List.of(), upstream.received());
  }

  @Test
  void aTypoOnLineNineFailsBeforeLinesOneToEightRun() throws Exception {
    JsonNode r = exec(Map.of("code", """
        const a = await api.call('getOrder', {orderId: 1});
        // api.call('commentedOut') is not checked
        const b = await api.call("listOrders", {});
        const c = await apis.api.call('getCustomer', {customerId: 1});
        const d = await apis['api'].call(`getProduct`, {productId: 1});
        const id = 'built' + 'AtRunTime';
        const e = 'https://example.com/x';
        const f = () => api.call('no' + 'pe');
        const g = await api.call('getOrdr', {orderId: 2});
        return g;
        """));
    assertTrue(r.has("isError"), r.toString());
    String msg = r.path("error").asText();
    assertTrue(msg.contains("line 9") && msg.contains("'getOrdr'") && msg.contains("getOrder"), msg);
    assertFalse(msg.contains("'no'") || msg.contains("commentedOut") || msg.contains("built"), msg);
    assertEquals(0, r.path("calls").asInt());
    assertEquals(List.of(), upstream.received());
  }

  @Test
  void anIdBuiltAtRunTimeGetsTheClosestIdsOnceWithOneAdvice() throws Exception {
    JsonNode r = exec(Map.of("code", "return await api.call('getOr' + 'dr', {orderId: 2});"));
    String msg = r.path("error").asText();
    assertTrue(msg.contains("unknown operation 'getOrdr'") && msg.contains("closest ids: getOrder"), msg);
    assertEquals(1, msg.split("Use search", -1).length - 1, msg);
    assertEquals(List.of(), upstream.received());
  }

  @Test
  void aSyntaxErrorFailsBeforeAnythingRuns() throws Exception {
    JsonNode r = exec(Map.of("code", """
        const a = await api.call('getOrder', {orderId: 1});
        const b = await api.call('getOrder', {orderId: 2});
        const c = {;
        return a;
        """));
    assertTrue(r.has("isError"), r.toString());
    assertTrue(r.path("error").asText().contains("SyntaxError"), r.toString());
    assertTrue(r.path("error").asText().contains("line 3"), r.toString());
    assertEquals(List.of(), upstream.received());
  }
}
