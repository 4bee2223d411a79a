package dev.codemode.server.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * Replaces every exact secret value (and the encodings in which it travels, such as a Basic header) with
 * {@value #MASK} in anything that goes back to the sandbox or the model: upstream bodies and headers, results, logs,
 * errors, audit records. Thread-safe; secrets can be added at run time (OAuth2 access tokens).
 *
 * <pre>{@code
 * Redactor r = new Redactor(); r.add("s3cr3t");
 * r.redact("token=s3cr3t")   // "token=[REDACTED]"
 * }</pre>
 */
public final class Redactor {
  public static final String MASK = "[REDACTED]";
  private final Set<String> secrets = new CopyOnWriteArraySet<>();
  private volatile List<String> ordered = List.of();

  /** Adds a secret; values shorter than 4 characters are also added (better an over-eager mask than a leak). */
  public void add(String secret) {
    if (secret == null || secret.isEmpty()) {
      return;
    }
    if (secrets.add(secret)) {
      List<String> l = new ArrayList<>(secrets);
      l.sort(Comparator.comparingInt(String::length).reversed());
      ordered = List.copyOf(l);
    }
  }

  public String redact(String s) {
    if (s == null || s.isEmpty()) {
      return s;
    }
    String out = s;
    for (String secret : ordered) {
      if (out.contains(secret)) {
        out = out.replace(secret, MASK);
      }
    }
    return out;
  }

  public boolean containsSecret(String s) {
    if (s == null) {
      return false;
    }
    for (String secret : ordered) {
      if (s.contains(secret)) {
        return true;
      }
    }
    return false;
  }

  /** A redacted copy of a JSON tree (field names and string values). */
  public JsonNode redact(JsonNode node) {
    if (ordered.isEmpty() || node == null) {
      return node;
    }
    if (node.isTextual()) {
      String r = redact(node.asText());
      return r.equals(node.asText()) ? node : TextNode.valueOf(r);
    }
    if (node.isArray()) {
      ArrayNode a = JsonNodeFactory.instance.arrayNode(node.size());
      node.forEach(n -> a.add(redact(n)));
      return a;
    }
    if (node.isObject()) {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      Iterator<Map.Entry<String, JsonNode>> it = node.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        o.set(redact(e.getKey()), redact(e.getValue()));
      }
      return o;
    }
    return node;
  }
}
