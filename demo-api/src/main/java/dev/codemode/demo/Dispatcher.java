package dev.codemode.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one {@link HttpHandler}: serves {@code GET /openapi.json} publicly, checks the bearer token on
 * every {@code /v1} request, routes, and writes compact JSON. A delayed response is sent later from
 * the scheduler, so a slow call does not hold a worker thread.
 *
 * <p>Thread-safe: immutable after construction. Example:
 * <pre>{@code server.createContext("/", new Dispatcher(router, mapper, specJson, token, scheduler, workers));
 * server.start();}</pre>
 */
final class Dispatcher implements HttpHandler {
  static final String PREFIX = "/v1";
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  private final Router router;
  private final ObjectMapper mapper;
  private final byte[] spec;
  private final byte[] expectedAuthorization;
  private final ScheduledExecutorService scheduler;
  private final Executor workers;

  Dispatcher(Router router, ObjectMapper mapper, String specJson, String token,
      ScheduledExecutorService scheduler, Executor workers) {
    this.router = router;
    this.mapper = mapper;
    this.spec = specJson.getBytes(StandardCharsets.UTF_8);
    this.expectedAuthorization = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    this.scheduler = scheduler;
    this.workers = workers;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      Response response = respond(exchange);
      if (response.delayMillis() > 0) {
        scheduler.schedule(() -> workers.execute(() -> sendQuietly(exchange, response)),
            response.delayMillis(), TimeUnit.MILLISECONDS);
      } else {
        send(exchange, response);
      }
    } catch (IOException | RuntimeException e) {
      log.debug("Demo API could not answer {} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI(),
          e.toString());
      exchange.close();
    }
  }

  private Response respond(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    URI uri = exchange.getRequestURI();
    String path = uri.getPath();
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    if (path.equals("/openapi.json") && (method.equals("GET") || method.equals("HEAD"))) {
      return new Response(200, spec, Map.of(), 0);
    }
    if (!path.equals(PREFIX) && !path.startsWith(PREFIX + "/")) {
      return Response.error(404, "no_route", "No endpoint " + method + " " + path
          + ". The API lives under " + PREFIX + "; GET /openapi.json describes it.", null);
    }
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return unauthorized("Missing bearer token. Send the header 'Authorization: Bearer <token>'.", false);
    }
    byte[] given = ("Bearer " + authorization.substring(7).trim()).getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(given, expectedAuthorization)) {
      return unauthorized("The bearer token is not valid for this API.", true);
    }
    Request request = new Request(method, path.substring(PREFIX.length()), Map.of(),
        Request.parseQuery(uri.getRawQuery()), exchange.getRequestHeaders(), body);
    try {
      return router.dispatch(request);
    } catch (ApiException e) {
      return Response.of(e);
    } catch (RuntimeException e) {
      log.warn("Demo API failed on {} {}", method, path, e);
      return Response.error(500, "internal", "Unexpected error in the demo API: " + e, null);
    }
  }

  private static Response unauthorized(String message, boolean invalid) {
    String challenge = invalid ? "Bearer realm=\"codemode-demo\", error=\"invalid_token\""
        : "Bearer realm=\"codemode-demo\"";
    return Response.error(401, "unauthorized", message, null).withHeader("WWW-Authenticate", challenge);
  }

  private void sendQuietly(HttpExchange exchange, Response response) {
    try {
      send(exchange, response);
    } catch (IOException | RuntimeException e) {
      log.debug("Demo API could not send a delayed response: {}", e.toString());
      exchange.close();
    }
  }

  private void send(HttpExchange exchange, Response response) throws IOException {
    byte[] bytes = response.body() == null ? new byte[0]
        : response.body() instanceof byte[] raw ? raw : mapper.writeValueAsBytes(response.body());
    response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
    if (response.body() != null) {
      exchange.getResponseHeaders().set("Content-Type", "application/json");
    }
    boolean noBody = bytes.length == 0 || exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(response.status(), noBody ? -1 : bytes.length);
    if (!noBody) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
    exchange.close();
  }
}
