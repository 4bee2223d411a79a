package dev.codemode.server.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A request as the script asked for it, before any check: what {@link CallBinder} makes of {@code api.call} and
 * {@link #fromScript} of {@code api.request}. {@link RequestBuilder} checks it. Query values and the body stay JSON
 * (arrays repeat a query parameter; the body is sent as JSON, text or a form).
 *
 * @param method      upper case
 * @param path        relative to the base URL, may hold a query string
 * @param query       query parameters in order (values: strings, numbers, booleans, arrays)
 * @param headers     header names and values in order
 * @param body        null when there is none
 * @param contentType empty for the default (JSON, or text for a string body)
 * @param bound       bound by {@code api.call} to a known operation: an encoded '/' may stand inside a path value
 */
record BoundCall(String method, String path, Map<String, JsonNode> query, Map<String, String> headers, JsonNode body,
    String contentType, boolean bound) {
  BoundCall {
    query = Collections.unmodifiableMap(query);
    headers = Collections.unmodifiableMap(headers);
  }

  /** {@code api.request({method, path, query?, headers?, body?, contentType?})}, its shape checked. */
  static BoundCall fromScript(JsonNode req) {
    if (req == null || !req.isObject()) {
      throw new UpstreamException("api.request takes one object: {method, path, query?, headers?, body?}");
    }
    String method = req.path("method").asText("GET").toUpperCase(Locale.ROOT);
    if (!Policy.METHODS.contains(method)) {
      throw new UpstreamException("method '" + method + "' is not allowed; use one of GET, HEAD, OPTIONS, POST, PUT, "
          + "PATCH, DELETE");
    }
    JsonNode pathNode = req.get("path");
    if (pathNode == null || !pathNode.isTextual() || pathNode.asText().isEmpty()) {
      throw new UpstreamException("api.request needs a path such as '/orders' (relative to the API's base URL)");
    }
    Map<String, JsonNode> query = new LinkedHashMap<>();
    JsonNode queryNode = req.get("query");
    if (queryNode != null && !queryNode.isNull()) {
      if (!queryNode.isObject()) {
        throw new UpstreamException("query must be an object such as {page: 2}");
      }
      queryNode.fields().forEachRemaining(e -> query.put(e.getKey(), e.getValue()));
    }
    Map<String, String> headers = new LinkedHashMap<>();
    JsonNode hn = req.get("headers");
    if (hn != null && !hn.isNull()) {
      if (!hn.isObject()) {
        throw new UpstreamException("headers must be an object such as {\"Accept\": \"application/json\"}");
      }
      Iterator<Map.Entry<String, JsonNode>> it = hn.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        headers.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString());
      }
    }
    JsonNode body = req.get("body");
    return new BoundCall(method, pathNode.asText(), query, headers,
        body == null || body.isNull() || body.isMissingNode() ? null : body, req.path("contentType").asText(""),
        false);
  }
}
