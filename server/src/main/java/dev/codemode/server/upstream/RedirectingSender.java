package dev.codemode.server.upstream;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import reactor.core.publisher.Mono;

/**
 * The gateway's send step: adds the credentials to each hop, sends it, and follows redirects only where
 * {@link Policy#decide} allows. Redirects of writes are never followed: the policy and the human's confirmation
 * covered one method on one path, and a 307/308 would replay the write, body included, somewhere else. Redirects of
 * reads are followed inside the origin and base path only, each target normalised and checked like a script's path
 * (so {@code ..;}, encoded slashes and method overrides in the query are refused) and decided on again. Thread-safe;
 * one per API.
 */
final class RedirectingSender {
  private static final int MAX_REDIRECTS = 5;

  /**
   * The response that ended a request and the URL that gave it.
   *
   * @param hops        redirects followed
   * @param notFollowed why a redirect in {@code response} was not followed, or null
   */
  record Sent(UpstreamClient.UpstreamResponse response, URI uri, int hops, NotFollowed notFollowed) {}

  /** Why a redirect was not followed. */
  enum Stop {
    /** The policy refused it ({@link WriteDecision.Rule#REDIRECTED_WRITE} for every write). */
    REFUSED,
    INVALID_LOCATION,
    OUTSIDE_BASE,
    TOO_MANY,
    /** The target's path or query failed the checks a script's request gets, or the policy refused the target. */
    TARGET_REFUSED
  }

  /**
   * A redirect the gateway did not follow, the hint the script reads as {@code redirectNotFollowed}.
   *
   * @param detail the refusal's text for REFUSED and TARGET_REFUSED, else empty
   */
  record NotFollowed(Stop stop, String detail) {
    String message() {
      return switch (stop) {
        case REFUSED -> detail;
        case INVALID_LOCATION -> "the redirect location is not a valid URL";
        case OUTSIDE_BASE -> "the upstream redirected outside the API's base URL; the server does not follow such "
            + "redirects";
        case TOO_MANY -> "more than " + MAX_REDIRECTS + " redirects; the server stopped there";
        case TARGET_REFUSED -> "the redirect target was not followed: " + detail;
      };
    }
  }

  /** Where a redirect leads: the URL to follow, or why it is not followed. */
  private record Hop(URI target, String method, NotFollowed stop) {}

  private final UpstreamClient http;
  private final URI base;
  private final String basePath;
  private final Policy policy;
  private final OperationMatcher matcher;

  /** @param base the API's base URL, without a trailing '/' */
  RedirectingSender(UpstreamClient http, URI base, Policy policy, OperationMatcher matcher) {
    this.http = http;
    this.base = base;
    this.basePath = base.getRawPath() == null ? "" : base.getRawPath();
    this.policy = policy;
    this.matcher = matcher;
  }

  String basePath() {
    return basePath;
  }

  /** Sends {@code c} (described by {@code attempt}, which the policy let through) with the credentials in {@code out}. */
  Mono<Sent> send(RequestBuilder.Checked c, Policy.Attempt attempt, Credentials.Outgoing out) {
    return send(c, attempt, out, 0, c.method(), base.resolve(basePath + c.pathAndQuery()));
  }

  private Mono<Sent> send(RequestBuilder.Checked c, Policy.Attempt attempt, Credentials.Outgoing out, int hops,
      String method, URI uri) {
    return http.send(withCredentials(c, out, method, uri)).flatMap(resp -> {
      int s = resp.status();
      String location = resp.headers().get("location");
      if (location == null || (s != 301 && s != 302 && s != 303 && s != 307 && s != 308)) {
        return Mono.just(new Sent(resp, uri, hops, null));
      }
      Hop next = next(attempt, uri, location.trim(), hops, s == 303 ? "GET" : method);
      return next.stop() != null ? Mono.just(new Sent(resp, uri, hops, next.stop()))
          : send(c, attempt, out, hops + 1, next.method(), next.target());
    });
  }

  /** The add-credentials step, on every hop: the script's headers and body plus the credentials. */
  private static UpstreamClient.UpstreamRequest withCredentials(RequestBuilder.Checked c, Credentials.Outgoing out,
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
    return new UpstreamClient.UpstreamRequest(method, target, headers, body);
  }

  /** Whether and where to follow a redirect to {@code location}; decided like a script's own request. */
  private Hop next(Policy.Attempt attempt, URI uri, String location, int hops, String nextMethod) {
    WriteDecision ofWrite = policy.decide(attempt.redirected());
    if (ofWrite instanceof WriteDecision.Refuse r) {
      return stop(Stop.REFUSED, r.reason());
    }
    URI next;
    try {
      next = uri.resolve(location);
    } catch (IllegalArgumentException e) {
      return stop(Stop.INVALID_LOCATION, "");
    }
    if (!sameOriginAndPrefix(next)) {
      return stop(Stop.OUTSIDE_BASE, "");
    }
    if (hops >= MAX_REDIRECTS) {
      return stop(Stop.TOO_MANY, "");
    }
    String rel = next.getRawPath().substring(basePath.length());
    String path;
    String override;
    try {
      path = RequestBuilder.checkPath(rel.isEmpty() ? "/" : rel);
      override = RequestBuilder.checkQuery(next.getRawQuery(), Set.of());
    } catch (UpstreamException e) {
      return stop(Stop.TARGET_REFUSED, e.getMessage());
    }
    WriteDecision d = policy.decide(new Policy.Attempt(attempt.api(), matcher.match(nextMethod, path).orElse(null),
        nextMethod, path, "", override, attempt.method()));
    if (!(d instanceof WriteDecision.Allow)) {
      return stop(Stop.TARGET_REFUSED, (d instanceof WriteDecision.Refuse r ? r.reason()
          : "it would need the user's confirmation"));
    }
    return new Hop(base.resolve(basePath + path + (next.getRawQuery() == null ? "" : "?" + next.getRawQuery())),
        nextMethod, null);
  }

  private static Hop stop(Stop stop, String detail) {
    return new Hop(null, null, new NotFollowed(stop, detail));
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
    String q = URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    return URI.create(u.toString() + (u.getRawQuery() == null ? "?" : "&") + q);
  }
}
