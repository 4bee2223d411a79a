package dev.codemode.server.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks at each inbound JSON-RPC message as it crosses a transport boundary: stamps {@code tools/call} requests with
 * a cancellation key in {@code params._meta} (replacing any value a client sent) and turns
 * {@code notifications/cancelled} into {@link CancellationRegistry#cancel}. Keys are {@code scope + "|" + id}, where
 * the scope is the MCP session (one stdio process, an SSE or Streamable HTTP session id), so one client cannot cancel
 * another's call. Anything it does not understand passes through unchanged for the SDK to answer. Thread-safe.
 *
 * <pre>{@code
 * byte[] forwarded = inspector.inbound(sessionId, body);
 * }</pre>
 */
final class JsonRpcInspector {
  private static final Logger LOG = LoggerFactory.getLogger(JsonRpcInspector.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final CancellationRegistry registry;

  JsonRpcInspector(CancellationRegistry registry) {
    this.registry = registry;
  }

  /** The message to forward: the same bytes, or a copy with the tools/call stamped. */
  byte[] inbound(String scope, byte[] body) {
    if (scope == null || !(contains(body, "tools/call") || contains(body, "notifications/cancelled"))) {
      return body;
    }
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      return body;
    }
    boolean changed = false;
    if (root != null && root.isArray()) {
      for (JsonNode m : root) {
        changed |= visit(scope, m);
      }
    } else if (root != null) {
      changed = visit(scope, root);
    }
    if (!changed) {
      return body;
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      return body;
    }
  }

  String inbound(String scope, String line) {
    byte[] in = line.getBytes(StandardCharsets.UTF_8);
    byte[] out = inbound(scope, in);
    return out == in ? line : new String(out, StandardCharsets.UTF_8);
  }

  private boolean visit(String scope, JsonNode m) {
    if (!(m instanceof ObjectNode msg)) {
      return false;
    }
    String method = msg.path("method").asText("");
    JsonNode id = msg.get("id");
    if (method.equals("tools/call") && id != null && !id.isNull()) {
      JsonNode params = msg.get("params");
      if (params != null && !params.isObject()) {
        return false;
      }
      ObjectNode p = params == null ? msg.putObject("params") : (ObjectNode) params;
      JsonNode meta = p.get("_meta");
      ObjectNode metaObj = meta instanceof ObjectNode o ? o : p.putObject("_meta");
      String key = key(scope, id);
      metaObj.put(CancellationRegistry.META_KEY, key);
      registry.expect(key);
      return true;
    }
    if (method.equals("notifications/cancelled") && id == null) {
      JsonNode requestId = msg.path("params").get("requestId");
      if (requestId != null && !requestId.isNull()) {
        boolean hit = registry.cancel(key(scope, requestId), msg.path("params").path("reason").asText(null));
        LOG.debug("notifications/cancelled for {} in {}: {}", requestId, scope, hit ? "matched" : "no such call");
      }
    }
    return false;
  }

  static String key(String scope, JsonNode id) {
    return scope + "|" + id.toString();
  }

  private static boolean contains(byte[] hay, String needle) {
    byte[] n = needle.getBytes(StandardCharsets.US_ASCII);
    outer:
    for (int i = 0; i <= hay.length - n.length; i++) {
      for (int j = 0; j < n.length; j++) {
        if (hay[i + j] != n[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
