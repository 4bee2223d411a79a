package dev.codemode.server.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codemode.spec.ApiSpec;
import dev.codemode.spec.Operation;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import reactor.core.publisher.Mono;

/**
 * The one door from scripts to one upstream API: checks the request, applies the method and operation policy, adds
 * credentials, pins the origin and base path, follows redirects only inside them, and hands back
 * {@code {status, headers, body}} with every secret redacted. Thread-safe; one per API.
 *
 * <pre>{@code
 * ApiGateway gw = new ApiGateway(spec, URI.create("https://api.example.com/v1"), creds, http, redactor, policy);
 * JsonNode res = gw.request(json("{\"method\":\"GET\",\"path\":\"/orders\"}"), ctx).block();
 * }</pre>
 */
public final class ApiGateway {
  private static final ObjectMapper JSON = RequestBuilder.json();
  private static final int MAX_REDIRECTS = 5;
  private static final int MAX_BINARY = 256 * 1024;
  /** Longest unknown operationId for which the closest known ids are suggested. */
  private static final int MAX_OPERATION_ID = 256;

  private final ApiSpec spec;
  private final URI base;
  private final String basePath;
  private final Credentials credentials;
  private final UpstreamClient http;
  private final Redactor redactor;
  private final Policy policy;
  private final OperationMatcher matcher;

  public ApiGateway(ApiSpec spec, URI baseUrl, Credentials credentials, UpstreamClient http, Redactor redactor,
      Policy policy) {
    this.spec = spec;
    String b = baseUrl.toString();
    this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
    this.basePath = base.getRawPath() == null ? "" : base.getRawPath();
    this.credentials = credentials;
    this.http = http;
    this.redactor = redactor;
    this.policy = policy;
    this.matcher = new OperationMatcher(spec.operations());
  }

  public ApiSpec spec() {
    return spec;
  }

  public URI baseUrl() {
    return base;
  }

  /** {@code api.call(operationId, args)}: fills path, query, header and cookie parameters and the body. */
  public Mono<JsonNode> call(String operationId, JsonNode args, CallContext ctx) {
    return Mono.defer(() -> {
      Operation op = spec.operation(operationId).orElse(null);
      if (op == null && operationId.length() > MAX_OPERATION_ID) {
        // Suggesting the closest ids costs time in the id's length: a made-up id that long gets no suggestion.
        return Mono.error(new UpstreamException("the operationId is " + operationId.length() + " characters long; no"
            + " operation has an id that long. Use search to find operationIds of API '" + spec.name() + "'."));
      }
      if (op == null) {
        String msg;
        try {
          spec.detailJson(operationId, 200);
          msg = "unknown operation '" + operationId + "'";
        } catch (IllegalArgumentException e) {
          msg = e.getMessage();
        }
        return Mono.error(new UpstreamException(msg + ". Use search to find operationIds of API '" + spec.name()
            + "'."));
      }
      return request(toRequest(op, args == null || args.isNull() ? JSON.createObjectNode() : args), op, ctx);
    });
  }

  /** {@code api.request({method, path, query, headers, body})}. */
  public Mono<JsonNode> request(JsonNode req, CallContext ctx) {
    return Mono.defer(() -> request(req, null, ctx));
  }

  private Mono<JsonNode> request(JsonNode req, Operation known, CallContext ctx) {
    RequestBuilder.Checked checked = RequestBuilder.build(req, credentials.protectedHeaders(),
        credentials.protectedQuery());
    Operation op = known != null ? known : matcher.match(checked.method(), checked.path()).orElse(null);
    String opId = op == null ? null : op.operationId();
    String refusal = policy.check(op, checked.method(), checked.path());
    if (refusal != null) {
      return Mono.error(new UpstreamException(refusal));
    }
    Mono<Void> approval = Policy.isWrite(checked.method()) && !policy.allowWrites()
        ? ctx.confirmWrite(spec.name(), checked.method(), checked.path(), opId, redactor.redact(checked.bodySummary()))
        : Mono.empty();
    long start = System.nanoTime();
    return approval
        .then(credentials.apply(op))
        .flatMap(out -> send(checked, out, 0, checked.method(), base.resolve(basePath + checked.pathAndQuery())))
        .map(resp -> {
          JsonNode result = toResult(resp, op);
          ctx.record(new CallContext.CallRecord(spec.name(), checked.method(), checked.path(), opId, resp.status(),
              (System.nanoTime() - start) / 1_000_000, resp.body().length, null));
          return result;
        })
        .doOnError(e -> ctx.record(new CallContext.CallRecord(spec.name(), checked.method(), checked.path(), opId, 0,
            (System.nanoTime() - start) / 1_000_000, 0, redactor.redact(e.getMessage()))))
        .onErrorMap(e -> !(e instanceof UpstreamException),
            e -> new UpstreamException(redactor.redact(String.valueOf(e.getMessage()))));
  }

  private Mono<UpstreamClient.UpstreamResponse> send(RequestBuilder.Checked c, Credentials.Outgoing out, int hops,
      String method, URI uri) {
    List<Map.Entry<String, String>> headers = new ArrayList<>(c.headers());
    StringBuilder cookies = new StringBuilder();
    URI target = uri;
    for (Credentials.Addition a : out.additions) {
      switch (a.in()) {
        case "query" -> target = withQuery(target, a.name(), a.value());
        case "cookie" -> cookies.append(cookies.length() == 0 ? "" : "; ").append(a.name()).append('=')
            .append(a.value());
        default -> headers.add(Map.entry(a.name(), a.value()));
      }
    }
    if (cookies.length() > 0) {
      headers.add(Map.entry("Cookie", cookies.toString()));
    }
    headers.add(Map.entry("User-Agent", "codemode-mcp/0.1"));
    byte[] body = method.equals(c.method()) ? c.body() : null;
    if (body == null) {
      headers.removeIf(h -> h.getKey().equalsIgnoreCase("content-type") && !method.equals(c.method()));
    }
    return http.send(new UpstreamClient.UpstreamRequest(method, target, headers, body)).flatMap(resp -> {
      int s = resp.status();
      String location = resp.headers().get("location");
      if (location == null || (s != 301 && s != 302 && s != 303 && s != 307 && s != 308)) {
        return Mono.just(resp);
      }
      URI next;
      try {
        next = uri.resolve(location);
      } catch (IllegalArgumentException e) {
        return Mono.just(resp);
      }
      if (!sameOriginAndPrefix(next) || hops >= MAX_REDIRECTS) {
        return Mono.just(resp);
      }
      String nextMethod = s == 303 || ((s == 301 || s == 302) && method.equals("POST")) ? "GET" : method;
      return send(c, out, hops + 1, nextMethod, next);
    });
  }

  boolean sameOriginAndPrefix(URI u) {
    if (u.getScheme() == null || !u.getScheme().equalsIgnoreCase(base.getScheme())
        || u.getHost() == null || !u.getHost().equalsIgnoreCase(base.getHost()) || port(u) != port(base)) {
      return false;
    }
    String p = u.normalize().getRawPath();
    return basePath.isEmpty() || p.equals(basePath) || p.startsWith(basePath + "/");
  }

  private static int port(URI u) {
    return u.getPort() != -1 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }

  private static URI withQuery(URI u, String name, String value) {
    String q = java.net.URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
        + java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    String s = u.toString();
    return URI.create(s + (u.getRawQuery() == null ? "?" : "&") + q);
  }

  private JsonNode toResult(UpstreamClient.UpstreamResponse resp, Operation op) {
    ObjectNode r = JSON.createObjectNode();
    r.put("status", resp.status());
    r.put("ok", resp.status() / 100 == 2);
    ObjectNode h = r.putObject("headers");
    resp.headers().forEach((k, v) -> {
      if (!k.equals("set-cookie")) {
        h.put(k, redactor.redact(v));
      }
    });
    String ct = resp.headers().getOrDefault("content-type", "").toLowerCase(Locale.ROOT);
    byte[] bytes = resp.body();
    if (bytes.length == 0) {
      r.putNull("body");
    } else if (ct.contains("json") || (ct.isEmpty() && looksLikeJson(bytes))) {
      String text = new String(bytes, StandardCharsets.UTF_8);
      try {
        r.set("body", redactor.redact(JSON.readTree(text)));
      } catch (java.io.IOException e) {
        r.put("body", redactor.redact(text));
        r.put("bodyError", resp.truncated() ? "the body was cut at the size limit, so it is not valid JSON"
            : "the upstream sent malformed JSON; body is the raw text");
      }
    } else if (ct.startsWith("text/") || ct.contains("xml") || ct.contains("javascript") || ct.contains("form")
        || ct.isEmpty()) {
      r.put("body", redactor.redact(new String(bytes, StandardCharsets.UTF_8)));
    } else {
      ObjectNode bin = r.putObject("body");
      bin.put("contentType", ct);
      bin.put("size", bytes.length);
      int n = Math.min(bytes.length, MAX_BINARY);
      bin.put("base64", Base64.getEncoder().encodeToString(n == bytes.length ? bytes
          : java.util.Arrays.copyOf(bytes, n)));
      if (n < bytes.length) {
        bin.put("base64Truncated", true);
      }
    }
    if (resp.truncated()) {
      r.put("truncated", "the response was cut at " + bytes.length + " bytes (the server's response size cap); "
          + "ask for less (filters, smaller pages)");
    }
    if (resp.status() == 401 || resp.status() == 403) {
      r.put("authHint", credentials.explainDenied(op, resp.status()));
    }
    if (resp.status() / 100 == 3 && resp.headers().containsKey("location")) {
      r.put("redirectNotFollowed", "the upstream redirected outside the API's base URL; the server does not follow "
          + "such redirects");
    }
    return r;
  }

  private static boolean looksLikeJson(byte[] b) {
    for (byte x : b) {
      if (x == ' ' || x == '\n' || x == '\r' || x == '\t') {
        continue;
      }
      return x == '{' || x == '[';
    }
    return false;
  }

  private JsonNode toRequest(Operation op, JsonNode args) {
    if (!args.isObject()) {
      throw new UpstreamException("api.call('" + op.operationId() + "', args): args must be an object of parameter "
          + "values; " + signature(op));
    }
    String path = op.path();
    ObjectNode query = JSON.createObjectNode();
    ObjectNode headers = JSON.createObjectNode();
    List<String> cookies = new ArrayList<>();
    Set<String> used = new java.util.HashSet<>();
    for (Operation.Parameter p : op.parameters()) {
      JsonNode v = args.get(p.name());
      if (v == null || v.isNull()) {
        if (p.required()) {
          throw new UpstreamException(op.operationId() + " needs the " + p.in() + " parameter '" + p.name() + "'; "
              + signature(op));
        }
        continue;
      }
      used.add(p.name());
      String text = v.isValueNode() ? v.asText() : v.toString();
      switch (p.in()) {
        case "path" -> path = path.replace("{" + p.name() + "}",
            java.net.URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20"));
        case "query" -> query.set(p.name(), v);
        case "header" -> headers.put(p.name(), text);
        case "cookie" -> cookies.add(p.name() + "=" + text);
        default -> { }
      }
    }
    if (!cookies.isEmpty()) {
      headers.put("Cookie", String.join("; ", cookies));
    }
    ObjectNode req = JSON.createObjectNode();
    req.put("method", op.method());
    req.put("path", path);
    req.set("query", query);
    req.set("headers", headers);
    JsonNode body = args.get("body");
    ObjectNode rest = JSON.createObjectNode();
    Iterator<Map.Entry<String, JsonNode>> it = args.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!used.contains(e.getKey()) && !e.getKey().equals("body") && !e.getKey().equals("contentType")
          && op.parameters().stream().noneMatch(p -> p.name().equals(e.getKey()))) {
        rest.set(e.getKey(), e.getValue());
      }
    }
    if (op.requestBody() != null) {
      if (body == null && !rest.isEmpty()) {
        body = rest;
      } else if (!rest.isEmpty()) {
        throw new UpstreamException(op.operationId() + " got unknown arguments " + names(rest) + "; "
            + signature(op));
      }
      if (body == null && op.requestBody().required()) {
        throw new UpstreamException(op.operationId() + " needs a request body: pass {body: {...}}; " + signature(op));
      }
      if (body != null) {
        req.set("body", body);
        String ct = args.path("contentType").asText("");
        if (ct.isEmpty() && !op.requestBody().contentTypes().isEmpty()
            && !op.requestBody().contentTypes().contains("application/json")) {
          ct = op.requestBody().contentTypes().get(0);
        }
        if (!ct.isEmpty()) {
          req.put("contentType", ct);
        }
      }
    } else if (!rest.isEmpty() || body != null) {
      throw new UpstreamException(op.operationId() + " takes no body and got unknown arguments "
          + (body != null ? "[body]" : names(rest)) + "; " + signature(op));
    }
    return req;
  }

  private static String names(ObjectNode o) {
    List<String> l = new ArrayList<>();
    o.fieldNames().forEachRemaining(l::add);
    return l.toString();
  }

  /** {@code parameters: owner (path, required), per_page (query)}: what a call accepts. */
  static String signature(Operation op) {
    List<String> parts = new ArrayList<>();
    for (Operation.Parameter p : op.parameters()) {
      parts.add(p.name() + " (" + p.in() + (p.required() ? ", required" : "") + ")");
    }
    if (op.requestBody() != null) {
      parts.add("body" + (op.requestBody().required() ? " (required)" : "")
          + (op.requestBody().fieldNames().isEmpty() ? "" : " with " + op.requestBody().fieldNames()));
    }
    return "it accepts: " + (parts.isEmpty() ? "no arguments" : String.join(", ", parts));
  }

  static JsonNodeFactory nodes() {
    return JsonNodeFactory.instance;
  }
}
