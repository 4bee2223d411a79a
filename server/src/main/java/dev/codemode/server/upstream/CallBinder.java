package dev.codemode.server.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import dev.codemode.spec.ApiSpec;
import dev.codemode.spec.LocalRefs;
import dev.codemode.spec.Operation;
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
      throw fail(op, "args must be an object of parameter values, got " + SchemaMessages.given(args));
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
              + "' is required" + (pp.schema.has("type") ? " (" + SchemaMessages.describe(pp.schema) + ")" : ""));
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
            + SchemaMessages.describe(plan.body.schema) + "}");
      }
    } else {
      ct = args.path("contentType").asText("");
      String sent = ct.isEmpty() ? plan.body.contentType : ct;
      JsonNode asSent = ArgCoercion.coerce(ArgCoercion.asSent(body, sent), plan.body.schema, !sent.contains("json"));
      problems.addAll(checkBody(plan.body, asSent,
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
      SchemaMessages.collectProperties(lenient, props);
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
    JsonNode asSent = ArgCoercion.caseOfEnum(ArgCoercion.coerce(v, pp.schema, true), pp.schema);
    return SchemaMessages.messages(pp.validator, asSent, "$." + pp.param.name(), pp.schema,
        Set.of());
  }

  private List<String> checkBody(BodyPlan bp, JsonNode body, String at, Set<String> paramNames) {
    List<String> out = new ArrayList<>(SchemaMessages.nearNames(body, bp.schema, at));
    if (bp.validator != null && out.isEmpty()) {
      out.addAll(SchemaMessages.messages(bp.validator, body, at, bp.schema, paramNames));
    }
    return out;
  }

  private String unknownArgs(Operation op, Plan plan, List<String> unknown, Set<String> paramNames, boolean hasBody) {
    List<String> parts = new ArrayList<>();
    for (String k : unknown) {
      String near = SchemaMessages.near(k, paramNames);
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

  private static String nearAny(List<String> names, Set<String> candidates) {
    for (String n : names) {
      String near = SchemaMessages.near(n, candidates);
      if (near != null) {
        return near;
      }
    }
    return null;
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
