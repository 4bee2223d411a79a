package dev.codemode.server.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.codemode.spec.ApiSpec;
import dev.codemode.spec.Operation;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
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
  /** Headers that tell a body's length or hash: dropped when the body shown is not the body sent. */
  private static final Set<String> LENGTH_HEADERS = Set.of("content-length", "content-md5", "digest",
      "content-digest", "repr-digest", "etag", "content-range");
  private static final String MASKED_NAME = "(a header whose name held a credential)";
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
  private final CallBinder binder;

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
    this.binder = new CallBinder(spec);
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
        return Mono.error(new UpstreamException(operationIdTooLong(spec.name(), operationId.length())));
      }
      if (op == null) {
        return Mono.error(new UpstreamException(unknownOperation(spec, operationId)));
      }
      return request(toRequest(op, args == null || args.isNull() ? JSON.createObjectNode() : args), op, ctx);
    });
  }

  /**
   * What the model reads for an operationId that {@code spec} does not have: the id, the closest known ids, and what
   * to do. The one wording, used at call time and by the pre-flight check.
   */
  public static String unknownOperation(ApiSpec spec, String operationId) {
    List<String> near = spec.closestOperationIds(operationId, 3);
    return "unknown operation '" + operationId + "' in API '" + spec.name() + "'"
        + (near.isEmpty() ? "" : "; closest ids: " + String.join(", ", near))
        + ". Use search to find the right operationId.";
  }

  /** What the model reads for an operationId too long to be looked up or compared with the known ids. */
  public static String operationIdTooLong(String apiName, int length) {
    return "the operationId is " + length + " characters long; no operation has an id that long. Use search to find"
        + " operationIds of API '" + apiName + "'.";
  }

  /** {@code api.request({method, path, query, headers, body})}. */
  public Mono<JsonNode> request(JsonNode req, CallContext ctx) {
    return Mono.defer(() -> request(req, null, ctx));
  }

  private Mono<JsonNode> request(JsonNode req, Operation known, CallContext ctx) {
    RequestBuilder.Checked checked = RequestBuilder.build(req, credentials.protectedHeaders(),
        credentials.protectedQuery(), known != null);
    Operation op = known != null ? known : matcher.match(checked.method(), checked.path()).orElse(null);
    String opId = op == null ? null : op.operationId();
    String refusal = policy.check(op, checked.method(), checked.path());
    if (ctx.dryRun() && Policy.isWrite(checked.method())) {
      return Mono.just(dryRun(req, checked, opId, refusal, ctx));
    }
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
        .map(sent -> {
          Delivered result = toResult(sent, op);
          ctx.record(new CallContext.CallRecord(spec.name(), checked.method(), checked.path(), opId,
              sent.response().status(), (System.nanoTime() - start) / 1_000_000, result.bytes(), null,
              withoutQuery(sent.uri())));
          return result.json();
        })
        .doOnError(e -> ctx.record(new CallContext.CallRecord(spec.name(), checked.method(), checked.path(), opId, 0,
            (System.nanoTime() - start) / 1_000_000, 0, redactor.redact(e.getMessage()))))
        .onErrorMap(e -> !(e instanceof UpstreamException),
            e -> new UpstreamException(redactor.redact(String.valueOf(e.getMessage()))));
  }

  /** A write in a dry run: recorded, not sent; the script sees {@code {dryRun: true}} and goes on. */
  private JsonNode dryRun(JsonNode req, RequestBuilder.Checked checked, String opId, String refusal,
      CallContext ctx) {
    JsonNode body = req.get("body");
    ctx.dryRunWrite(new CallContext.DryRunWrite(spec.name(), opId, checked.method(), checked.pathAndQuery(),
        body == null || body.isNull() ? null : redactor.redact(body), refusal == null ? null
        : redactor.redact(refusal)));
    ObjectNode r = JSON.createObjectNode();
    r.put("status", 0).put("ok", true).put("dryRun", true);
    r.putObject("body").put("dryRun", true);
    return r;
  }

  /** The response that ended a request, the URL that gave it, and why a redirect in it was not followed. */
  private record Sent(UpstreamClient.UpstreamResponse response, URI uri, int hops, String notFollowed) {}

  /** A result for the script and how many body bytes it holds (the masked size when anything was masked). */
  private record Delivered(JsonNode json, long bytes) {}

  /**
   * Sends one hop. Redirects of writes are never followed: the policy and the human's confirmation covered one method
   * on one path, and a 307/308 would replay the write, body included, somewhere else. Redirects of reads are followed
   * inside the origin and base path only, each target normalised and checked like a script's path (so {@code ..;},
   * encoded slashes and method overrides in the query are refused) and re-checked against the allow and deny lists.
   */
  private Mono<Sent> send(RequestBuilder.Checked c, Credentials.Outgoing out, int hops, String method, URI uri) {
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
        return Mono.just(new Sent(resp, uri, hops, null));
      }
      if (Policy.isWrite(c.method())) {
        return Mono.just(new Sent(resp, uri, hops, "the server does not follow redirects of writes: the policy and the "
            + "user's confirmation covered " + c.method() + " " + c.path() + " only. If the new location is right, "
            + "send the request there yourself"));
      }
      URI next;
      try {
        next = uri.resolve(location.trim());
      } catch (IllegalArgumentException e) {
        return Mono.just(new Sent(resp, uri, hops, "the redirect location is not a valid URL"));
      }
      if (!sameOriginAndPrefix(next)) {
        return Mono.just(new Sent(resp, uri, hops, "the upstream redirected outside the API's base URL; the server does not "
            + "follow such redirects"));
      }
      if (hops >= MAX_REDIRECTS) {
        return Mono.just(new Sent(resp, uri, hops, "more than " + MAX_REDIRECTS + " redirects; the server stopped there"));
      }
      String nextMethod = s == 303 ? "GET" : method;
      String rel = next.getRawPath().substring(basePath.length());
      String path;
      try {
        path = RequestBuilder.checkPath(rel.isEmpty() ? "/" : rel);
        RequestBuilder.checkQuery(next.getRawQuery(), Set.of());
      } catch (UpstreamException e) {
        return Mono.just(new Sent(resp, uri, hops, "the redirect target was not followed: " + e.getMessage()));
      }
      String refusal = policy.check(matcher.match(nextMethod, path).orElse(null), nextMethod, path);
      if (refusal != null) {
        return Mono.just(new Sent(resp, uri, hops, "the redirect target was not followed: " + refusal));
      }
      URI checkedNext = base.resolve(basePath + path + (next.getRawQuery() == null ? "" : "?" + next.getRawQuery()));
      return send(c, out, hops + 1, nextMethod, checkedNext);
    });
  }

  boolean sameOriginAndPrefix(URI u) {
    if (u.getScheme() == null || !u.getScheme().equalsIgnoreCase(base.getScheme())
        || u.getHost() == null || !u.getHost().equalsIgnoreCase(base.getHost()) || port(u) != port(base)) {
      return false;
    }
    String p = u.getRawPath();
    return p != null && (basePath.isEmpty() ? p.startsWith("/") : p.equals(basePath) || p.startsWith(basePath + "/"));
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

  private static String withoutQuery(URI u) {
    String s = u.toString();
    int q = s.indexOf('?');
    return q < 0 ? s : s.substring(0, q);
  }

  /**
   * Builds {@code {status, ok, headers, body}} so that no secret survives in any encoding: text bodies (JSON, text,
   * XML, YAML, CSV, forms) are masked, then decoded and checked again; binary bodies cannot be masked safely, so one
   * that holds a secret (also inside gzip/zip/zlib data) is withheld with a note. A body cut at the size cap loses the
   * tail that could hold the start of a secret. Length and digest headers go whenever the body was changed, so the
   * script cannot learn an echoed secret's length; header names and values are masked like bodies.
   */
  private Delivered toResult(Sent sent, Operation op) {
    UpstreamClient.UpstreamResponse resp = sent.response();
    ObjectNode r = JSON.createObjectNode();
    r.put("status", resp.status());
    r.put("ok", resp.status() / 100 == 2);
    ObjectNode h = r.putObject("headers");
    String ct = resp.headers().getOrDefault("content-type", "").toLowerCase(Locale.ROOT);
    String encoding = resp.headers().getOrDefault("content-encoding", "identity").trim().toLowerCase(Locale.ROOT);
    byte[] bytes = resp.body();
    boolean changed = false;
    if (resp.truncated() && bytes.length > 0) {
      bytes = java.util.Arrays.copyOf(bytes, Math.max(0, bytes.length - redactor.longestForm()));
      changed = true;
    }
    long delivered = bytes.length;
    java.nio.charset.Charset charset = charset(ct);
    if (bytes.length == 0) {
      r.putNull("body");
    } else if (!encoding.isEmpty() && !encoding.equals("identity")) {
      r.set("body", withheld(ct, "the upstream sent the body in content-encoding '" + RequestBuilder.clip(encoding)
          + "', which the server cannot decode to check it for credentials"));
      changed = true;
      delivered = 0;
    } else if (charset != null && (ct.contains("json") || (ct.isEmpty() && looksLikeJson(bytes)))) {
      String text = new String(bytes, charset);
      JsonNode parsed;
      try {
        parsed = JSON.readTree(text);
      } catch (java.io.IOException e) {
        parsed = TextNode.valueOf(text);
        r.put("bodyError", resp.truncated() ? "the body was cut at the size limit, so it is not valid JSON"
            : "the upstream sent malformed JSON; body is the raw text");
      }
      JsonNode body = redactor.redact(parsed);
      // With no secret known there is nothing to look for: the body is not rendered a second time just to check it.
      String shown = body == parsed && !redactor.hasSecrets() ? null
          : body.isTextual() ? body.asText() : body.toString();
      if (shown != null && redactor.leaks(shown)) {
        body = withheld(ct, "the body held a credential in an encoding that could not be masked");
        shown = "";
      }
      r.set("body", body);
      if (!body.equals(parsed)) {
        changed = true;
        delivered = shown.getBytes(StandardCharsets.UTF_8).length;
      }
    } else if (charset != null && isText(ct)) {
      String text = new String(bytes, charset);
      String shown = redactor.redact(text);
      if (redactor.leaks(shown)) {
        r.set("body", withheld(ct, "the body held a credential in an encoding that could not be masked"));
        shown = "";
      } else {
        r.put("body", shown);
      }
      if (!shown.equals(text)) {
        changed = true;
        delivered = shown.getBytes(StandardCharsets.UTF_8).length;
      }
    } else if (redactor.leaksBytes(bytes)) {
      r.set("body", withheld(ct, "the binary body held a credential (binary data cannot be masked safely)"));
      changed = true;
      delivered = 0;
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
    List<String> withheldHeaders = new ArrayList<>();
    for (Map.Entry<String, String> e : resp.headers().entrySet()) {
      String k = e.getKey();
      String name = redactor.redact(k);
      String value = redactor.redact(e.getValue());
      if (k.equals("set-cookie") || (changed && LENGTH_HEADERS.contains(k))) {
        continue;
      }
      if (redactor.leaks(name + "\n" + value)) {
        withheldHeaders.add(redactor.leaks(name) ? MASKED_NAME : name);
        continue;
      }
      h.put(name, value);
    }
    if (!withheldHeaders.isEmpty()) {
      r.put("headersWithheld", "these response headers held a credential in an encoding that could not be masked: "
          + String.join(", ", withheldHeaders));
    }
    if (resp.truncated()) {
      r.put("truncated", "the response was cut at " + bytes.length + " bytes (the server's response size cap); "
          + "ask for less (filters, smaller pages)");
    }
    if (resp.status() == 401 || resp.status() == 403) {
      r.put("authHint", credentials.explainDenied(op, resp.status()));
    }
    if (sent.notFollowed() != null) {
      r.put("redirectNotFollowed", sent.notFollowed());
    }
    if (sent.hops() > 0) {
      r.put("redirectedTo", redactor.redact(sent.uri().getRawPath().substring(basePath.length())));
    }
    return new Delivered(r, delivered);
  }

  private static ObjectNode withheld(String ct, String why) {
    ObjectNode w = JSON.createObjectNode();
    w.put("contentType", ct);
    w.put("withheld", why + "; the body was withheld. Ask the API for a form without the credential, or ask the "
        + "operator.");
    return w;
  }

  /** Text-like content types: masked as text. Everything else is checked as bytes and shown as Base64. */
  private static boolean isText(String ct) {
    return ct.isEmpty() || ct.startsWith("text/") || ct.contains("xml") || ct.contains("javascript")
        || ct.contains("form") || ct.contains("yaml") || ct.contains("csv") || ct.contains("json")
        || ct.contains("graphql") || ct.contains("x-www") || ct.contains("html");
  }

  /** The body's declared charset (UTF-8 when none); null when Java cannot decode it (then it is checked as bytes). */
  private static java.nio.charset.Charset charset(String ct) {
    int at = ct.indexOf("charset=");
    if (at < 0) {
      return StandardCharsets.UTF_8;
    }
    String name = ct.substring(at + 8).split("[;,\\s]", 2)[0].replace("\"", "").replace("'", "");
    try {
      return java.nio.charset.Charset.forName(name);
    } catch (IllegalArgumentException e) {
      return null;
    }
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

  /** The binding step: args checked against the operation and bound to a request; nothing is sent on failure. */
  private JsonNode toRequest(Operation op, JsonNode args) {
    return binder.bind(op, args);
  }

  static JsonNodeFactory nodes() {
    return JsonNodeFactory.instance;
  }
}
