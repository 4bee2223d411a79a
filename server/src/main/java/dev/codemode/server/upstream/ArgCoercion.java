package dev.codemode.server.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * How {@link CallBinder} reads an argument the way the wire will carry it before checking it: numeric and boolean
 * strings, one value for an array, enum case, a JSON body given as text. Stateless.
 *
 * <pre>{@code
 * JsonNode n = ArgCoercion.coerce(TextNode.valueOf("42"), integerSchema, true); // 42
 * }</pre>
 */
final class ArgCoercion {
  private static final ObjectMapper JSON = RequestBuilder.json();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private ArgCoercion() {}

  /** A JSON body given as a string goes on the wire as that text, so it is checked as the JSON it holds. */
  static JsonNode asSent(JsonNode body, String contentType) {
    if (body.isTextual() && contentType.contains("json")) {
      try {
        return JSON.readTree(body.asText());
      } catch (java.io.IOException e) {
        return body;
      }
    }
    return body;
  }


  /** Parameter enums match whatever the case: specs' own examples differ in case from their enums (Cloudflare). */
  static JsonNode caseOfEnum(JsonNode v, JsonNode schema) {
    if (v.isTextual() && schema.get("enum") instanceof ArrayNode values) {
      for (JsonNode e : values) {
        if (e.isTextual() && e.asText().equalsIgnoreCase(v.asText())) {
          return e;
        }
      }
    }
    return v;
  }


  /**
   * What reaches the wire as the API expects passes: a numeric or boolean string where the schema wants a number or
   * boolean, a number where it wants a string, one value where it wants an array (query and form values are text;
   * in JSON bodies most APIs coerce too, and specs' own examples rely on it, e.g. GitHub's string repository ids).
   */
  static JsonNode coerce(JsonNode v, JsonNode schema, boolean text) {
    Set<String> types = types(schema);
    if (v.isArray()) {
      JsonNode items = schema.path("items");
      if (!items.isObject()) {
        return v;
      }
      ArrayNode out = F.arrayNode();
      v.forEach(x -> out.add(coerce(x, items, text)));
      return out;
    }
    if (text && types.contains("array") && !v.isArray() && !v.isObject() && !types.contains("string")) {
      JsonNode items = schema.path("items");
      return F.arrayNode().add(items.isObject() ? coerce(v, items, true) : v);
    }
    if (v.isObject()) {
      ObjectNode out = v.deepCopy();
      JsonNode props = schema.path("properties");
      v.fieldNames().forEachRemaining(k -> {
        if (props.has(k)) {
          out.set(k, coerce(v.get(k), props.get(k), text));
        }
      });
      return out;
    }
    if (v.isTextual() && (types.contains("integer") || types.contains("number")) && !types.contains("string")) {
      try {
        BigDecimal n = new BigDecimal(v.asText().trim());
        if (types.contains("number") || n.stripTrailingZeros().scale() <= 0) {
          return n.stripTrailingZeros().scale() <= 0 ? F.numberNode(n.toBigIntegerExact()) : F.numberNode(n);
        }
      } catch (NumberFormatException | ArithmeticException e) {
        return v;
      }
    }
    if (v.isTextual() && types.contains("boolean") && !types.contains("string")
        && (v.asText().equals("true") || v.asText().equals("false"))) {
      return F.booleanNode(Boolean.parseBoolean(v.asText()));
    }
    if (text && (v.isNumber() || v.isBoolean()) && types.contains("string") && !types.contains(v.isNumber()
        ? (v.isIntegralNumber() ? "integer" : "number") : "boolean") && !types.contains("number")) {
      return TextNode.valueOf(v.asText());
    }
    return v;
  }


  static Set<String> types(JsonNode schema) {
    Set<String> out = new LinkedHashSet<>();
    JsonNode t = schema.get("type");
    if (t != null && t.isTextual()) {
      out.add(t.asText());
    } else if (t != null) {
      t.forEach(x -> out.add(x.asText()));
    }
    JsonNode values = schema.get("enum");
    if (out.isEmpty() && values != null) {
      values.forEach(x -> out.add(x.isNumber() ? "number" : x.isTextual() ? "string" : x.isBoolean() ? "boolean" : ""));
    }
    for (JsonNode alt : schema.path("anyOf")) {
      out.addAll(types(alt));
    }
    return out;
  }
}
