package dev.codemode.server.tools;

import dev.codemode.spec.ApiSpec;
import dev.codemode.spec.Operation;
import java.util.List;
import java.util.Map;

/**
 * The two tool definitions: the product's front page. Every word here is paid for by every conversation, so it is
 * short and measured (at most 900 tokens for both tools, whatever the spec; see the token test). Stateless.
 */
final class ToolDescriptions {
  private ToolDescriptions() {}

  /** Appended to the search description when skills are on. */
  static final String SEARCH_SKILLS = " Saved skills rank beside operations (kind: skill); {\"detail\":\"skill:NAME\"} "
      + "shows one's code.";

  /** Appended to the execute description when skills are on. */
  static final String EXECUTE_SKILLS = "\n- Keep a script that worked for later sessions: await skills.save({name, "
      + "description, code, params}) (code: async body of (args, api); params: JSON Schema of args); reuse with "
      + "await skills.run(name, args); skills.list().";

  static String search(List<ApiSpec> specs) {
    return "Find operations of " + apiList(specs) + " to use in execute. Ask in plain words, e.g. "
        + "{\"query\":\"cancel an order\"}. Returns ranked operations (params: name?=optional). For one operation's full parameters and request/response schemas pass "
        + "{\"detail\":\"<operationId>\"}. Filters: api, tag, method; limit (default 8). No query lists the API's "
        + "areas; {\"query\", \"area\"} searches inside one. Or pass {\"code\": "
        + "\"...\"}, an async JS body over spec: await spec.operations(), spec.operation(id), spec.get(jsonPointer).";
  }

  static String execute(List<ApiSpec> specs, long timeoutSeconds, boolean writesNeedApproval, boolean readOnly) {
    String writes = readOnly ? "Writes (POST/PUT/PATCH/DELETE) are refused."
        : writesNeedApproval ? "Writes (POST/PUT/PATCH/DELETE) ask the user first." : "Writes are allowed.";
    return "Run JavaScript against the API: the body of an async function. Only what you return comes back, "
        + "as JSON, so filter, join and aggregate in the script.\n"
        + "- await api.call(operationId, args): the parsed response body. args holds path, query and header "
        + "parameters by name, plus body for the request body. Throws on HTTP >= 400 (err.status, err.body).\n"
        + "- await api.request({method, path, query, headers, body}): {status, headers, body}, never throws on "
        + "status; path is relative to the API base URL, e.g. '/orders/42'.\n"
        + (specs.size() > 1 ? "- apis.NAME is the client of each API (" + names(specs) + "); api is the first.\n" : "")
        + "- console.log output is returned too.\n"
        + "Credentials are added by the server. No other network, IO or timers. Limit " + timeoutSeconds
        + " s per run. " + writes + " dryRun: true sends reads only and lists the writes: dry-run first "
        + "before changing many things.\n"
        + examples(specs.get(0));
  }

  /**
   * Two worked examples that name the API's own read operations: a list call, and two reads in parallel, with
   * arguments of the right type. Falls back to any operation when the API has no suitable GET.
   */
  static String examples(ApiSpec spec) {
    List<Operation> gets = spec.operations().stream().filter(o -> o.method().equals("GET") && !o.deprecated())
        .toList();
    Operation list = gets.stream().filter(o -> required(o).stream().noneMatch(p -> p.in().equals("path")))
        .min(java.util.Comparator.comparingInt((Operation o) -> listLike(o) ? 0 : 1)
            .thenComparingInt(o -> required(o).size()))
        .orElse(gets.isEmpty() ? (spec.operations().isEmpty() ? null : spec.operations().get(0)) : gets.get(0));
    if (list == null) {
      return "";
    }
    Map<String, String> args = new java.util.LinkedHashMap<>();
    required(list).forEach(p -> args.put(p.name(), value(p, 1)));
    list.parameters().stream().filter(p -> !p.required() && PAGE_SIZE.contains(p.name())).findFirst()
        .ifPresent(p -> args.put(p.name(), "100"));
    String out = "Example: const r = await api.call('" + list.operationId() + "', " + object(args) + "); "
        + "return Array.isArray(r) ? r.length : r;";
    Operation item = gets.stream().filter(o -> required(o).size() == 1 && required(o).get(0).in().equals("path"))
        .findFirst().orElse(null);
    if (item != null) {
      Operation.Parameter id = required(item).get(0);
      out += "\nParallel: const [a, b] = await Promise.all([api.call('" + item.operationId() + "', "
          + object(Map.of(id.name(), value(id, 1))) + "), api.call('" + item.operationId() + "', "
          + object(Map.of(id.name(), value(id, 2))) + ")]);";
    }
    return out;
  }

  private static final java.util.Set<String> PAGE_SIZE = java.util.Set.of("per_page", "perPage", "page_size",
      "pageSize", "limit");

  private static List<Operation.Parameter> required(Operation o) {
    return o.parameters().stream().filter(Operation.Parameter::required).toList();
  }

  private static boolean listLike(Operation o) {
    String id = o.operationId().toLowerCase(java.util.Locale.ROOT);
    return id.startsWith("list") || id.contains("/list") || id.contains("_list") || id.startsWith("search");
  }

  /** A plausible literal for a parameter: a number for numbers, the first value of an enum, else a short string. */
  private static String value(Operation.Parameter p, int n) {
    String t = p.type() == null ? "" : p.type();
    if (t.startsWith("integer") || t.startsWith("number")) {
      return Integer.toString(n);
    }
    if (t.startsWith("boolean")) {
      return "true";
    }
    if (t.startsWith("\"")) {
      int end = t.indexOf('"', 1);
      return end > 1 ? "'" + t.substring(1, end) + "'" : "'" + n + "'";
    }
    return p.name().toLowerCase(java.util.Locale.ROOT).endsWith("id") ? "'" + n + "'" : "'example'";
  }

  private static String object(Map<String, String> args) {
    StringBuilder sb = new StringBuilder("{");
    args.forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "")
        .append(k.matches("[A-Za-z_$][A-Za-z0-9_$]*") ? k : "'" + k + "'").append(": ").append(v));
    return sb.append('}').toString();
  }

  private static String apiList(List<ApiSpec> specs) {
    if (specs.size() == 1) {
      String title = specs.get(0).title();
      return "the " + title + (title.matches("(?i).*\\bAPI") ? "" : " API");
    }
    StringBuilder sb = new StringBuilder("these APIs: ");
    for (int i = 0; i < specs.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(specs.get(i).name()).append(" (").append(specs.get(i).title()).append(')');
    }
    return sb.toString();
  }

  private static String names(List<ApiSpec> specs) {
    return String.join(", ", specs.stream().map(ApiSpec::name).toList());
  }

  static Map<String, Object> searchInput(List<ApiSpec> specs) {
    Map<String, Object> props = new java.util.LinkedHashMap<>();
    props.put("query", Map.of("type", "string", "description", "What you want to do, in plain words"));
    props.put("detail", Map.of("type", "string"));
    props.put("limit", Map.of("type", "integer", "minimum", 1, "maximum", 50));
    props.put("code", Map.of("type", "string"));
    if (specs.size() > 1) {
      props.put("api", Map.of("type", "string", "enum", specs.stream().map(ApiSpec::name).toList()));
    }
    props.put("area", Map.of("type", "string"));
    props.put("tag", Map.of("type", "string"));
    props.put("method", Map.of("type", "string"));
    return Map.of("type", "object", "properties", props);
  }

  static Map<String, Object> executeInput() {
    return Map.of("type", "object", "properties", Map.of("code", Map.of("type", "string",
        "description", "Body of an async JavaScript function; use return"), "dryRun", Map.of("type", "boolean")), "required", List.of("code"));
  }

  static Map<String, Object> searchOutput() {
    return Map.of("type", "object", "properties", Map.of(
        "results", Map.of("type", "array", "items", Map.of("type", "object")),
        "areas", Map.of("type", "array", "items", Map.of("type", "object")),
        "operation", Map.of("type", "object")));
  }

  /** Every field {@code ExecuteTool} may return. */
  static Map<String, Object> executeOutput() {
    Map<String, Object> props = new java.util.LinkedHashMap<>();
    props.put("result", Map.of());
    props.put("logs", Map.of("type", "array", "items", Map.of("type", "string")));
    props.put("logsDropped", Map.of("type", "integer"));
    props.put("calls", Map.of("type", "integer"));
    props.put("requests", Map.of("type", "array", "items", Map.of("type", "string")));
    props.put("truncated", Map.of("type", "string"));
    props.put("bytesIn", Map.of("type", "integer"));
    props.put("bytesOut", Map.of("type", "integer"));
    props.put("error", Map.of("type", "string"));
    props.put("kind", Map.of("type", "string"));
    return Map.of("type", "object", "properties", props);
  }
}
