package dev.codemode.spec.json;

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
 * Cuts a JSON value down to a character budget while keeping it valid JSON. Every cut carries the one marker,
 * {@value #MARK}: long strings end with {@code "…(+N chars)"}, long arrays end with a {@code "…N more items"} item,
 * wide objects end with a {@code "…": "N more keys"} field, and too-deep values become {@code "…[array of N]"} /
 * {@code "…{object with N keys}"}. Two ways to cut: {@link #fit} samples everything evenly (gentle cuts first,
 * tightening until the compact rendering fits: for results of scripts), {@link #fitInOrder} keeps the leading fields
 * whole and cuts from the end (for documents whose first fields matter most: the detail views of the spec index).
 * Stateless and thread-safe; used by the spec index and by every tool result, skill and audit line of the server.
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
  /** The one truncation marker: the key of an object's cut note and the first character of every cut text. */
  public static final String MARK = "…";
  /** Room {@link #fitInOrder} keeps for the marker after the last whole field or item. */
  private static final int RESERVE = 40;
  /** Less room than this for a field's value and it is left out rather than cut. */
  private static final int MIN_ROOM = 16;

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
    // even the leanest shape is too big: the start of the compact text, as a string ending with the marker
    int keep = Math.max(0, Math.min(full.length(), budgetChars - 40));
    JsonNode p = TextNode.valueOf(clip(full, keep));
    String text = compact(p);
    while (text.length() > budgetChars && keep > 0) {
      keep = Math.max(0, keep - Math.max(16, text.length() - budgetChars));
      p = TextNode.valueOf(clip(full, keep));
      text = compact(p);
    }
    if (text.length() > budgetChars) {
      p = TextNode.valueOf("");
      text = compact(p);
    }
    return new Cut(p, text, true, full.length());
  }

  private static JsonNode shrink(JsonNode n, Shape s, int depth) {
    if (n.isTextual()) {
      String t = n.asText();
      return t.length() <= s.chars() ? n : TextNode.valueOf(clip(t, s.chars()));
    }
    if (n.isArray()) {
      if (depth >= s.depth()) {
        return summary(n);
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
        a.add(moreItems(n.size() - s.items()));
      }
      return a;
    }
    if (n.isObject()) {
      if (depth >= s.depth()) {
        return summary(n);
      }
      ObjectNode o = F.objectNode();
      Iterator<Map.Entry<String, JsonNode>> it = n.fields();
      int i = 0;
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (i++ >= s.keys()) {
          markCut(o, n.size() - s.keys());
          break;
        }
        o.set(e.getKey(), shrink(e.getValue(), s, depth + 1));
      }
      return o;
    }
    return n;
  }

  /** The marker that ends a cut array: {@code "…N more items"}. */
  public static String moreItems(int n) {
    return MARK + n + " more items";
  }

  /** Ends a cut object with the marker field {@code "…": "N more keys"}; returns {@code o}. */
  public static ObjectNode markCut(ObjectNode o, int moreKeys) {
    return o.put(MARK, moreKeys + " more keys");
  }

  /** A container in one marker text: {@code "…[array of N]"} or {@code "…{object with N keys}"}. */
  private static TextNode summary(JsonNode n) {
    return TextNode.valueOf(n.isArray() ? MARK + "[array of " + n.size() + "]"
        : MARK + "{object with " + n.size() + " keys}");
  }

  /**
   * The compact JSON of {@code node}, cut to at most {@code budget} characters (at least 2) by keeping the leading
   * fields and items whole and cutting the first one that does not fit, then the marker. Valid JSON, same markers as
   * {@link #fit}.
   */
  public static String fitInOrder(JsonNode node, int budget) {
    String s = compact(node);
    if (s.length() <= budget) {
      return s;
    }
    s = compact(cutInOrder(node, budget));
    if (s.length() <= budget) {
      return s;
    }
    // the value's own type, holding only the marker
    s = compact(node.isObject() ? markCut(F.objectNode(), node.size())
        : node.isArray() ? F.arrayNode().add(moreItems(node.size())) : TextNode.valueOf(MARK));
    return s.length() <= budget ? s : node.isArray() ? "[]" : node.isObject() ? "{}" : "\"\"";
  }

  private static JsonNode cutInOrder(JsonNode node, int budget) {
    if (node.isTextual()) {
      return cutText(node.asText(), budget);
    }
    if (node.isObject()) {
      return cutObject((ObjectNode) node, budget);
    }
    if (node.isArray()) {
      return cutArray((ArrayNode) node, budget);
    }
    return F.nullNode();
  }

  private static JsonNode cutText(String text, int budget) {
    // the marker costs "…(+N chars)"; escapes may cost more, then each try keeps a tenth less
    int keep = Math.max(0, Math.min(text.length(), budget - 12 - String.valueOf(text.length()).length()));
    while (keep > 0) {
      TextNode candidate = TextNode.valueOf(clip(text, keep));
      if (compact(candidate).length() <= budget) {
        return candidate;
      }
      keep = keep * 9 / 10;
    }
    return TextNode.valueOf(MARK);
  }

  private static ObjectNode cutObject(ObjectNode node, int budget) {
    ObjectNode out = F.objectNode();
    int used = 2;
    int index = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); index++) {
      Map.Entry<String, JsonNode> field = it.next();
      int keyCost = compact(TextNode.valueOf(field.getKey())).length() + 1 + (out.isEmpty() ? 0 : 1);
      String value = compact(field.getValue());
      if (used + keyCost + value.length() + RESERVE <= budget) {
        out.set(field.getKey(), field.getValue());
        used += keyCost + value.length();
        continue;
      }
      int room = budget - used - keyCost - RESERVE;
      JsonNode v = field.getValue();
      if (room >= MIN_ROOM && (v.isContainerNode() || v.isTextual())) {
        JsonNode part = cutInOrder(v, room);
        if (compact(part).length() <= room) {
          out.set(field.getKey(), part);
          index++;
        }
      }
      int left = node.size() - index;
      return left > 0 ? markCut(out, left) : out; // with none left, the last value carries its own marker
    }
    return out;
  }

  private static ArrayNode cutArray(ArrayNode node, int budget) {
    ArrayNode out = F.arrayNode();
    int used = 2;
    for (int i = 0; i < node.size(); i++) {
      JsonNode v = node.get(i);
      int sep = out.isEmpty() ? 0 : 1;
      String value = compact(v);
      if (used + sep + value.length() + RESERVE <= budget) {
        out.add(v);
        used += sep + value.length();
        continue;
      }
      int room = budget - used - sep - RESERVE;
      int index = i;
      if (room >= MIN_ROOM && (v.isContainerNode() || v.isTextual())) {
        JsonNode part = cutInOrder(v, room);
        if (compact(part).length() <= room) {
          out.add(part);
          index++;
        }
      }
      return out.add(moreItems(node.size() - index));
    }
    return out;
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

  /** {@code s} cut to {@code max} chars (never inside a surrogate pair), ending with the marker {@code "…(+N chars)"}. */
  public static String clip(String s, int max) {
    if (s == null || s.length() <= max) {
      return s;
    }
    int end = Math.max(0, max > 0 && Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max);
    return s.substring(0, end) + MARK + "(+" + (s.length() - end) + " chars)";
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
      return summary(n);
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
