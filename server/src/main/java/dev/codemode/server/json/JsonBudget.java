package dev.codemode.server.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Cuts a JSON value down to a character budget while keeping it valid JSON: long arrays keep their first items and
 * end with a {@code "…N more items"} marker, long strings end with {@code "…(+N chars)"}, wide objects keep their first
 * keys, and deep nesting is summarised. Tries gentle cuts first and tightens until the compact rendering fits.
 * Stateless and thread-safe.
 *
 * <pre>{@code
 * JsonBudget.Cut cut = JsonBudget.fit(node, 20_000);
 * if (cut.truncated()) { ... cut.json() is valid JSON of at most 20,000 chars ... }
 * }</pre>
 */
public final class JsonBudget {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** The cut value, its compact text, whether anything was cut, and the size of the whole. */
  public record Cut(JsonNode value, String json, boolean truncated, long fullChars) {}

  private record Shape(int items, int chars, int keys, int depth) {}

  private static final Shape[] STEPS = {
      new Shape(200, 2000, 200, 24), new Shape(100, 1000, 100, 16), new Shape(50, 500, 60, 12),
      new Shape(25, 300, 40, 10), new Shape(12, 200, 25, 8), new Shape(6, 120, 15, 6), new Shape(3, 80, 10, 5),
      new Shape(2, 60, 6, 4), new Shape(1, 40, 4, 3), new Shape(1, 20, 2, 2)};

  private JsonBudget() {}

  public static String compact(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render JSON", e);
    }
  }

  public static Cut fit(JsonNode node, int budgetChars) {
    String full = compact(node);
    if (full.length() <= budgetChars) {
      return new Cut(node, full, false, full.length());
    }
    for (Shape s : STEPS) {
      JsonNode cut = shrink(node, s, 0);
      String text = compact(cut);
      if (text.length() <= budgetChars) {
        return new Cut(cut, text, true, full.length());
      }
    }
    String preview = full.substring(0, Math.max(0, Math.min(full.length(), budgetChars - 40)));
    JsonNode p = TextNode.valueOf(preview);
    String text = compact(p);
    while (text.length() > budgetChars && !preview.isEmpty()) {
      preview = preview.substring(0, Math.max(0, preview.length() - Math.max(16, text.length() - budgetChars)));
      p = TextNode.valueOf(preview);
      text = compact(p);
    }
    return new Cut(p, text, true, full.length());
  }

  private static JsonNode shrink(JsonNode n, Shape s, int depth) {
    if (n.isTextual()) {
      String t = n.asText();
      return t.length() <= s.chars() ? n : TextNode.valueOf(t.substring(0, s.chars()) + "…(+"
          + (t.length() - s.chars()) + " chars)");
    }
    if (n.isArray()) {
      if (depth >= s.depth()) {
        return TextNode.valueOf("…[array of " + n.size() + "]");
      }
      ArrayNode a = F.arrayNode();
      int i = 0;
      for (JsonNode item : n) {
        if (i++ >= s.items()) {
          break;
        }
        a.add(shrink(item, s, depth + 1));
      }
      if (n.size() > s.items()) {
        a.add("…" + (n.size() - s.items()) + " more items");
      }
      return a;
    }
    if (n.isObject()) {
      if (depth >= s.depth()) {
        return TextNode.valueOf("…{object with " + n.size() + " keys}");
      }
      ObjectNode o = F.objectNode();
      Iterator<Map.Entry<String, JsonNode>> it = n.fields();
      int i = 0;
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (i++ >= s.keys()) {
          o.put("…", (n.size() - s.keys()) + " more keys");
          break;
        }
        o.set(e.getKey(), shrink(e.getValue(), s, depth + 1));
      }
      return o;
    }
    return n;
  }

  public static ObjectMapper mapper() {
    return JSON;
  }
}
