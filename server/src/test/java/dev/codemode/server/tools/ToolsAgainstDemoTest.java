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
import dev.codemode.demo.DemoApi;
import dev.codemode.spec.ApiSpec;
import dev.codemode.spec.SearchHit;
import dev.codemode.spec.SearchIndex;
import dev.codemode.spec.SearchQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tools without MCP, in one JVM: the real sandbox, the real gateway and the demo API on a real port. Fast
 * feedback for the prelude and result rendering; the packaged-jar tests live in conformance-tests.
 */
class ToolsAgainstDemoTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static DemoApi demo;
  private static Codemode app;
  private static CodemodeTools tools;

  /** The first operations whose text contains every word: enough for these tests, not the real ranking. */
  private record NaiveIndex(List<ApiSpec> specs) implements SearchIndex {
    @Override
    public List<SearchHit> search(SearchQuery q) {
      return specs.get(0).operations().stream()
          .filter(o -> (o.operationId() + " " + o.summary()).toLowerCase().contains(q.text().toLowerCase()))
          .limit(q.limit()).map(o -> new SearchHit(o, 1)).toList();
    }

    /** Stands in for the model's verdict (tested for real in spec-index): "order" queries fit, others do not. */
    @Override
    public boolean weak(SearchQuery q) {
      return !q.text().contains("order");
    }

    @Override
    public void close() {}
  }

  @BeforeAll
  static void start() throws Exception {
    demo = DemoApi.start("127.0.0.1", 0, "unit-token-xyz");
    Path spec = Files.createTempFile("demo", ".json");
    Files.writeString(spec, demo.openApiJson());
    ServerConfig config = ServerConfig.defaults()
        .withSpecsAndAuth(List.of(new ServerConfig.SpecSource("api", spec.toString(), demo.baseUrl().toString())),
            List.of(new ServerConfig.AuthBinding(null, "bearerAuth", Secret.of("t", demo.token()))))
        .withSandbox(SandboxConfig.defaults().withProcessIsolated(false))
        .withLimits(Limits.defaults().withWallTime(Duration.ofSeconds(60)))
        .withBudgets(Budgets.defaults().withMaxOutputChars(20_000));
    app = Codemode.builder(config).searchIndex(NaiveIndex::new).build();
    tools = app.tools();
  }

  @AfterAll
  static void stop() {
    app.close();
    demo.close();
  }

  private static JsonNode exec(String code) throws Exception {
    ToolOutput v = tools.execute(null, Map.of("code", code), null).block(Duration.ofSeconds(30));
    JsonNode n = JSON.readTree(v.json());
    if (v.isError()) {
      ((com.fasterxml.jackson.databind.node.ObjectNode) n).put("isError", true);
    }
    return n;
  }

  @Test
  void callAndRequestReachTheDemoWithTheCredentialAddedByTheHost() throws Exception {
    JsonNode r = exec("""
        const o = await api.call('getOrder', { orderId: 1 });
        const raw = await api.request({ method: 'GET', path: '/orders/1' });
        return { id: o.id, same: raw.body.id === o.id, status: raw.status };
        """);
    assertFalse(r.has("isError"), r.toString());
    assertEquals(1, r.at("/result/id").asInt());
    assertTrue(r.at("/result/same").asBoolean());
    assertEquals(2, r.get("calls").asInt());
  }

  @Test
  void httpErrorsThrowFromCallWithStatusAndBody() throws Exception {
    JsonNode r = exec("""
        try { await api.call('getOrder', { orderId: 99999999 }); return 'no'; }
        catch (e) { return { status: e.status, code: e.body.error.code, msg: e.message }; }
        """);
    assertEquals(404, r.at("/result/status").asInt(), r.toString());
    assertEquals("not_found", r.at("/result/code").asText());
    assertTrue(r.at("/result/msg").asText().contains("getOrder failed with HTTP 404"), r.toString());
  }

  @Test
  void aBigResultIsCutToTheBudgetAndStaysValidJson() throws Exception {
    JsonNode r = exec("""
        const all = [];
        for (let page = 1; page <= 20; page++) all.push(...(await api.call('listOrders', { page, per_page: 100 })).data);
        return all;
        """);
    assertTrue(r.get("truncated").asText().contains("Return less"), r.toString().substring(0, 300));
    assertTrue(r.toString().length() <= 20_500, "within budget: " + r.toString().length());
  }

  @Test
  void searchSaysWhenTheMatchesAreWeak() throws Exception {
    JsonNode strong = JSON.readTree(tools.searchAsync(Map.of("query", "order")).block(Duration.ofSeconds(30)).json());
    assertTrue(strong.get("results").size() > 0, strong.toString());
    assertTrue(strong.get("hint").asText().startsWith("Call with api.call"), strong.toString());
    JsonNode weak = JSON.readTree(tools.searchAsync(Map.of("query", "Order")).block(Duration.ofSeconds(30)).json());
    assertTrue(weak.get("results").size() > 0, weak.toString());
    assertTrue(weak.get("hint").asText().startsWith("Weak matches"), weak.toString());
  }

  @Test
  void searchCodeSeesTheSpecButNotTheNetwork() throws Exception {
    ToolOutput v = tools.searchAsync(Map.of("code", """
        const ops = await spec.operations();
        const d = await spec.operation('createOrder');
        return { n: ops.length, writes: ops.filter(o => o.method !== 'GET').map(o => o.operationId),
                 detail: typeof d, hasApi: typeof api };
        """)).block(Duration.ofSeconds(30));
    JsonNode r = JSON.readTree(v.json());
    assertFalse(v.isError(), v.json());
    assertEquals(18, r.at("/result/n").asInt());
    assertTrue(r.at("/result/writes").toString().contains("createOrder"));
    assertEquals("object", r.at("/result/detail").asText());
    assertEquals("undefined", r.at("/result/hasApi").asText());
  }
}
