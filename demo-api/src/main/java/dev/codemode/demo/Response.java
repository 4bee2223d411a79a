package dev.codemode.demo;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a route returns: a status, a body for Jackson (or {@code null} for none), extra headers,
 * and an optional delay before it is sent.
 *
 * <p>Immutable. Example:
 * <pre>{@code return Response.ok(order);
 * return Response.created(order, "/v1/orders/" + order.id());}</pre>
 */
record Response(int status, Object body, Map<String, String> headers, long delayMillis) {

  Response {
    headers = Map.copyOf(headers);
  }

  static Response ok(Object body) {
    return new Response(200, body, Map.of(), 0);
  }

  static Response created(Object body, String location) {
    return new Response(201, body, Map.of("Location", location), 0);
  }

  static Response noContent() {
    return new Response(204, null, Map.of(), 0);
  }

  static Response error(int status, String code, String message, String field) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", code);
    error.put("message", message);
    if (field != null) {
      error.put("field", field);
    }
    return new Response(status, Map.of("error", error), Map.of(), 0);
  }

  static Response of(ApiException e) {
    return error(e.status(), e.code(), e.getMessage(), e.field());
  }

  Response withHeader(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(headers);
    copy.put(name, value);
    return new Response(status, body, copy, delayMillis);
  }

  Response delayedBy(long millis) {
    return new Response(status, body, headers, millis);
  }
}
