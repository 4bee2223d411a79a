package dev.codemode.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One decoded HTTP request plus typed accessors that fail with a 400 naming the parameter.
 *
 * <p>Immutable. Example:
 * <pre>{@code int id = request.pathInt("orderId");
 * Integer min = request.queryInt("customer_id", null, 1, Integer.MAX_VALUE);}</pre>
 */
record Request(String method, String path, Map<String, String> pathParams, Map<String, List<String>> query,
    Map<String, List<String>> headers, byte[] body) {

  static Map<String, List<String>> parseQuery(String rawQuery) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return out;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return out;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  Request withPathParams(Map<String, String> params) {
    return new Request(method, path, Map.copyOf(params), query, headers, body);
  }

  int pathInt(String name) {
    String raw = pathParams.get(name);
    try {
      return Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name, "expected an integer id, got '" + raw + "'");
    }
  }

  /** The first value of a query parameter, or {@code null} when absent or empty. */
  String query(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() || values.get(0).isEmpty() ? null : values.get(0);
  }

  Integer queryInt(String name, Integer fallback, int min, int max) {
    String raw = query(name);
    if (raw == null) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(raw.trim());
      if (value < min || value > max) {
        throw ApiException.badRequest(name, "must be between " + min + " and " + max + ", got " + value);
      }
      return value;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name, "expected an integer, got '" + raw + "'");
    }
  }

  BigDecimal queryDecimal(String name) {
    String raw = query(name);
    try {
      return raw == null ? null : new BigDecimal(raw.trim());
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name, "expected a number, got '" + raw + "'");
    }
  }

  /** One of {@code allowed}, or {@code null} when absent. */
  String queryEnum(String name, List<String> allowed) {
    String raw = query(name);
    if (raw != null && !allowed.contains(raw)) {
      throw ApiException.badRequest(name, "must be one of " + allowed + ", got '" + raw + "'");
    }
    return raw;
  }

  /** A date ({@code 2025-01-31}, meaning its UTC midnight) or date-time, in the API's string format. */
  String queryTimestamp(String name) {
    String raw = query(name);
    if (raw == null) {
      return null;
    }
    try {
      Instant instant = raw.length() == 10
          ? LocalDate.parse(raw).atStartOfDay(ZoneOffset.UTC).toInstant()
          : Instant.parse(raw);
      return DemoData.iso(instant);
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest(name, "expected a date like 2025-01-31 or 2025-01-31T12:00:00Z, got '"
          + raw + "'");
    }
  }

  /** The body as a JSON object; 400 when it is not one. */
  JsonNode jsonObject(ObjectMapper mapper) {
    JsonNode node;
    try {
      node = body.length == 0 ? null : mapper.readTree(body);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("body", "not valid JSON (" + e.getOriginalMessage() + ")");
    } catch (IOException e) {
      throw ApiException.badRequest("body", "unreadable");
    }
    if (node == null || !node.isObject()) {
      throw ApiException.badRequest("body", "expected a JSON object");
    }
    return node;
  }
}

