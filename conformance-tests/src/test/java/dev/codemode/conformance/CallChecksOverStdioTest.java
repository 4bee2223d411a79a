package dev.codemode.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codemode.demo.DemoApi;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 end to end with the packaged jar over stdio and the demo API on a real port: a dry run reads for real,
 * lists its writes and changes nothing (without a client that could approve writes); pre-flight stops a script with
 * a mistyped operationId before its first line writes; a bad argument stops a write before it is sent; the tool
 * definitions and the detail view carry dryRun and the typed signature. State is checked directly on the upstream.
 */
class CallChecksOverStdioTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "calls-token-" + System.nanoTime();
  private static DemoApi demo;
  private static StdioServer asking;
  private static StdioServer writing;

  @BeforeAll
  static void start() throws Exception {
    demo = DemoApi.start("127.0.0.1", 0, TOKEN);
    Path spec = Files.createTempFile("demo", ".json");
    Files.writeString(spec, demo.openApiJson());
    asking = new StdioServer(List.of("--spec", spec.toString(), "--auth", "bearerAuth=env:T", "--no-semantic",
        "--isolation", "in-process"), Map.of("T", TOKEN));
    writing = new StdioServer(List.of("--spec", spec.toString(), "--auth", "bearerAuth=env:T", "--no-semantic",
        "--isolation", "in-process", "--allow-writes"), Map.of("T", TOKEN));
  }

  @AfterAll
  static void stop() {
    asking.close();
    writing.close();
    demo.close();
  }

  private static JsonNode order(int id) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(demo.baseUrl() + "/orders/" + id)).header("Authorization", "Bearer " + TOKEN).build(),
        HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
  }

  @Test
  void aDryRunReadsListsItsWritesAndChangesNothing() throws Exception {
    String before = order(4343).path("status").asText();
    McpSchema.CallToolResult r = asking.call("execute", Map.of("dryRun", true, "code", """
        const o = await api.call('getOrder', {orderId: 4343});
        await api.call('updateOrder', {orderId: 4343, body: {status: 'cancelled'}});
        await api.call('deleteOrder', {orderId: 4343});
        const d = await api.request({method: 'POST', path: '/customers/1/notes', body: {body: 'hi'}});
        return {read: o.id, dry: d.dryRun};
        """));
    String text = StdioServer.text(r);
    assertFalse(Boolean.TRUE.equals(r.isError()), text);
    JsonNode out = JSON.readTree(text);
    assertEquals(4343, out.at("/result/read").asInt(), text);
    assertTrue(out.at("/result/dry").asBoolean(), text);
    assertEquals(3, out.get("writes").size(), text);
    assertEquals("updateOrder", out.at("/writes/0/operationId").asText());
    assertEquals("cancelled", out.at("/writes/0/body/status").asText());
    assertEquals("DELETE", out.at("/writes/1/method").asText());
    assertEquals("/customers/1/notes", out.at("/writes/2/path").asText());
    assertEquals(1, out.get("calls").asInt(), "only the read was sent: " + text);
    assertEquals(before, order(4343).path("status").asText(), "the dry run changed nothing");
  }

  @Test
  void aTypoOnALaterLineStopsTheScriptBeforeItsFirstWrite() throws Exception {
    assertTrue(order(4344) != null);
    McpSchema.CallToolResult r = writing.call("execute", Map.of("code", """
        await api.call('deleteOrder', {orderId: 4344});
        const x = 1;
        return await api.call('listOrder', {});
        """));
    String text = StdioServer.text(r);
    assertTrue(Boolean.TRUE.equals(r.isError()), text);
    assertTrue(text.contains("line 3") && text.contains("'listOrder'") && text.contains("listOrders"), text);
    assertTrue(order(4344) != null, "line 1 never ran");
  }

  @Test
  void aBadArgumentStopsTheWriteBeforeItIsSent() throws Exception {
    String before = order(4345).path("status").asText();
    McpSchema.CallToolResult r = writing.call("execute", Map.of("code",
        "return await api.call('updateOrder', {orderId: 4345, body: {status: 'Cancelled'}});"));
    String text = StdioServer.text(r);
    assertTrue(Boolean.TRUE.equals(r.isError()), text);
    assertTrue(text.contains("$.body.status is \\\"Cancelled\\\"") && text.contains("did you mean \\\"cancelled\\\"")
        && text.contains("Signature: updateOrder(args: {orderId: number, body: {status: "), text);
    assertEquals(before, order(4345).path("status").asText());
  }

  @Test
  void toolsAndDetailCarryDryRunAndTheSignature() throws Exception {
    McpSchema.Tool execute = asking.client.listTools().tools().stream().filter(t -> t.name().equals("execute"))
        .findFirst().orElseThrow();
    assertTrue(execute.description().contains("dry-run first"), execute.description());
    assertTrue(String.valueOf(execute.inputSchema()).contains("dryRun"), String.valueOf(execute.inputSchema()));
    JsonNode detail = JSON.readTree(StdioServer.text(asking.call("search", Map.of("detail", "listOrders"))));
    String sig = detail.at("/operation/signature").asText();
    assertTrue(sig.startsWith("listOrders(args?: {page?: number, per_page?: number, status?: string"), sig);
    assertTrue(sig.contains("): Promise<{"), sig);
  }
}
