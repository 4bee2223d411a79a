package dev.codemode.spec.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;

/**
 * Serialises a Jackson tree compactly and, when it is larger than a budget, cuts it so that the result is still valid
 * JSON, at most the budget long, and says where and how much was cut ({@code "$truncated":"12 more fields"}).
 * Stateless and thread-safe.
 */
final class JsonBudget {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final String MARKER_KEY = "$truncated";
  private static final int RESERVE = 40;
  private static final int MIN_ROOM = 16;

  private JsonBudget() {}

  static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The compact JSON of {@code node}, cut to at most {@code budget} characters (at least 2). */
  static String fit(JsonNode node, int budget) {
    String s = write(node);
    if (s.length() <= budget) {
      return s;
    }
    s = write(cut(node, budget));
    if (s.length() <= budget) {
      return s;
    }
    s = "{\"" + MARKER_KEY + "\":true}";
    return s.length() <= budget ? s : "{}";
  }

  private static JsonNode cut(JsonNode node, int budget) {
    if (node.isTextual()) {
      return cutText(node.asText(), budget);
    }
    if (node.isObject()) {
      return cutObject((ObjectNode) node, budget);
    }
    if (node.isArray()) {
      return cutArray((ArrayNode) node, budget);
    }
    return NullNode.getInstance();
  }

  private static JsonNode cutText(String text, int budget) {
    int keep = Math.max(0, Math.min(text.length(), budget - 3));
    while (keep > 0) {
      String candidate = text.substring(0, keep) + "…";
      if (write(TextNode.valueOf(candidate)).length() <= budget) {
        return TextNode.valueOf(candidate);
      }
      keep = keep * 9 / 10;
    }
    return TextNode.valueOf("…");
  }

  private static ObjectNode cutObject(ObjectNode node, int budget) {
    ObjectNode out = MAPPER.createObjectNode();
    int used = 2;
    int index = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); index++) {
      Map.Entry<String, JsonNode> field = it.next();
      int keyCost = write(TextNode.valueOf(field.getKey())).length() + 1 + (out.isEmpty() ? 0 : 1);
      String value = write(field.getValue());
      if (used + keyCost + value.length() + RESERVE <= budget) {
        out.set(field.getKey(), field.getValue());
        used += keyCost + value.length();
        continue;
      }
      int room = budget - used - keyCost - RESERVE;
      JsonNode v = field.getValue();
      if (room >= MIN_ROOM && (v.isContainerNode() || v.isTextual())) {
        JsonNode part = cut(v, room);
        if (write(part).length() <= room) {
          out.set(field.getKey(), part);
          index++;
        }
      }
      int left = node.size() - index;
      if (left > 0) {
        out.put(MARKER_KEY, left + " more field" + (left == 1 ? "" : "s") + " cut; ask for less");
      } else {
        out.put(MARKER_KEY, true);
      }
      return out;
    }
    return out;
  }

  private static ArrayNode cutArray(ArrayNode node, int budget) {
    ArrayNode out = MAPPER.createArrayNode();
    int used = 2;
    for (int i = 0; i < node.size(); i++) {
      JsonNode v = node.get(i);
      int sep = out.isEmpty() ? 0 : 1;
      String value = write(v);
      if (used + sep + value.length() + RESERVE <= budget) {
        out.add(v);
        used += sep + value.length();
        continue;
      }
      int room = budget - used - sep - RESERVE;
      int index = i;
      if (room >= MIN_ROOM && (v.isContainerNode() || v.isTextual())) {
        JsonNode part = cut(v, room);
        if (write(part).length() <= room) {
          out.add(part);
          index++;
        }
      }
      out.add(MARKER_KEY + ": " + (node.size() - index) + " more items");
      return out;
    }
    return out;
  }
}
