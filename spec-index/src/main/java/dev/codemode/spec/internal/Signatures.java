package dev.codemode.spec.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codemode.spec.LocalRefs;
import dev.codemode.spec.Operation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Compact TypeScript-style declarations of operations, for the model to write a call right the first time:
 * {@code listOrders(args: {status?: "paid"|"shipped", page?: number}): Promise<{data: Order[], next_page: number|null}>}.
 * Shallow on purpose (request body two levels, response one; deeper named schemas stay names) and cut to a character
 * budget, stepping down depth before cutting text. Thread-safe: the document tree is only read.
 */
final class Signatures {
  /** About 180 tokens: the declaration must stay cheaper than the schema it summarizes. */
  static final int BUDGET_CHARS = 700;
  private static final int MAX_ENUM = 8;
  private static final int MAX_PROPS = 14;
  private static final int MAX_ALTS = 4;
  private static final int[][] DEPTHS = {{2, 1}, {1, 1}, {1, 0}, {0, 0}};

  private final JsonNode root;

  Signatures(JsonNode root) {
    this.root = root;
  }

  /** The declaration of one operation, at most {@link #BUDGET_CHARS} characters. */
  String of(Operation op) {
    JsonNode opNode = root.path("paths").path(op.path()).path(op.method().toLowerCase(Locale.ROOT));
    String last = "";
    for (int[] d : DEPTHS) {
      last = render(op, opNode, d[0], d[1], Integer.MAX_VALUE);
      if (last.length() <= BUDGET_CHARS) {
        return last;
      }
    }
    return render(op, opNode, 0, 0, BUDGET_CHARS);
  }

  /** Arguments are listed while they fit {@code budget}; the rest are counted, so the declaration stays whole. */
  private String render(Operation op, JsonNode opNode, int bodyDepth, int responseDepth, int budget) {
    List<String> args = new ArrayList<>();
    Map<String, JsonNode> paramSchemas = paramSchemas(op.path(), opNode);
    for (Operation.Parameter p : op.parameters()) {
      JsonNode schema = paramSchemas.get(p.in() + ":" + p.name());
      String type = schema == null ? (p.type().isEmpty() ? "string" : p.type()) : type(schema, 0, new HashSet<>());
      args.add(key(p.name()) + (p.required() ? ": " : "?: ") + type);
    }
    JsonNode body = LocalRefs.deref(root, opNode.get("requestBody"));
    if (body != null && body.isObject()) {
      JsonNode schema = contentSchema(body.get("content"));
      String type = schema == null ? "any" : type(schema, -bodyDepth, new HashSet<>());
      args.add("body" + (body.path("required").asBoolean(false) ? ": " : "?: ") + type);
    }
    String response = response(opNode.get("responses"), responseDepth);
    if (response.length() > budget / 4) {
      response = response.substring(0, budget / 4) + "…";
    }
    String head = op.operationId() + "(" + (args.isEmpty() ? "" : "args" + (hasRequired(op, body) ? "" : "?") + ": {");
    String tail = (args.isEmpty() ? "" : "}") + "): Promise<" + response + ">";
    StringBuilder sb = new StringBuilder(head);
    for (int i = 0; i < args.size(); i++) {
      String a = (i == 0 ? "" : ", ") + args.get(i);
      String more = ", …" + (args.size() - i) + " more";
      if (sb.length() + a.length() + tail.length() + more.length() > budget) {
        String cut = a.length() > 60 ? a.substring(0, 60) + "…" : a;
        if (sb.length() + cut.length() + tail.length() + more.length() <= budget) {
          sb.append(cut);
          i++;
          more = ", …" + (args.size() - i) + " more";
        }
        sb.append(i < args.size() ? more : "");
        break;
      }
      sb.append(a);
    }
    return sb.append(tail).toString();
  }

  private static boolean hasRequired(Operation op, JsonNode body) {
    return op.parameters().stream().anyMatch(Operation.Parameter::required)
        || (body != null && body.path("required").asBoolean(false));
  }

  private Map<String, JsonNode> paramSchemas(String path, JsonNode opNode) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (JsonNode list : List.of(root.path("paths").path(path).path("parameters"), opNode.path("parameters"))) {
      for (JsonNode p : list) {
        JsonNode param = LocalRefs.deref(root, p);
        if (param != null && param.has("name")) {
          JsonNode schema = param.get("schema");
          if (schema == null && param.has("content")) {
            schema = contentSchema(param.get("content"));
          }
          if (schema != null) {
            out.put(param.path("in").asText() + ":" + param.path("name").asText(), schema);
          }
        }
      }
    }
    return out;
  }

  private String response(JsonNode responses, int depth) {
    if (responses == null || !responses.isObject()) {
      return "unknown";
    }
    String status = null;
    for (Iterator<String> it = responses.fieldNames(); it.hasNext(); ) {
      String code = it.next();
      if (code.startsWith("2") && (status == null || code.compareTo(status) < 0)) {
        status = code;
      }
    }
    if (status == null) {
      status = responses.has("default") ? "default" : null;
    }
    JsonNode response = status == null ? null : LocalRefs.deref(root, responses.get(status));
    if (response == null) {
      return "unknown";
    }
    JsonNode schema = contentSchema(response.get("content"));
    return schema == null ? "null" : type(schema, -depth, new HashSet<>());
  }

  /** The schema of the JSON media type if there is one, else of the first. */
  static JsonNode contentSchema(JsonNode content) {
    if (content == null || !content.isObject() || content.isEmpty()) {
      return null;
    }
    JsonNode chosen = null;
    for (Iterator<Map.Entry<String, JsonNode>> it = content.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (chosen == null || e.getKey().contains("json")) {
        chosen = e.getValue();
        if (e.getKey().contains("json")) {
          break;
        }
      }
    }
    return chosen == null ? null : chosen.get("schema");
  }

  /**
   * A TypeScript type. {@code level} counts up from minus the allowed depth: objects below 0 collapse to their schema
   * name (or {@code object}).
   */
  private String type(JsonNode schema, int level, Set<String> seen) {
    if (schema == null || !schema.isObject()) {
      return schema != null && schema.isBoolean() && !schema.asBoolean() ? "never" : "any";
    }
    String name = null;
    JsonNode s = schema;
    if (s.has("$ref")) {
      String ref = s.path("$ref").asText();
      name = ref.substring(ref.lastIndexOf('/') + 1);
      if (seen.contains(ref)) {
        return name;
      }
      JsonNode target = LocalRefs.deref(root, s);
      if (target == null) {
        return name;
      }
      Set<String> next = new HashSet<>(seen);
      next.add(ref);
      seen = next;
      s = target;
    }
    String t = bare(s, name, level, seen);
    boolean nullable = s.path("nullable").asBoolean(false) || hasType(s, "null");
    return nullable && !t.endsWith("|null") && !t.equals("any") ? t + "|null" : t;
  }

  private String bare(JsonNode s, String name, int level, Set<String> seen) {
    JsonNode values = s.get("enum");
    if (values != null && values.isArray() && !values.isEmpty()) {
      List<String> parts = new ArrayList<>();
      for (JsonNode v : values) {
        if (v.isNull()) {
          continue;
        }
        if (parts.size() == MAX_ENUM) {
          parts.add("…");
          break;
        }
        parts.add(v.isTextual() ? '"' + v.asText() + '"' : v.toString());
      }
      return parts.isEmpty() ? "null" : String.join("|", parts);
    }
    if (s.has("const")) {
      JsonNode c = s.get("const");
      return c.isTextual() ? '"' + c.asText() + '"' : c.toString();
    }
    for (String key : new String[] {"oneOf", "anyOf"}) {
      JsonNode alts = s.get(key);
      if (alts != null && alts.isArray() && !alts.isEmpty() && !s.has("properties")) {
        if (name != null && level >= 0) {
          return name;
        }
        List<String> parts = new ArrayList<>();
        for (JsonNode alt : alts) {
          String p = type(alt, level + 1, seen);
          if (parts.size() == MAX_ALTS) {
            parts.add("…");
            break;
          }
          if (!parts.contains(p)) {
            parts.add(p.contains("=>") ? "(" + p + ")" : p);
          }
        }
        return String.join("|", parts);
      }
    }
    String type = primaryType(s);
    if ("array".equals(type) || (type == null && s.has("items"))) {
      String item = type(s.get("items"), level, seen);
      return (item.contains("|") || item.contains(" ") && !item.startsWith("{") ? "(" + item + ")" : item) + "[]";
    }
    if ("integer".equals(type) || "number".equals(type)) {
      return "number";
    }
    if ("string".equals(type) || "boolean".equals(type)) {
      return type;
    }
    if ("null".equals(type)) {
      return "null";
    }
    Map<String, JsonNode> props = new LinkedHashMap<>();
    Set<String> required = new HashSet<>();
    collect(s, props, required, 0);
    if (props.isEmpty()) {
      JsonNode extra = s.get("additionalProperties");
      if (extra != null && extra.isObject() && !extra.isEmpty()) {
        return level >= 0 && name != null ? name : "Record<string, " + type(extra, level + 1, seen) + ">";
      }
      return name != null ? name : type == null && !s.has("allOf") ? "any" : "object";
    }
    if (level >= 0) {
      return name != null ? name : "object";
    }
    List<String> fields = new ArrayList<>();
    for (Map.Entry<String, JsonNode> p : props.entrySet()) {
      if (fields.size() == MAX_PROPS) {
        fields.add("…" + (props.size() - MAX_PROPS) + " more");
        break;
      }
      JsonNode ps = p.getValue();
      JsonNode target = ps.has("$ref") ? LocalRefs.deref(root, ps) : ps;
      if (target != null && target.path("readOnly").asBoolean(false)) {
        continue;
      }
      fields.add(key(p.getKey()) + (required.contains(p.getKey()) ? ": " : "?: ") + type(ps, level + 1, seen));
    }
    return "{" + String.join(", ", fields) + "}";
  }

  /** Properties and required names of an object schema, merged through allOf (shallow, a few hops). */
  private void collect(JsonNode s, Map<String, JsonNode> props, Set<String> required, int hops) {
    if (s == null || hops > 4) {
      return;
    }
    JsonNode node = s.has("$ref") ? LocalRefs.deref(root, s) : s;
    if (node == null) {
      return;
    }
    node.path("properties").fields().forEachRemaining(e -> props.putIfAbsent(e.getKey(), e.getValue()));
    node.path("required").forEach(r -> required.add(r.asText()));
    for (JsonNode part : node.path("allOf")) {
      collect(part, props, required, hops + 1);
    }
  }

  private static String primaryType(JsonNode s) {
    JsonNode t = s.get("type");
    if (t == null) {
      return null;
    }
    if (t.isArray()) {
      for (JsonNode x : t) {
        if (!"null".equals(x.asText())) {
          return x.asText();
        }
      }
      return "null";
    }
    return t.asText();
  }

  private static boolean hasType(JsonNode s, String wanted) {
    JsonNode t = s.get("type");
    if (t != null && t.isArray()) {
      for (JsonNode x : t) {
        if (wanted.equals(x.asText())) {
          return true;
        }
      }
    }
    return false;
  }

  private static String key(String name) {
    return name.matches("[A-Za-z_$][A-Za-z0-9_$]*") ? name : '"' + name + '"';
  }
}
