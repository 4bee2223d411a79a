package dev.codemode.server.skills;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codemode.spec.json.JsonBudget;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a skill may look like: its name, the sizes of its parts, the shape of its params schema, and whether a run's
 * args fit that schema (required properties present, top-level types right). Every refusal says what to change.
 * Stateless.
 */
public final class SkillRules {
  /** A skill name: a letter, then letters, digits, '_' or '-'; at most 64 characters. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
  public static final int MAX_CODE_CHARS = 20_000;
  public static final int MAX_DESCRIPTION_CHARS = 500;
  public static final int MAX_PARAMS_CHARS = 4_000;
  /** The params schema when none is given: any object. */
  public static final String ANY_ARGS = "{\"type\":\"object\"}";

  private SkillRules() {}

  public static String checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new SkillStoreException("skill name '" + clip(name) + "' is not valid: use a letter, then letters, digits, "
          + "'_' or '-', at most 64 characters, e.g. 'topCustomersByRevenue'");
    }
    return name;
  }

  /** Checks a save and returns the params schema as compact JSON. */
  public static String check(String name, String description, String code, JsonNode params) {
    checkName(name);
    if (description == null || description.isBlank()) {
      throw new SkillStoreException("skills.save needs a description: one sentence saying what the skill does and "
          + "returns, so it can be found by search later");
    }
    if (description.length() > MAX_DESCRIPTION_CHARS) {
      throw new SkillStoreException("skill description is " + description.length() + " characters; keep it under "
          + MAX_DESCRIPTION_CHARS);
    }
    if (code == null || code.isBlank()) {
      throw new SkillStoreException("skills.save needs code: the body of an async function of (args, api, apis, "
          + "skills) that returns the answer");
    }
    if (code.length() > MAX_CODE_CHARS) {
      throw new SkillStoreException("skill code is " + code.length() + " characters; at most " + MAX_CODE_CHARS
          + " are kept. Split it into smaller skills that call each other with skills.run");
    }
    if (params == null || params.isNull() || params.isMissingNode()) {
      return ANY_ARGS;
    }
    if (!params.isObject()) {
      throw new SkillStoreException("skill params must be a JSON Schema object, e.g. {type: 'object', properties: "
          + "{login: {type: 'string'}}, required: ['login']}");
    }
    String json = JsonBudget.compact(params);
    if (json.length() > MAX_PARAMS_CHARS) {
      throw new SkillStoreException("skill params schema is " + json.length() + " characters; keep it under "
          + MAX_PARAMS_CHARS);
    }
    return json;
  }

  /**
   * Checks {@code args} against a params schema's required properties and top-level property types. Returns null
   * when they fit, else what is wrong.
   */
  public static String mismatch(String paramsJson, JsonNode args, ObjectMapper mapper) {
    JsonNode schema;
    try {
      schema = mapper.readTree(paramsJson);
    } catch (java.io.IOException e) {
      return null;
    }
    if (args != null && !args.isNull() && !args.isObject()) {
      return "args must be an object";
    }
    for (JsonNode r : schema.path("required")) {
      if (args == null || !args.has(r.asText())) {
        return "args." + r.asText() + " is required";
      }
    }
    if (args == null) {
      return null;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> p = it.next();
      String type = p.getValue().path("type").asText("");
      JsonNode v = args.get(p.getKey());
      if (v == null || v.isNull() || type.isEmpty() || fits(type, v)) {
        continue;
      }
      return "args." + p.getKey() + " must be " + type + ", was " + v.getNodeType().name().toLowerCase();
    }
    return null;
  }

  private static boolean fits(String type, JsonNode v) {
    return switch (type) {
      case "string" -> v.isTextual();
      case "integer" -> v.isIntegralNumber() || (v.isNumber() && v.asDouble() == Math.rint(v.asDouble()));
      case "number" -> v.isNumber();
      case "boolean" -> v.isBoolean();
      case "array" -> v.isArray();
      case "object" -> v.isObject();
      default -> true;
    };
  }

  private static String clip(String s) {
    return s == null ? "null" : s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }
}
