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
  /** For results of scripts: any depth is read (without recursion) so that {@link #tame} can cut it. */
  private static final ObjectMapper DEEP = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
      .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
          .maxNestingDepth(Integer.MAX_VALUE).maxStringLength(Integer.MAX_VALUE).build())
      .build());
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  /** Deepest nesting a result keeps; deeper values become a summary (clients and SDKs reject very deep JSON). */
  public static final int MAX_DEPTH = 64;

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

  /** JSON text from a script's sandbox, at any nesting depth; pass the value through {@link #tame} next. */
  public static JsonNode parseDeep(String json) throws java.io.IOException {
    return DEEP.readTree(pairedEscapes(wellFormed(json)));
  }

  /**
   * JSON text whose {@code \\uXXXX} escapes of UTF-16 surrogates are all paired: JavaScript's JSON.stringify writes a
   * lone surrogate as such an escape, which Jackson refuses (the whole value would be lost); each becomes
   * {@code \\uFFFD}. Returns {@code json} itself when there is none.
   */
  static String pairedEscapes(String json) {
    StringBuilder out = null;
    int n = json.length();
    int copied = 0;
    for (int i = 0; i < n; i++) {
      if (json.charAt(i) != '\\') {
        continue;
      }
      if (i + 1 < n && json.charAt(i + 1) != 'u') {
        i++; // an escaped character, perhaps a backslash: never the start of a \\u escape
        continue;
      }
      int c = hex4(json, i + 2);
      if (c < 0xD800 || c > 0xDFFF) {
        i += 5;
        continue;
      }
      int next = i + 6 + 1 < n && json.charAt(i + 6) == '\\' && json.charAt(i + 7) == 'u' ? hex4(json, i + 8) : -1;
      if (c <= 0xDBFF && next >= 0xDC00 && next <= 0xDFFF) {
        i += 11; // a pair
        continue;
      }
      if (out == null) {
        out = new StringBuilder(n);
      }
      out.append(json, copied, i).append("\\uFFFD");
      copied = i + 6;
      i += 5;
    }
    return out == null ? json : out.append(json, copied, n).toString();
  }

  private static int hex4(String s, int from) {
    if (from + 4 > s.length()) {
      return -1;
    }
    int v = 0;
    for (int k = from; k < from + 4; k++) {
      int d = Character.digit(s.charAt(k), 16);
      if (d < 0) {
        return -1;
      }
      v = v * 16 + d;
    }
    return v;
  }

  /** {@code s} cut to {@code max} chars (never inside a surrogate pair), ending with {@code "…(+N chars)"}. */
  public static String clip(String s, int max) {
    if (s == null || s.length() <= max) {
      return s;
    }
    int end = Math.max(0, max > 0 && Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max);
    return s.substring(0, end) + "…(+" + (s.length() - end) + " chars)";
  }

  /** A value made safe to send: how deep it was cut, and whether anything changed. */
  public record Tamed(JsonNode value, boolean cutDeep, boolean changed) {}

  /**
   * Makes a value safe for any JSON client: values nested deeper than {@code maxDepth} become the summaries
   * {@code "…[array of N]"} / {@code "…{object with N keys}"} (as in {@link #fit}), and lone UTF-16 surrogates in
   * strings and keys become U+FFFD (they have no UTF-8 form). Recursion never goes deeper than {@code maxDepth}.
   */
  public static Tamed tame(JsonNode node, int maxDepth) {
    boolean[] flags = new boolean[2];
    JsonNode v = tame(node, maxDepth, 0, flags);
    return new Tamed(v, flags[0], flags[0] || flags[1]);
  }

  private static JsonNode tame(JsonNode n, int maxDepth, int depth, boolean[] flags) {
    if (n.isTextual()) {
      String t = n.asText();
      String w = wellFormed(t);
      if (w != t) {
        flags[1] = true;
        return TextNode.valueOf(w);
      }
      return n;
    }
    if (!n.isContainerNode()) {
      return n;
    }
    if (depth >= maxDepth) {
      flags[0] = true;
      return TextNode.valueOf(n.isArray() ? "…[array of " + n.size() + "]" : "…{object with " + n.size() + " keys}");
    }
    if (n.isArray()) {
      ArrayNode a = (ArrayNode) n;
      for (int i = 0; i < a.size(); i++) {
        JsonNode item = a.get(i);
        JsonNode t = tame(item, maxDepth, depth + 1, flags);
        if (t != item) {
          a.set(i, t);
        }
      }
      return a;
    }
    ObjectNode o = (ObjectNode) n;
    boolean badKey = false;
    for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      badKey |= wellFormed(e.getKey()) != e.getKey();
      JsonNode t = tame(e.getValue(), maxDepth, depth + 1, flags);
      if (t != e.getValue()) {
        e.setValue(t);
      }
    }
    if (!badKey) {
      return o;
    }
    flags[1] = true;
    ObjectNode copy = F.objectNode();
    o.fields().forEachRemaining(e -> copy.set(wellFormed(e.getKey()), e.getValue()));
    return copy;
  }

  /** {@code s} itself when every surrogate is paired, else a copy with each lone one replaced by U+FFFD. */
  public static String wellFormed(String s) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
          continue;
        }
        StringBuilder b = new StringBuilder(n).append(s, 0, i);
        for (int j = i; j < n; j++) {
          char d = s.charAt(j);
          if (Character.isHighSurrogate(d) && j + 1 < n && Character.isLowSurrogate(s.charAt(j + 1))) {
            b.append(d).append(s.charAt(++j));
          } else {
            b.append(Character.isSurrogate(d) ? '\uFFFD' : d);
          }
        }
        return b.toString();
      }
    }
    return s;
  }
}
