package dev.codemode.server.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codemode.spec.LocalRefs;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;

/**
 * Turns one OpenAPI schema (3.0 or 3.1, local {@code $ref}s into the document) into a self-contained JSON Schema
 * 2020-12 that accepts everything the API would accept. Real specs are often broken or stricter than their APIs, so
 * where the spec is unreliable this errs towards accepting:
 * <ul>
 *   <li>unresolvable, external or cyclic {@code $ref}s, and anything below {@link #MAX_DEPTH} levels, accept anything;
 *   <li>OpenAPI 3.0 {@code nullable} (and Swagger's {@code x-nullable}) becomes a {@code "null"} type;
 *   <li>{@code oneOf} becomes {@code anyOf} (overlapping branches are common; the API takes any of them);
 *   <li>{@code additionalProperties: false} is kept only on plain object schemas, never next to or inside
 *       {@code allOf}/{@code anyOf}/{@code oneOf}, where JSON Schema would reject the other branches' fields;
 *   <li>{@code readOnly} properties are neither required nor checked; discriminators are ignored;
 *   <li>formats are checked only where they are unambiguous (date, date-time, uuid, ipv4, ipv6); patterns and string
 *       lengths not at all (the specs' own examples break them: Cloudflare's {@code ^[a-zA-Z0-9]$} for names,
 *       36-character ids under {@code maxLength: 32});
 *   <li>{@code required} inside {@code anyOf}/{@code oneOf} branches is dropped (branch-wise requirements are where
 *       specs and their own examples disagree most); {@code ""} is accepted for string enums (the "unset" value
 *       Stripe and Cloudflare examples use);
 *   <li>3.0's boolean {@code exclusiveMinimum}, {@code multipleOf} and unknown keywords are dropped.
 * </ul>
 * Stateless; each call reads the (shared, read-only) document tree.
 */
final class LenientSchema {
  static final int MAX_DEPTH = 10;
  private static final int MAX_NODES = 4_000;
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final Set<String> FORMATS = Set.of("date", "date-time", "uuid", "ipv4", "ipv6");
  private static final Set<String> COPY = Set.of("minimum", "maximum", "minItems", "maxItems", "uniqueItems",
      "minProperties", "maxProperties", "const");

  private final JsonNode root;
  private final Deque<String> ancestors = new ArrayDeque<>();
  private final Set<String> readOnlyNames = new HashSet<>();
  private int nodes;

  private LenientSchema(JsonNode root) {
    this.root = root;
  }

  /** The lenient JSON Schema for {@code schema}; {@code {}} (anything) when there is nothing to check. */
  static ObjectNode of(JsonNode root, JsonNode schema) {
    LenientSchema l = new LenientSchema(root);
    ObjectNode out = l.convert(schema, 0, false, false);
    if (!l.readOnlyNames.isEmpty()) {
      dropRequired(out, l.readOnlyNames);
    }
    return out;
  }

  /** A readOnly property declared in one allOf branch may be required by another: never require it. */
  private static void dropRequired(JsonNode node, Set<String> names) {
    if (node.isObject() && node.get("required") instanceof ArrayNode req) {
      for (int i = req.size() - 1; i >= 0; i--) {
        if (names.contains(req.get(i).asText())) {
          req.remove(i);
        }
      }
      if (req.isEmpty()) {
        ((ObjectNode) node).remove("required");
      }
    }
    for (JsonNode child : node) {
      if (child.isContainerNode()) {
        dropRequired(child, names);
      }
    }
  }


  private ObjectNode convert(JsonNode schema, int depth, boolean inComposition, boolean inAlternative) {
    if (schema == null || !schema.isObject() || depth > MAX_DEPTH || ++nodes > MAX_NODES) {
      return F.objectNode();
    }
    if (schema.has("$ref")) {
      String ref = schema.path("$ref").asText();
      if (ancestors.contains(ref)) {
        return F.objectNode();
      }
      JsonNode target = LocalRefs.deref(root, schema);
      if (target == null) {
        return F.objectNode();
      }
      ancestors.push(ref);
      try {
        return convert(target, depth, inComposition, inAlternative);
      } finally {
        ancestors.pop();
      }
    }
    ObjectNode out = F.objectNode();
    boolean nullable = schema.path("nullable").asBoolean(false) || schema.path("x-nullable").asBoolean(false);
    boolean composed = schema.has("allOf") || schema.has("anyOf") || schema.has("oneOf");
    JsonNode type = schema.get("type");
    if (type != null && type.isTextual() && !type.asText().equals("file")) {
      out.set("type", nullable ? F.arrayNode().add(type.asText()).add("null") : type);
    } else if (type != null && type.isArray()) {
      ArrayNode types = type.deepCopy();
      if (nullable && !contains(types, "null")) {
        types.add("null");
      }
      out.set("type", types);
    }
    JsonNode values = schema.get("enum");
    if (values != null && values.isArray() && !values.isEmpty()) {
      ArrayNode e = values.deepCopy();
      if (nullable && !contains(e, null)) {
        e.addNull();
      }
      boolean strings = true;
      for (JsonNode v : values) {
        strings &= v.isTextual() || v.isNull();
      }
      if (strings && !contains(e, "")) {
        e.add("");
      }
      out.set("enum", e);
    }
    for (String k : COPY) {
      JsonNode v = schema.get(k);
      if (v != null && (k.equals("const") || v.isNumber() || v.isBoolean())) {
        out.set(k, v);
      }
    }
    String format = schema.path("format").asText("");
    if (FORMATS.contains(format)) {
      out.put("format", format);
    }
    JsonNode props = schema.get("properties");
    if (props != null && props.isObject()) {
      ObjectNode p = out.putObject("properties");
      for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        boolean ro = readOnly(e.getValue());
        if (ro) {
          readOnlyNames.add(e.getKey());
        }
        p.set(e.getKey(), ro ? F.objectNode() : convert(e.getValue(), depth + 1, false, false));
      }
    }
    JsonNode required = schema.get("required");
    if (required != null && required.isArray() && !required.isEmpty() && !inAlternative) {
      ArrayNode r = F.arrayNode();
      for (JsonNode name : required) {
        JsonNode prop = props == null ? null : props.get(name.asText());
        if (name.isTextual() && (prop == null || !readOnly(prop))) {
          r.add(name);
        }
      }
      if (!r.isEmpty()) {
        out.set("required", r);
      }
    }
    JsonNode extra = schema.get("additionalProperties");
    if (extra != null && extra.isObject()) {
      out.set("additionalProperties", convert(extra, depth + 1, false, false));
    } else if (extra != null && extra.isBoolean() && !extra.asBoolean() && !composed && !inComposition) {
      out.put("additionalProperties", false);
    }
    if (schema.has("items") && schema.get("items").isObject()) {
      out.set("items", convert(schema.get("items"), depth + 1, false, false));
    }
    JsonNode allOf = schema.get("allOf");
    if (allOf != null && allOf.isArray()) {
      ArrayNode a = out.putArray("allOf");
      allOf.forEach(s -> a.add(convert(s, depth + 1, true, inAlternative)));
    }
    ArrayNode any = F.arrayNode();
    for (String k : new String[] {"anyOf", "oneOf"}) {
      JsonNode alts = schema.get(k);
      if (alts != null && alts.isArray() && !alts.isEmpty()) {
        ArrayNode a = F.arrayNode();
        alts.forEach(s -> a.add(convert(s, depth + 1, true, true)));
        if (any.isEmpty()) {
          any = a;
        } else {
          out.withArray("allOf").add(F.objectNode().set("anyOf", a));
        }
      }
    }
    if (!any.isEmpty() && !compatible(out.get("type"), any)) {
      any = F.arrayNode(); // type: array with anyOf: [objects] (Cloudflare): nothing could match; the type decides
    }
    if (!any.isEmpty()) {
      if (nullable && !out.has("type")) {
        any.add(F.objectNode().put("type", "null"));
      }
      out.set("anyOf", any);
    } else if (nullable && !out.has("type") && out.has("allOf")) {
      ObjectNode wrapped = F.objectNode();
      wrapped.putArray("anyOf").add(F.objectNode().put("type", "null")).add(out);
      return wrapped;
    }
    return out;
  }

  /** readOnly on the property, on its target, or in one of its allOf parts ({@code allOf: [{$ref}, {readOnly}]}). */
  private boolean readOnly(JsonNode prop) {
    JsonNode p = prop.has("$ref") ? LocalRefs.deref(root, prop) : prop;
    if (p == null) {
      return false;
    }
    if (p.path("readOnly").asBoolean(false)) {
      return true;
    }
    for (JsonNode part : p.path("allOf")) {
      JsonNode t = part.has("$ref") ? LocalRefs.deref(root, part) : part;
      if (t != null && t.path("readOnly").asBoolean(false)) {
        return true;
      }
    }
    return false;
  }

  /** Whether some alternative can hold a value of the declared type (an alternative without a type always can). */
  private static boolean compatible(JsonNode type, ArrayNode alternatives) {
    if (type == null) {
      return true;
    }
    Set<String> declared = new HashSet<>();
    if (type.isArray()) {
      type.forEach(t -> declared.add(t.asText()));
    } else {
      declared.add(type.asText());
    }
    for (JsonNode alt : alternatives) {
      JsonNode t = alt.get("type");
      if (t == null) {
        return true;
      }
      for (JsonNode x : t.isArray() ? t : F.arrayNode().add(t)) {
        String name = x.asText();
        if (declared.contains(name) || (name.equals("integer") && declared.contains("number"))
            || (name.equals("number") && declared.contains("integer"))) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean contains(ArrayNode a, String text) {
    for (JsonNode n : a) {
      if (text == null ? n.isNull() : text.equals(n.asText(null))) {
        return true;
      }
    }
    return false;
  }

}
