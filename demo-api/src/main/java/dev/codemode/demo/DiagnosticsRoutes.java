package dev.codemode.demo;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Endpoints for fault tests: echo the request headers, answer slowly, answer with any status, and
 * fail every other call.
 *
 * <p>Thread-safe: the only state is an atomic call counter for {@code /diagnostics/flaky}. Example:
 * <pre>{@code new DiagnosticsRoutes().register(router);
 * // GET /v1/diagnostics/slow?ms=250}</pre>
 */
final class DiagnosticsRoutes {
  static final int MAX_DELAY_MS = 60_000;

  private final AtomicLong flakyCalls = new AtomicLong();

  void register(Router router) {
    router.add("GET", "/diagnostics/echo-headers", this::echoHeaders)
        .add("GET", "/diagnostics/slow", this::slow)
        .add("GET", "/diagnostics/status/{code}", this::status)
        .add("GET", "/diagnostics/flaky", this::flaky);
  }

  /** Echoes headers verbatim, credentials included: that is what lets tests prove redaction. */
  private Response echoHeaders(Request request) {
    Map<String, String> headers = new TreeMap<>();
    request.headers().forEach((name, values) ->
        headers.put(name.toLowerCase(Locale.ROOT), String.join(", ", values)));
    return Response.ok(Map.of("method", request.method(), "path", "/v1" + request.path(), "headers", headers));
  }

  private Response slow(Request request) {
    int requested = request.queryInt("ms", 1000, 0, Integer.MAX_VALUE);
    int delay = Math.min(requested, MAX_DELAY_MS);
    return Response.ok(Map.of("delayed_ms", delay)).delayedBy(delay);
  }

  private Response status(Request request) {
    int code = request.pathInt("code");
    if (code < 200 || code > 599) {
      throw ApiException.badRequest("code", "must be an HTTP status between 200 and 599, got " + code);
    }
    if (code == 204 || code == 304) {
      return new Response(code, null, Map.of(), 0);
    }
    if (code < 400) {
      return new Response(code, Map.of("status", code), Map.of(), 0);
    }
    return Response.error(code, "status_" + code, "Responded with " + code + " because /diagnostics/status/"
        + code + " was requested.", null);
  }

  private Response flaky(Request request) {
    long call = flakyCalls.incrementAndGet();
    if (call % 2 == 1) {
      return Response.error(503, "unavailable", "Flaky endpoint: call " + call
          + " fails on purpose; odd-numbered calls fail, the next call succeeds.", null);
    }
    return Response.ok(Map.of("ok", true, "call", call));
  }
}
