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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 7 end to end: writes ask the human through MCP elicitation (an elicitation-capable Java SDK client approves
 * or declines), --read-only refuses, and a wrong credential is explained by scheme name. State is checked directly
 * on the upstream.
 */
class WritePolicyOverStdioTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "writes-token-" + System.nanoTime();
  private static final AtomicBoolean APPROVE = new AtomicBoolean();
  private static final List<String> ASKED = new CopyOnWriteArrayList<>();
  private static DemoApi demo;
  private static Path spec;
  private static StdioServer server;

  @BeforeAll
  static void start() throws Exception {
    demo = DemoApi.start("127.0.0.1", 0, TOKEN);
    spec = Files.createTempFile("demo", ".json");
    Files.writeString(spec, demo.openApiJson());
    server = new StdioServer(List.of("--spec", spec.toString(), "--auth", "bearerAuth=env:T", "--no-semantic"),
        Map.of("T", TOKEN), c -> c
            .capabilities(McpSchema.ClientCapabilities.builder().elicitation().build())
            .elicitation(req -> {
              ASKED.add(req.message());
              if (req.message().contains("/orders/" + SLOW_HUMAN_ORDER)) {
                sleep(1_500); // the human answers after the script has returned
                return new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, Map.of("approve", true));
              }
              return new McpSchema.ElicitResult(APPROVE.get() ? McpSchema.ElicitResult.Action.ACCEPT
                  : McpSchema.ElicitResult.Action.DECLINE, APPROVE.get() ? Map.of("approve", true) : null);
            }));
  }

  private static final int SLOW_HUMAN_ORDER = 4343;

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Issue 11 item 8: a write still waiting for the human when its script ends is never sent, even if approved. */
  @Test
  void aWriteApprovedAfterItsScriptEndedIsNeverSent() throws Exception {
    assertEquals(200, orderStatus(SLOW_HUMAN_ORDER));
    McpSchema.CallToolResult r = server.call("execute", Map.of("code",
        "api.call('deleteOrder', {orderId: " + SLOW_HUMAN_ORDER + "}); return 'returned';"));
    String text = StdioServer.text(r);
    JsonNode out = JSON.readTree(text);
    assertEquals("returned", out.path("result").asText(), text);
    assertEquals(1, out.path("calls").asInt(), "the started write counts: " + text);
    assertTrue(out.path("requests").toString().contains("deleteOrder cancelled"), text);
    long until = System.nanoTime() + 10_000_000_000L;
    while (ASKED.stream().noneMatch(q -> q.contains("/orders/" + SLOW_HUMAN_ORDER)) && System.nanoTime() < until) {
      sleep(50);
    }
    sleep(3_000); // the approval came 1.5 s after the question; a write that outlived its script would follow it
    assertEquals(200, orderStatus(SLOW_HUMAN_ORDER), "the approved write of an ended script was never sent");
  }

  @AfterAll
  static void stop() {
    server.close();
    demo.close();
  }

  private static int orderStatus(int id) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(demo.baseUrl() + "/orders/" + id)).header("Authorization", "Bearer " + TOKEN).build(),
        HttpResponse.BodyHandlers.ofString());
    return r.statusCode();
  }

  @Test
  void aWriteRunsOnlyAfterTheHumanApproves() throws Exception {
    int id = 4242;
    assertEquals(200, orderStatus(id));
    APPROVE.set(false);
    McpSchema.CallToolResult declined = server.call("execute", Map.of("code",
        "await api.call('deleteOrder', {orderId: " + id + "}); return 'deleted';"));
    assertTrue(Boolean.TRUE.equals(declined.isError()), StdioServer.text(declined));
    assertTrue(StdioServer.text(declined).contains("declined"), StdioServer.text(declined));
    assertEquals(200, orderStatus(id), "nothing deleted after a decline");
    String question = ASKED.get(ASKED.size() - 1);
    assertTrue(question.contains("DELETE /orders/" + id) && question.contains("deleteOrder"), question);

    APPROVE.set(true);
    McpSchema.CallToolResult approved = server.call("execute", Map.of("code",
        "await api.call('deleteOrder', {orderId: " + id + "}); return 'deleted';"));
    assertFalse(Boolean.TRUE.equals(approved.isError()), StdioServer.text(approved));
    assertEquals(404, orderStatus(id), "deleted after approval");
  }

  @Test
  void readOnlyRefusesAndAWrongCredentialIsExplained() throws Exception {
    try (StdioServer ro = new StdioServer(List.of("--spec", spec.toString(), "--auth", "bearerAuth=env:T",
        "--no-semantic", "--read-only", "--isolation", "in-process"), Map.of("T", "wrong-token"))) {
      McpSchema.Tool execute = ro.client.listTools().tools().get(1);
      assertEquals(Boolean.TRUE, execute.annotations().readOnlyHint());
      McpSchema.CallToolResult w = ro.call("execute", Map.of("code",
          "return await api.call('updateOrder', {orderId: 5, body: {status: 'cancelled'}});"));
      assertTrue(StdioServer.text(w).contains("--read-only"), StdioServer.text(w));
      McpSchema.CallToolResult denied = ro.call("execute", Map.of("code", "return await api.call('listOrders');"));
      String text = StdioServer.text(denied);
      JsonNode out = JSON.readTree(text);
      assertTrue(Boolean.TRUE.equals(denied.isError()), text);
      assertTrue(out.get("error").asText().contains("401") && text.contains("'bearerAuth' (http bearer, bound)"),
          text);
      assertFalse(text.contains("wrong-token"));
    }
  }
}
