package dev.codemode.server.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import dev.codemode.spec.EditDistance;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The messages {@link CallBinder} gives when an argument is wrong: one line each, saying where, what was given, what
 * is accepted, and the fix when it is a near miss ("did you mean"); near names are caught even where the schema
 * leaves an object open. Stateless.
 *
 * <pre>{@code
 * List<String> lines = SchemaMessages.messages(validator, body, "$.body", schema, paramNames);
 * }</pre>
 */
final class SchemaMessages {
  private static final ObjectMapper JSON = RequestBuilder.json();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final tools.jackson.databind.ObjectMapper JSON3 = tools.jackson.databind.json.JsonMapper.builder()
      .build();

  private SchemaMessages() {}

  static List<String> messages(Schema validator, JsonNode value, String at, JsonNode schema,
      Set<String> paramNames) {
    List<Error> errors;
    try {
      errors = validator.validate(JSON3.readTree(value.toString()));
    } catch (RuntimeException e) {
      return List.of(); // never block a call because the checker itself failed
    }
    List<String> out = new ArrayList<>();
    for (Error e : errors) {
      String m = message(e, value, at, paramNames);
      if (m != null && !out.contains(m)) {
        out.add(m);
      }
    }
    return out;
  }


  /** One line: where, what was given, what is accepted, and the fix when it is a near miss. */
  static String message(Error e, JsonNode root, String at, Set<String> paramNames) {
    String loc = e.getInstanceLocation() == null ? "$" : e.getInstanceLocation().toString();
    String where = at + (loc.startsWith("$") ? loc.substring(1) : loc);
    JsonNode given = root.at(pointer(e));
    JsonNode schemaNode = e.getSchemaNode() == null ? null : toJson2(e.getSchemaNode());
    String prop = e.getProperty();
    switch (e.getKeyword() == null ? "" : e.getKeyword()) {
      case "type":
        return where + " is " + given(given) + "; expected " + (schemaNode == null ? "another type"
            : schemaNode.isArray() ? join(schemaNode, " or ") : schemaNode.asText());
      case "enum": {
        String accepted = schemaNode == null ? "" : join(schemaNode, "|");
        String near = schemaNode == null || !given.isTextual() ? null : near(given.asText(), values(schemaNode));
        return where + " is " + given(given) + "; accepted: " + accepted + (near == null ? ""
            : " (did you mean \"" + near + "\"?)");
      }
      case "required": {
        String near = given.isObject() ? near(prop, names(given)) : null;
        return where + " lacks the required field '" + prop + "'" + (near == null ? ""
            : "; you passed '" + near + "': rename it to '" + prop + "'");
      }
      case "additionalProperties":
        return where + " has an unknown field '" + prop + "'" + (paramNames.contains(prop)
            ? ": it is a parameter, pass it at the top level of args, not in body" : "");
      case "format":
        return where + " is " + given(given) + "; expected format " + e.getArguments()[0]
            + formatHint(String.valueOf(e.getArguments()[0]));
      case "anyOf":
      case "oneOf":
        return where + " is " + given(given) + "; it matches none of the accepted shapes";
      case "const":
        return where + " is " + given(given) + "; expected " + (schemaNode == null ? "a fixed value" : schemaNode);
      default:
        String m = e.getMessage();
        return where + ": " + (m.startsWith(loc) ? m.substring(loc.length()).replaceFirst("^:\\s*", "") : m);
    }
  }


  /**
   * Fields of an object that are spelled like a declared field but are not one ({@code customer_id} for
   * {@code customerId}): caught even where the schema leaves the object open, since the API would silently ignore
   * them.
   */
  static List<String> nearNames(JsonNode value, JsonNode schema, String at) {
    List<String> out = new ArrayList<>();
    if (value == null || !value.isObject()) {
      return out;
    }
    Set<String> declared = new LinkedHashSet<>();
    collectProperties(schema, declared);
    if (declared.isEmpty()) {
      return out;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (declared.contains(f.getKey())) {
        out.addAll(nearNames(f.getValue(), propertySchema(schema, f.getKey()), at + "." + f.getKey()));
        continue;
      }
      String near = near(f.getKey(), declared);
      boolean closed = schema.path("additionalProperties").isBoolean()
          && !schema.path("additionalProperties").asBoolean();
      if (near != null && (closed || normalize(near).equals(normalize(f.getKey())))) {
        out.add(at + " has an unknown field '" + f.getKey() + "'; did you mean '" + near + "'?");
      }
    }
    return out;
  }


  static JsonNode propertySchema(JsonNode schema, String name) {
    JsonNode direct = schema.path("properties").get(name);
    if (direct != null) {
      return direct;
    }
    for (String k : new String[] {"allOf", "anyOf"}) {
      for (JsonNode part : schema.path(k)) {
        JsonNode p = propertySchema(part, name);
        if (p != null && !p.isMissingNode()) {
          return p;
        }
      }
    }
    return F.objectNode();
  }


  static void collectProperties(JsonNode schema, Set<String> into) {
    schema.path("properties").fieldNames().forEachRemaining(into::add);
    for (String k : new String[] {"allOf", "anyOf"}) {
      for (JsonNode part : schema.path(k)) {
        collectProperties(part, into);
      }
    }
  }


  /** The declared name spelled like {@code name} up to case, underscores and dashes, or one or two letters off. */
  static String near(String name, Iterable<String> candidates) {
    String n = normalize(name);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      if (c.equals(name)) {
        continue;
      }
      String nc = normalize(c);
      if (nc.equals(n)) {
        return c;
      }
      int d = EditDistance.between(n, nc);
      int allowed = Math.min(n.length(), nc.length()) >= 8 ? 2 : Math.min(n.length(), nc.length()) >= 4 ? 1 : 0;
      if (d <= allowed && d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    return best;
  }


  static String normalize(String s) {
    return s.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "").replace(".", "");
  }


  static String pointer(Error e) {
    StringBuilder sb = new StringBuilder();
    var loc = e.getInstanceLocation();
    if (loc == null) {
      return "";
    }
    for (int i = 0; i < loc.getNameCount(); i++) {
      sb.append('/').append(String.valueOf(loc.getElement(i)).replace("~", "~0").replace("/", "~1"));
    }
    return sb.toString();
  }


  static JsonNode toJson2(tools.jackson.databind.JsonNode n) {
    try {
      return JSON.readTree(n.toString());
    } catch (java.io.IOException e) {
      return null;
    }
  }


  static List<String> values(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(v.asText()));
    return out;
  }


  static List<String> names(JsonNode object) {
    List<String> out = new ArrayList<>();
    object.fieldNames().forEachRemaining(out::add);
    return out;
  }


  static String join(JsonNode array, String sep) {
    List<String> out = new ArrayList<>();
    for (JsonNode v : array) {
      if (out.size() == 12) {
        out.add("…");
        break;
      }
      out.add(v.isTextual() && sep.equals("|") ? '"' + v.asText() + '"' : v.isNull() ? "null" : v.asText());
    }
    return String.join(sep, out);
  }


  static String given(JsonNode v) {
    if (v == null || v.isMissingNode()) {
      return "missing";
    }
    String json = v.toString();
    String type = v.isTextual() ? "string" : v.isIntegralNumber() ? "integer" : v.isNumber() ? "number"
        : v.isBoolean() ? "boolean" : v.isNull() ? "null" : v.isArray() ? "array" : "object";
    return (json.length() > 40 ? json.substring(0, 39) + "…" : json) + " (" + type + ")";
  }


  /** A short description of a lenient schema, for "pass {body: ...}" and missing-parameter messages. */
  static String describe(JsonNode schema) {
    Set<String> types = ArgCoercion.types(schema);
    if (schema.has("enum")) {
      return join(schema.get("enum"), "|");
    }
    if (schema.has("required")) {
      return "{" + join(schema.get("required"), ", ") + ", …}";
    }
    return types.isEmpty() ? "{...}" : String.join("|", types).replace("object", "{...}");
  }


  static String formatHint(String format) {
    return switch (format) {
      case "date-time" -> " (RFC 3339, e.g. \"2024-05-01T12:00:00Z\")";
      case "date" -> " (e.g. \"2024-05-01\")";
      case "uuid" -> " (e.g. \"3fa85f64-5717-4562-b3fc-2c963f66afa6\")";
      default -> "";
    };
  }
}
