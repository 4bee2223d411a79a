package dev.codemode.spec.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codemode.spec.json.JsonBudget;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Copies parts of the raw document into a compact view, resolving local {@code $ref}s lazily. A cycle is detected on
 * the ancestor path only (a schema reused by siblings is expanded each time); a real cycle becomes
 * {@code {"$circular":"#/components/schemas/Node"}}. Below {@code maxDepth} nesting levels a reference becomes
 * {@code {"$ref":..,"…":"not expanded"}} and an inline schema {@code {"type":..,"…":"N more keys"}} (the one marker of
 * {@link JsonBudget}). Rendering stops with {@link Overflow} once roughly {@code limit} characters
 * were produced, so a too-deep attempt costs no more than the budget. One instance per rendering; not thread-safe.
 */
final class RefRenderer {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final Set<String> SCHEMA_DROP = Set.of("example", "examples", "xml", "externalDocs", "title",
      "discriminator", "readOnly", "writeOnly", "$schema", "$id", "$comment");
  private static final int MAX_ENUM = 40;
  private static final int SMALL_NODES = 6;
  private static final String NOT_EXPANDED = "not expanded";

  /** Thrown when the view grows past the limit; the caller retries shallower. */
  static final class Overflow extends RuntimeException {
    Overflow() {
      super(null, null, false, false);
    }
  }

  private final JsonNode root;
  private final int maxDepth;
  private final int descriptionChars;
  private final long limit;
  private final boolean schemaMode;
  private final Deque<String> ancestors = new ArrayDeque<>();
  private long produced;

  RefRenderer(JsonNode root, int maxDepth, int descriptionChars, long limit, boolean schemaMode) {
    this.root = root;
    this.maxDepth = maxDepth;
    this.descriptionChars = descriptionChars;
    this.limit = limit;
    this.schemaMode = schemaMode;
  }

  /** Follows {@code $ref}s of a non-schema object (a response, a request body) up to a few hops. */
  JsonNode deref(JsonNode node) {
    JsonNode cur = node;
    for (int hop = 0; cur != null && cur.isObject() && cur.has("$ref") && hop < 8; hop++) {
      String ref = cur.get("$ref").asText();
      if (!ref.startsWith("#")) {
        return null;
      }
      JsonNode next = lookup(ref);
      if (next == null) {
        return null;
      }
      cur = next;
    }
    return cur;
  }

  JsonNode lookup(String ref) {
    try {
      JsonNode target = root.at(JsonPointers.decodeUrl(ref.substring(1)));
      return target.isMissingNode() ? null : target;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  String text(String s) {
    return text(s, descriptionChars);
  }

  String text(String s, int max) {
    String t = s == null ? "" : s.strip().replaceAll("\\s+", " ");
    count(Math.min(t.length(), max));
    return t.length() <= max ? t : t.substring(0, Math.max(0, max)) + "…";
  }

  void count(int chars) {
    produced += chars + 3;
    if (produced > limit) {
      throw new Overflow();
    }
  }

  JsonNode render(JsonNode node, int depth) {
    if (node == null) {
      return F.nullNode();
    }
    if (node.isObject()) {
      JsonNode ref = node.get("$ref");
      if (ref != null && ref.isTextual()) {
        return renderRef(ref.asText(), depth);
      }
      if (depth > maxDepth && node.size() > 0 && isContainer(node) && !smallInline(node, new int[] {SMALL_NODES})) {
        count(30);
        ObjectNode cut = F.objectNode();
        if (node.has("type")) {
          cut.set("type", node.get("type"));
        }
        return JsonBudget.markCut(cut, node.size() - cut.size());
      }
      return renderObject(node, depth);
    }
    if (node.isArray()) {
      ArrayNode out = F.arrayNode();
      for (JsonNode item : node) {
        out.add(render(item, depth));
      }
      return out;
    }
    count(node.isTextual() ? node.asText().length() : 6);
    return node;
  }

  /** An inline schema without references and with only a few nodes (e.g. a oneOf of two primitives) costs little. */
  private static boolean smallInline(JsonNode node, int[] left) {
    if (--left[0] < 0) {
      return false;
    }
    if (node.isObject() && node.has("$ref")) {
      return false;
    }
    for (JsonNode child : node) {
      if (child.isContainerNode() && !smallInline(child, left)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isContainer(JsonNode node) {
    for (JsonNode v : node) {
      if (v.isContainerNode()) {
        return true;
      }
    }
    return false;
  }

  private JsonNode renderRef(String ref, int depth) {
    ObjectNode out = F.objectNode();
    count(ref.length() + 20);
    if (!ref.startsWith("#")) {
      return out.put("$ref", ref).put("$external", true);
    }
    if (ancestors.contains(ref)) {
      return out.put("$circular", ref);
    }
    if (depth > maxDepth) {
      return out.put("$ref", ref).put(JsonBudget.MARK, NOT_EXPANDED);
    }
    JsonNode target = lookup(ref);
    if (target == null) {
      return out.put("$ref", ref).put("$missing", true);
    }
    ancestors.push(ref);
    try {
      return render(target, depth);
    } finally {
      ancestors.pop();
    }
  }

  private JsonNode renderObject(JsonNode node, int depth) {
    ObjectNode out = F.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      String key = f.getKey();
      JsonNode v = f.getValue();
      if (schemaMode && (key.startsWith("x-") || SCHEMA_DROP.contains(key))) {
        continue;
      }
      count(key.length());
      if ("description".equals(key) && v.isTextual()) {
        if (descriptionChars > 0 && !v.asText().isBlank()) {
          out.put(key, text(v.asText()));
        }
      } else if (schemaMode && "enum".equals(key) && v.isArray() && v.size() > MAX_ENUM) {
        ArrayNode values = F.arrayNode();
        for (int i = 0; i < MAX_ENUM; i++) {
          values.add(render(v.get(i), depth));
        }
        values.add("… " + (v.size() - MAX_ENUM) + " more");
        out.set(key, values);
      } else if (schemaMode && "properties".equals(key) && v.isObject()) {
        ObjectNode props = F.objectNode();
        v.fields().forEachRemaining(p -> {
          count(p.getKey().length());
          props.set(p.getKey(), render(p.getValue(), depth + 1));
        });
        out.set(key, props);
      } else if (schemaMode && !v.isContainerNode()) {
        count(v.isTextual() ? v.asText().length() : 6);
        out.set(key, v);
      } else {
        out.set(key, render(v, depth + 1));
      }
    }
    return out;
  }
}
