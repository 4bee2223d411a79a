package dev.codemode.server.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import dev.codemode.spec.ApiSpec;
import dev.codemode.spec.EditDistance;
import dev.codemode.spec.LocalRefs;
import dev.codemode.spec.Operation;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Binds {@code api.call(operationId, args)} to a request ({@code {method, path, query, headers, body, contentType}})
 * and checks the arguments against the operation before any byte is sent: unknown names (with "did you mean" for
 * near names such as {@code accountId} for {@code account_id}), required parameters and body, parameter types,
 * formats and enums, and the body against its JSON Schema. Values that reach the wire as the API expects pass (a
 * numeric string for an integer path or query parameter, {@code null} where the schema is nullable); schemas are
 * made lenient first ({@link LenientSchema}) so that a broken or over-strict spec never blocks a call the API would
 * accept. Validators are compiled on an operation's first call and cached, so a call costs the same however large
 * the spec. Thread-safe.
 *
 * <pre>{@code
 * CallBinder binder = new CallBinder(spec);
 * BoundCall req = binder.bind(op, args);   // throws UpstreamException naming the path, the value and what is accepted
 * }</pre>
 */
final class CallBinder {
  private static final ObjectMapper JSON = RequestBuilder.json();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final tools.jackson.databind.ObjectMapper JSON3 = tools.jackson.databind.json.JsonMapper.builder()
      .build();
  /**
   * JSON Schema 2020-12 (what OpenAPI 3.1 uses; 3.0 schemas are converted by {@link LenientSchema}); format
   * assertions on for the few formats it keeps; 1.0 counts as an integer, as it does on the wire.
   */
  private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
      b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true)
          .losslessNarrowing(true).pathType(PathType.JSON_PATH).build()));
  private static final int MAX_MESSAGES = 2;
  private static final int SIGNATURE_IN_ERRORS = 400;

  private final ApiSpec spec;
  private final Map<String, Plan> plans = new ConcurrentHashMap<>();

  CallBinder(ApiSpec spec) {
    this.spec = spec;
  }

  /** A checked request for {@code op}; throws {@link UpstreamException} with what to fix when the args are wrong. */
  BoundCall bind(Operation op, JsonNode args) {
    Plan plan = plans.computeIfAbsent(op.operationId(), id -> compile(op));
    if (!args.isObject()) {
      throw fail(op, "args must be an object of parameter values, got " + given(args));
    }
    Set<String> paramNames = new LinkedHashSet<>();
    op.parameters().forEach(p -> paramNames.add(p.name()));
    List<String> unknown = new ArrayList<>();
    args.fieldNames().forEachRemaining(k -> {
      if (!paramNames.contains(k) && !k.equals("body") && !k.equals("contentType")) {
        unknown.add(k);
      }
    });
    JsonNode body = args.get("body");
    boolean flatBody = false;
    if (plan.body != null && !unknown.isEmpty() && plan.body.properties.containsAll(unknown)
        && (body == null || (plan.body.properties.contains("body") && !body.isObject()))) {
      ObjectNode flat = F.objectNode();
      unknown.forEach(k -> flat.set(k, args.get(k)));
      if (body != null) {
        flat.set("body", body);
      }
      body = flat;
      flatBody = true;
      unknown.clear();
    } else if (plan.body != null && body == null && !unknown.isEmpty() && nearAny(unknown, paramNames) == null) {
      ObjectNode flat = F.objectNode();
      unknown.forEach(k -> flat.set(k, args.get(k)));
      body = flat;
      flatBody = true;
      unknown.clear();
    }
    if (!unknown.isEmpty()) {
      throw fail(op, unknownArgs(op, plan, unknown, paramNames, body != null));
    }
    String path = op.path();
    Map<String, JsonNode> query = new LinkedHashMap<>();
    Map<String, String> headers = new LinkedHashMap<>();
    List<String> cookies = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (ParamPlan pp : plan.params) {
      Operation.Parameter p = pp.param;
      JsonNode v = args.get(p.name());
      if (v == null || v.isNull()) {
        if (p.required()) {
          problems.add("$." + p.name() + " is missing: the " + p.in() + " parameter '" + p.name()
              + "' is required" + (pp.schema.has("type") ? " (" + describe(pp.schema) + ")" : ""));
        }
        continue;
      }
      problems.addAll(checkParam(pp, v));
      String text = v.isValueNode() ? v.asText() : v.toString();
      switch (p.in()) {
        case "path" -> {
          if (text.isEmpty()) {
            problems.add("$." + p.name() + " is an empty string: the path parameter needs a value");
          }
          path = path.replace("{" + p.name() + "}", encodePathValue(text));
        }
        case "query" -> query.put(p.name(), v);
        case "header" -> headers.put(p.name(), text);
        case "cookie" -> cookies.add(p.name() + "=" + text);
        default -> { }
      }
    }
    if (!cookies.isEmpty()) {
      headers.put("Cookie", String.join("; ", cookies));
    }
    JsonNode sentBody = null;
    String ct = "";
    if (plan.body == null) {
      if (body != null) {
        problems.add(op.method() + " " + op.operationId() + " takes no request body; pass its parameters at the top "
            + "level of args" + (body.isObject() ? movedParams(body, paramNames) : ""));
      }
    } else if (body == null || body.isNull()) {
      if (plan.body.required && (plan.body.schema.has("required") || !plan.body.schema.path("type").asText("object")
          .equals("object"))) {
        problems.add("$.body is missing: " + op.operationId() + " needs a request body, pass {body: "
            + describe(plan.body.schema) + "}");
      }
    } else {
      ct = args.path("contentType").asText("");
      String sent = ct.isEmpty() ? plan.body.contentType : ct;
      problems.addAll(checkBody(plan.body, coerce(asSent(body, sent), plan.body.schema, !sent.contains("json")),
          flatBody ? "$" : "$.body", paramNames));
      sentBody = body;
      if (ct.isEmpty() && !plan.body.contentType.isEmpty() && (!plan.body.contentType.contains("json")
          || body.isTextual())) {
        ct = plan.body.contentType; // a JSON body given as text is sent as JSON, not as text/plain
      }
    }
    if (!problems.isEmpty()) {
      throw fail(op, String.join("; ", problems.subList(0, Math.min(MAX_MESSAGES, problems.size())))
          + (problems.size() > MAX_MESSAGES ? " (and " + (problems.size() - MAX_MESSAGES) + " more)" : ""));
    }
    return new BoundCall(op.method().toUpperCase(Locale.ROOT), path, query, headers, sentBody, ct, true);
  }

  /** Compiles the checks of one operation (once; then cached). */
  private Plan compile(Operation op) {
    JsonNode root = spec.document().orElse(null);
    JsonNode opNode = root == null ? null
        : root.path("paths").path(op.path()).path(op.method().toLowerCase(Locale.ROOT));
    Map<String, JsonNode> raw = new LinkedHashMap<>();
    if (opNode != null) {
      for (JsonNode list : List.of(root.path("paths").path(op.path()).path("parameters"), opNode.path("parameters"))) {
        for (JsonNode p : list) {
          JsonNode param = LocalRefs.deref(root, p);
          if (param != null && param.has("name")) {
            JsonNode schema = param.has("schema") ? param.get("schema") : contentSchema(param.get("content"));
            raw.put(param.path("in").asText() + ":" + param.path("name").asText(), schema);
          }
        }
      }
    }
    List<ParamPlan> params = new ArrayList<>();
    for (Operation.Parameter p : op.parameters()) {
      JsonNode schema = raw.get(p.in() + ":" + p.name());
      ObjectNode lenient = schema == null ? F.objectNode() : LenientSchema.of(root, schema);
      params.add(new ParamPlan(p, lenient, validator(lenient)));
    }
    BodyPlan body = null;
    if (op.requestBody() != null) {
      JsonNode rb = opNode == null ? null : LocalRefs.deref(root, opNode.get("requestBody"));
      String ct = "";
      JsonNode schema = null;
      JsonNode content = rb == null ? null : rb.get("content");
      if (content != null && content.isObject()) {
        for (Iterator<String> it = content.fieldNames(); it.hasNext(); ) {
          String type = it.next();
          if (ct.isEmpty() || (!ct.contains("json") && type.contains("json"))) {
            ct = type;
          }
        }
        schema = ct.isEmpty() ? null : content.path(ct).get("schema");
      } else if (!op.requestBody().contentTypes().isEmpty()) {
        ct = op.requestBody().contentTypes().get(0);
      }
      boolean checkable = ct.contains("json") || ct.startsWith("application/x-www-form-urlencoded");
      ObjectNode lenient = schema == null || !checkable ? F.objectNode() : LenientSchema.of(root, schema);
      Set<String> props = new LinkedHashSet<>(op.requestBody().fieldNames());
      collectProperties(lenient, props);
      body = new BodyPlan(op.requestBody().required(), ct, lenient, validator(lenient), props);
    }
    return new Plan(params, body);
  }

  private static Schema validator(ObjectNode lenient) {
    if (lenient.isEmpty()) {
      return null;
    }
    try {
      return REGISTRY.getSchema(JSON3.readTree(lenient.toString()));
    } catch (RuntimeException e) {
      return null; // a schema the validator cannot read is the spec's problem, not the caller's
    }
  }

  private List<String> checkParam(ParamPlan pp, JsonNode v) {
    if (pp.validator == null) {
      return List.of();
    }
    return messages(pp.validator, caseOfEnum(coerce(v, pp.schema, true), pp.schema), "$." + pp.param.name(), pp.schema,
        Set.of());
  }

  private List<String> checkBody(BodyPlan bp, JsonNode body, String at, Set<String> paramNames) {
    List<String> out = new ArrayList<>(nearNames(body, bp.schema, at));
    if (bp.validator != null && out.isEmpty()) {
      out.addAll(messages(bp.validator, body, at, bp.schema, paramNames));
    }
    return out;
  }

  private static List<String> messages(Schema validator, JsonNode value, String at, JsonNode schema,
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
  private static String message(Error e, JsonNode root, String at, Set<String> paramNames) {
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
  private static List<String> nearNames(JsonNode value, JsonNode schema, String at) {
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

  private static JsonNode propertySchema(JsonNode schema, String name) {
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

  private static void collectProperties(JsonNode schema, Set<String> into) {
    schema.path("properties").fieldNames().forEachRemaining(into::add);
    for (String k : new String[] {"allOf", "anyOf"}) {
      for (JsonNode part : schema.path(k)) {
        collectProperties(part, into);
      }
    }
  }

  private String unknownArgs(Operation op, Plan plan, List<String> unknown, Set<String> paramNames, boolean hasBody) {
    List<String> parts = new ArrayList<>();
    for (String k : unknown) {
      String near = near(k, paramNames);
      if (near != null) {
        parts.add("$." + k + " is not a parameter; did you mean '" + near + "'?");
      } else if (plan.body != null && hasBody && plan.body.properties.contains(k)) {
        parts.add("$." + k + " is a body field: put it inside body");
      } else {
        parts.add("$." + k + " is not a parameter of " + op.operationId());
      }
    }
    List<String> accepted = new ArrayList<>(paramNames);
    if (plan.body != null) {
      accepted.add("body");
    }
    return String.join("; ", parts.subList(0, Math.min(MAX_MESSAGES, parts.size())))
        + (parts.size() > MAX_MESSAGES ? " (and " + (parts.size() - MAX_MESSAGES) + " more)" : "")
        + ". Accepted: " + (accepted.isEmpty() ? "no arguments" : String.join(", ", accepted));
  }

  private static String movedParams(JsonNode body, Set<String> paramNames) {
    List<String> moved = new ArrayList<>();
    body.fieldNames().forEachRemaining(k -> {
      if (paramNames.contains(k)) {
        moved.add(k);
      }
    });
    return moved.isEmpty() ? "" : " (" + String.join(", ", moved) + ")";
  }

  private UpstreamException fail(Operation op, String what) {
    String sig = spec.signature(op.operationId()).orElse("");
    return new UpstreamException(op.operationId() + ": " + what + ".\n" + (sig.isEmpty()
        || sig.length() > SIGNATURE_IN_ERRORS ? "See search {\"detail\": \"" + op.operationId() + "\"} for its "
        + "parameters." : "Signature: " + sig));
  }

  /** A JSON body given as a string goes on the wire as that text, so it is checked as the JSON it holds. */
  private static JsonNode asSent(JsonNode body, String contentType) {
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
  private static JsonNode caseOfEnum(JsonNode v, JsonNode schema) {
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

  private static Set<String> types(JsonNode schema) {
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

  private static String nearAny(List<String> names, Set<String> candidates) {
    for (String n : names) {
      String near = near(n, candidates);
      if (near != null) {
        return near;
      }
    }
    return null;
  }

  private static String normalize(String s) {
    return s.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "").replace(".", "");
  }

  private static String pointer(Error e) {
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

  private static JsonNode toJson2(tools.jackson.databind.JsonNode n) {
    try {
      return JSON.readTree(n.toString());
    } catch (java.io.IOException e) {
      return null;
    }
  }

  private static List<String> values(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(v.asText()));
    return out;
  }

  private static List<String> names(JsonNode object) {
    List<String> out = new ArrayList<>();
    object.fieldNames().forEachRemaining(out::add);
    return out;
  }

  private static String join(JsonNode array, String sep) {
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
  private static String describe(JsonNode schema) {
    Set<String> types = types(schema);
    if (schema.has("enum")) {
      return join(schema.get("enum"), "|");
    }
    if (schema.has("required")) {
      return "{" + join(schema.get("required"), ", ") + ", …}";
    }
    return types.isEmpty() ? "{...}" : String.join("|", types).replace("object", "{...}");
  }

  private static String formatHint(String format) {
    return switch (format) {
      case "date-time" -> " (RFC 3339, e.g. \"2024-05-01T12:00:00Z\")";
      case "date" -> " (e.g. \"2024-05-01\")";
      case "uuid" -> " (e.g. \"3fa85f64-5717-4562-b3fc-2c963f66afa6\")";
      default -> "";
    };
  }

  private static JsonNode contentSchema(JsonNode content) {
    if (content == null || !content.isObject() || content.isEmpty()) {
      return null;
    }
    return content.elements().next().get("schema");
  }

  private record Plan(List<ParamPlan> params, BodyPlan body) {}

  private record ParamPlan(Operation.Parameter param, ObjectNode schema, Schema validator) {}

  private record BodyPlan(boolean required, String contentType, ObjectNode schema, Schema validator,
      Set<String> properties) {}

  /**
   * A path parameter value as it goes on the wire: percent-encoded, except that an escape the value already carries
   * ({@code %2F} in an "encoded" CIDR such as {@code 172.16.0.0%2F16}, which real specs give as examples) is kept as
   * written instead of being encoded again. The gateway still normalises and checks the whole path afterwards (a kept
   * {@code %2E%2E} becomes a {@code ..} segment and is refused; {@code %25XX} double encoding is refused).
   */
  static String encodePathValue(String text) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      int j = text.indexOf('%', i);
      if (j < 0) {
        out.append(encodeRun(text.substring(i)));
        break;
      }
      out.append(encodeRun(text.substring(i, j)));
      if (j + 2 < text.length() && RequestBuilder.isHex(text.charAt(j + 1))
          && RequestBuilder.isHex(text.charAt(j + 2))) {
        out.append(text, j, j + 3);
        i = j + 3;
      } else {
        out.append("%25");
        i = j + 1;
      }
    }
    return out.toString();
  }

  private static String encodeRun(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
