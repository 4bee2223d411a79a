package dev.codemode.server.tools;

import dev.codemode.spec.ApiSpec;
import java.util.List;
import java.util.Map;

/**
 * The two tool definitions: the product's front page. Every word here is paid for by every conversation, so it is
 * short and measured (at most 1,000 tokens for both tools, whatever the spec; see the token test). Stateless.
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
        + "{\"query\":\"cancel an order\"}. Returns ranked operations (operationId, method, path, summary, params: "
        + "name?=optional). For one operation's full parameters and request/response schemas pass "
        + "{\"detail\":\"<operationId>\"}. Filters: api, tag, method; limit (default 8). Or pass {\"code\": "
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
        + " s per run. " + writes + "\n"
        + "Example: let n = 0, page = 1; while (page) { const r = await api.call('listOrders', {status: 'paid', "
        + "page, per_page: 100}); n += r.data.length; page = r.next_page; } return n;\n"
        + "Parallel: const [a, b] = await Promise.all([api.call('getOrder', {orderId: 1}), "
        + "api.call('getOrder', {orderId: 2})]);";
  }

  private static String apiList(List<ApiSpec> specs) {
    if (specs.size() == 1) {
      return "the " + specs.get(0).title() + " API";
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
    props.put("detail", Map.of("type", "string", "description", "An operationId: return its full detail instead"));
    props.put("limit", Map.of("type", "integer", "minimum", 1, "maximum", 50));
    props.put("code", Map.of("type", "string", "description", "Optional JavaScript over the spec instead of a query"));
    if (specs.size() > 1) {
      props.put("api", Map.of("type", "string", "enum", specs.stream().map(ApiSpec::name).toList()));
    }
    props.put("tag", Map.of("type", "string"));
    props.put("method", Map.of("type", "string"));
    return Map.of("type", "object", "properties", props);
  }

  static Map<String, Object> executeInput() {
    return Map.of("type", "object", "properties", Map.of("code", Map.of("type", "string",
        "description", "Body of an async JavaScript function; use return")), "required", List.of("code"));
  }

  static Map<String, Object> searchOutput() {
    return Map.of("type", "object", "properties", Map.of(
        "results", Map.of("type", "array", "items", Map.of("type", "object")),
        "operation", Map.of("type", "object")));
  }

  static Map<String, Object> executeOutput() {
    return Map.of("type", "object", "properties", Map.of("result", Map.of(), "logs", Map.of("type", "array")));
  }
}
