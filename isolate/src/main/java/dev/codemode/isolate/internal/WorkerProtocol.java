package dev.codemode.isolate.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codemode.isolate.ExecutionRequest;
import dev.codemode.isolate.ExecutionResult;
import dev.codemode.isolate.Limits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON-lines protocol between the server and a worker JVM, one object per line:
 * <pre>
 * parent -> worker  {"op":"run","id":1,"code":..,"prelude":..,"limits":{..}}   {"op":"cancel","id":1}
 *                   {"op":"reply","id":1,"call":3,"ok":true,"value":"{..}"}      (or "ok":false,"error":"..")
 * worker -> parent  {"op":"ready"}   {"op":"call","id":1,"call":3,"fn":"request","args":"{..}"}
 *                   {"op":"result","id":1,"kind":"OK","resultJson":..,"error":..,"logs":[..],..}
 * </pre>
 * Stateless helpers; {@link Channel} serialises writers.
 */
final class WorkerProtocol {
  static final ObjectMapper JSON = new ObjectMapper();

  private WorkerProtocol() {}

  /** A line-oriented writer shared by several threads. Thread-safe. */
  static final class Channel {
    private final Writer out;

    Channel(Writer out) {
      this.out = out;
    }

    synchronized void send(ObjectNode message) {
      try {
        out.write(JSON.writeValueAsString(message));
        out.write('\n');
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  static ObjectNode message(String op) {
    return JSON.createObjectNode().put("op", op);
  }

  static JsonNode parse(String line) throws JsonProcessingException {
    return JSON.readTree(line);
  }

  static ObjectNode run(long id, ExecutionRequest r) {
    Limits l = r.limits();
    ObjectNode m = message("run").put("id", id).put("code", r.code()).put("prelude", r.prelude());
    m.putObject("limits")
        .put("wallMs", l.wallTime().toMillis())
        .put("cpuMs", l.cpuTime().toMillis())
        .put("maxAllocatedBytes", l.maxAllocatedBytes())
        .put("maxStackDepth", l.maxStackDepth())
        .put("maxOutputBytes", l.maxOutputBytes())
        .put("maxLogBytes", l.maxLogBytes())
        .put("maxHostCalls", l.maxHostCalls())
        .put("maxHostCallsInFlight", l.maxHostCallsInFlight());
    return m;
  }

  static ExecutionRequest request(JsonNode m) {
    JsonNode l = m.get("limits");
    Limits limits = new Limits(Duration.ofMillis(l.get("wallMs").asLong()), Duration.ofMillis(l.get("cpuMs").asLong()),
        l.get("maxAllocatedBytes").asLong(), l.get("maxStackDepth").asInt(), l.get("maxOutputBytes").asInt(),
        l.get("maxLogBytes").asInt(), l.get("maxHostCalls").asInt(), l.get("maxHostCallsInFlight").asInt());
    return new ExecutionRequest(m.get("code").asText(), m.get("prelude").asText(), limits);
  }

  static ObjectNode result(long id, ExecutionResult r) {
    ObjectNode m = message("result").put("id", id).put("kind", r.kind().name())
        .put("resultJson", r.resultJson()).put("error", r.error())
        .put("droppedLogLines", r.droppedLogLines()).put("hostCalls", r.hostCalls())
        .put("elapsedMillis", r.elapsedMillis());
    ArrayNode logs = m.putArray("logs");
    r.logs().forEach(logs::add);
    return m;
  }

  static ExecutionResult result(JsonNode m) {
    List<String> logs = new ArrayList<>();
    m.get("logs").forEach(n -> logs.add(n.asText()));
    return new ExecutionResult(ExecutionResult.Kind.valueOf(m.get("kind").asText()), text(m, "resultJson"),
        text(m, "error"), logs, m.get("droppedLogLines").asInt(), m.get("hostCalls").asInt(),
        m.get("elapsedMillis").asLong());
  }

  static String text(JsonNode m, String field) {
    JsonNode n = m.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }
}
