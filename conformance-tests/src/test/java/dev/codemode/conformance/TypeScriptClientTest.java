package dev.codemode.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The official TypeScript SDK client ({@code src/test/node/ts-client.mjs}, run with the npm-installed Node 22) against
 * the packaged jar over stdio, legacy SSE and Streamable HTTP: both tools, structured content, a tool error, progress
 * per upstream call, and cancellation by AbortSignal (the SDK sends notifications/cancelled) of a script that never
 * ends, after which the single execution slot is free again at once.
 */
class TypeScriptClientTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> SERVER_ARGS = List.of("--demo", "--no-semantic", "--max-concurrent", "1",
      "--exec-timeout", "60s", "--cache-dir", Path.of("target", "codemode-cache").toAbsolutePath().toString());

  @ParameterizedTest
  @ValueSource(strings = {"stdio", "sse", "http"})
  void theTypeScriptClientUsesBothToolsAndCancels(String transport) throws Exception {
    Path node = NodeTools.node();
    JsonNode out;
    if (transport.equals("stdio")) {
      List<String> cmd = Jar.command(SERVER_ARGS);
      out = runClient(node, "stdio", JSON.writeValueAsString(cmd));
    } else {
      List<String> args = new ArrayList<>(SERVER_ARGS);
      args.addAll(List.of("--transport", transport, "--port", "0"));
      try (HttpServerProcess server = new HttpServerProcess(args, Map.of())) {
        out = runClient(node, transport, server.url.toString());
      }
    }
    System.out.println("[ts-client " + transport + "] " + out);
    assertTrue(out.path("ok").asBoolean(), "the TypeScript client failed: " + out.path("error").asText());
    assertEquals("codemode", out.at("/server/name").asText());
    List<String> names = new ArrayList<>();
    out.get("tools").forEach(t -> names.add(t.get("name").asText()));
    assertEquals(List.of("search", "execute"), names);
    assertTrue(out.at("/tools/0/annotations/readOnlyHint").asBoolean());
    assertTrue(out.at("/tools/1/annotations/openWorldHint").asBoolean());
    assertTrue(out.at("/tools/0/hasOutputSchema").asBoolean() && out.at("/tools/1/hasOutputSchema").asBoolean());
    assertFalse(out.at("/search/isError").asBoolean(), out.get("search").toString());
    assertTrue(out.at("/search/structuredContent").toString().contains("listOrders"), out.get("search").toString());
    assertFalse(out.at("/execute/isError").asBoolean(), out.get("execute").toString());
    assertEquals(5, out.at("/execute/structuredContent/result").asInt(), out.get("execute").toString());
    assertEquals(2, out.at("/execute/progress").size(), "one progress notification per upstream call: " + out);
    assertTrue(out.at("/failing/isError").asBoolean());
    assertTrue(out.at("/failing/text").asText().contains("boom"));
    assertTrue(out.path("cancelled").asText().startsWith("rejected"), out.path("cancelled").asText());
    assertEquals(42, out.at("/afterCancel/structuredContent/result").asInt(), out.toString());
    assertTrue(out.at("/afterCancel/millis").asLong() < 15_000,
        "the execution slot should be free right after the cancel, took " + out.at("/afterCancel/millis"));
    assertTrue(out.path("ping").asBoolean());
  }

  private static JsonNode runClient(Path node, String transport, String target) throws Exception {
    NodeTools.Run r = NodeTools.run(List.of(node.toString(), "ts-client.mjs", transport, target), NodeTools.HOME,
        Duration.ofMinutes(4));
    String last = r.output().strip().lines().reduce((a, b) -> b).orElse("");
    try {
      return JSON.readTree(last);
    } catch (Exception e) {
      throw new AssertionError("ts-client.mjs printed no JSON (exit " + r.exit() + "):\n" + NodeTools.tail(r.output(),
          4000));
    }
  }
}
