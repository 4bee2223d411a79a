package dev.codemode.demo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Maps a method and a path like {@code /orders/{orderId}} to a handler; paths are relative to
 * {@code /v1}. An unknown path is a 404 {@code no_route}, a known path with another method a 405.
 *
 * <p>Thread-safe once built: routes are added before the server starts and only read after. Example:
 * <pre>{@code router.add("GET", "/orders/{orderId}", orders::get);
 * Response r = router.dispatch(request);}</pre>
 */
final class Router {

  /** A route's behaviour. */
  @FunctionalInterface
  interface Handler {
    Response handle(Request request);
  }

  /** One registered operation, e.g. {@code GET /orders/{orderId}}. */
  record Route(String method, String template, List<String> segments, Handler handler) {}

  private final List<Route> routes = new ArrayList<>();

  Router add(String method, String template, Handler handler) {
    routes.add(new Route(method, template, List.of(template.substring(1).split("/")), handler));
    return this;
  }

  List<Route> routes() {
    return List.copyOf(routes);
  }

  /** Dispatches {@code request} (whose path is relative to {@code /v1}); HEAD runs the GET route. */
  Response dispatch(Request request) {
    String method = request.method().equals("HEAD") ? "GET" : request.method();
    String[] parts = request.path().length() <= 1 ? new String[] {""} : request.path().substring(1).split("/", -1);
    Set<String> allowed = new TreeSet<>();
    for (Route route : routes) {
      Map<String, String> params = match(route.segments(), parts);
      if (params == null) {
        continue;
      }
      if (route.method().equals(method)) {
        return route.handler().handle(request.withPathParams(params));
      }
      allowed.add(route.method());
    }
    if (allowed.isEmpty()) {
      return Response.error(404, "no_route", "No endpoint " + request.method() + " /v1" + request.path()
          + ". GET /openapi.json lists every endpoint.", null);
    }
    if (allowed.contains("GET")) {
      allowed.add("HEAD");
    }
    String allow = String.join(", ", allowed);
    return Response.error(405, "method_not_allowed", request.method() + " is not allowed on /v1" + request.path()
        + "; allowed: " + allow + ".", null).withHeader("Allow", allow);
  }

  private static Map<String, String> match(List<String> segments, String[] parts) {
    if (segments.size() != parts.length) {
      return null;
    }
    Map<String, String> params = new HashMap<>();
    for (int i = 0; i < parts.length; i++) {
      String segment = segments.get(i);
      if (segment.startsWith("{") && segment.endsWith("}")) {
        if (parts[i].isEmpty()) {
          return null;
        }
        params.put(segment.substring(1, segment.length() - 1), parts[i]);
      } else if (!segment.equals(parts[i])) {
        return null;
      }
    }
    return params;
  }
}
