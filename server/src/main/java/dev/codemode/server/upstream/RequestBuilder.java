package dev.codemode.server.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns what a script asked for ({@code {method, path, query, headers, body, contentType}}) into a checked outgoing
 * request relative to the API's base URL. Every refusal is an {@link UpstreamException} that says what was wrong.
 * Stateless and thread-safe.
 */
final class RequestBuilder {
  static final int MAX_URL = 8192;
  static final int MAX_HEADERS = 50;
  static final int MAX_HEADER_BYTES = 16 * 1024;
  static final int MAX_BODY = 1 << 20;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> FORBIDDEN_HEADERS = Set.of("host", "content-length", "transfer-encoding",
      "connection", "keep-alive", "upgrade", "te", "trailer", "proxy-authorization", "proxy-connection", "expect");

  /** A checked request: path (with its query string) relative to the base URL, headers and body. */
  record Checked(String method, String pathAndQuery, String path, List<Map.Entry<String, String>> headers,
      byte[] body, String bodySummary) {}

  private RequestBuilder() {}

  static Checked build(JsonNode req, Set<String> protectedHeaders, Set<String> protectedQuery) {
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
    String rawPath = pathNode.asText();
    String query = null;
    int q = rawPath.indexOf('?');
    if (q >= 0) {
      query = rawPath.substring(q + 1);
      rawPath = rawPath.substring(0, q);
    }
    String path = checkPath(rawPath);
    StringBuilder qs = new StringBuilder(query == null ? "" : query);
    for (String existing : query == null ? new String[0] : query.split("&")) {
      String name = URLDecoder.decode(existing.split("=", 2)[0], StandardCharsets.UTF_8);
      if (protectedQuery.contains(name)) {
        throw new UpstreamException("query parameter '" + name + "' carries the API credential; the server adds it, "
            + "do not set it");
      }
    }
    JsonNode queryNode = req.get("query");
    if (queryNode != null && !queryNode.isNull()) {
      if (!queryNode.isObject()) {
        throw new UpstreamException("query must be an object such as {page: 2}");
      }
      Iterator<Map.Entry<String, JsonNode>> it = queryNode.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (protectedQuery.contains(e.getKey())) {
          throw new UpstreamException("query parameter '" + e.getKey() + "' carries the API credential; the server "
              + "adds it, do not set it");
        }
        appendQuery(qs, e.getKey(), e.getValue());
      }
    }
    String pathAndQuery = qs.length() == 0 ? path : path + "?" + qs;
    if (pathAndQuery.length() > MAX_URL) {
      throw new UpstreamException("the URL is " + pathAndQuery.length() + " characters; the limit is " + MAX_URL
          + ". Send fewer or shorter query parameters");
    }
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    int headerBytes = 0;
    JsonNode hn = req.get("headers");
    if (hn != null && !hn.isNull()) {
      if (!hn.isObject()) {
        throw new UpstreamException("headers must be an object such as {\"Accept\": \"application/json\"}");
      }
      Iterator<Map.Entry<String, JsonNode>> it = hn.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        String name = e.getKey();
        String value = e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString();
        checkHeader(name, value, protectedHeaders);
        headerBytes += name.length() + value.length();
        headers.add(Map.entry(name, value));
      }
      if (headers.size() > MAX_HEADERS || headerBytes > MAX_HEADER_BYTES) {
        throw new UpstreamException("too many or too large headers (limit " + MAX_HEADERS + " headers, "
            + MAX_HEADER_BYTES + " bytes)");
      }
    }
    byte[] body = null;
    String summary = "";
    JsonNode bn = req.get("body");
    if (bn != null && !bn.isNull() && !bn.isMissingNode()) {
      String contentType = req.path("contentType").asText("");
      if (bn.isTextual() && contentType.isEmpty()) {
        contentType = "text/plain; charset=utf-8";
      } else if (contentType.isEmpty()) {
        contentType = "application/json";
      }
      String text;
      if (contentType.startsWith("application/x-www-form-urlencoded") && bn.isObject()) {
        StringBuilder form = new StringBuilder();
        bn.fields().forEachRemaining(e -> appendQuery(form, e.getKey(), e.getValue()));
        text = form.toString();
      } else {
        text = bn.isTextual() ? bn.asText() : bn.toString();
      }
      body = text.getBytes(StandardCharsets.UTF_8);
      if (body.length > MAX_BODY) {
        throw new UpstreamException("the request body is " + body.length + " bytes; the limit is " + MAX_BODY);
      }
      summary = text.length() > 300 ? text.substring(0, 300) + "… (" + body.length + " bytes)" : text;
      if (headers.stream().noneMatch(h -> h.getKey().equalsIgnoreCase("content-type"))) {
        headers.add(Map.entry("Content-Type", contentType));
      }
    }
    if (headers.stream().noneMatch(h -> h.getKey().equalsIgnoreCase("accept"))) {
      headers.add(Map.entry("Accept", "application/json, */*;q=0.5"));
    }
    return new Checked(method, pathAndQuery, path, headers, body, summary);
  }

  static String checkPath(String rawPath) {
    if (!rawPath.startsWith("/")) {
      throw new UpstreamException("path '" + clip(rawPath) + "' must start with '/' and be relative to the API's "
          + "base URL; absolute URLs and other hosts are not allowed");
    }
    if (rawPath.startsWith("//") || rawPath.contains("\\") || rawPath.contains("#")) {
      throw new UpstreamException("path '" + clip(rawPath) + "' is not allowed: no '//' prefix, backslashes or "
          + "fragments; requests go only to the configured API");
    }
    StringBuilder out = new StringBuilder();
    for (String seg : rawPath.substring(1).split("/", -1)) {
      String decoded;
      try {
        decoded = URLDecoder.decode(seg.replace("+", "%2B"), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new UpstreamException("path segment '" + clip(seg) + "' has a broken %-escape");
      }
      if (decoded.equals("..") || decoded.equals(".")) {
        throw new UpstreamException("path '" + clip(rawPath) + "' contains '.' or '..' segments; requests may not "
            + "leave the API's base path");
      }
      for (char c : decoded.toCharArray()) {
        if (c < 0x20 || c == 0x7f) {
          throw new UpstreamException("path contains a control character; encode values with encodeURIComponent");
        }
      }
      out.append('/').append(encodePathSegment(seg));
    }
    return out.toString();
  }

  /** Percent-encodes what is not allowed in a path segment, keeping existing %XX escapes. */
  private static String encodePathSegment(String seg) {
    StringBuilder sb = new StringBuilder();
    byte[] bytes = seg.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xff;
      boolean keep = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
          || "-._~!$&'()*+,;=:@".indexOf(b) >= 0;
      if (b == '%' && i + 2 < bytes.length && isHex(bytes[i + 1]) && isHex(bytes[i + 2])) {
        keep = true;
      }
      if (keep) {
        sb.append((char) b);
      } else {
        sb.append('%').append(String.format("%02X", b));
      }
    }
    return sb.toString();
  }

  private static boolean isHex(byte b) {
    return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
  }

  static void checkHeader(String name, String value, Set<String> protectedHeaders) {
    if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
      throw new UpstreamException("header name '" + clip(name) + "' is not a valid HTTP header name");
    }
    for (char c : value.toCharArray()) {
      if (c == '\r' || c == '\n' || c == 0) {
        throw new UpstreamException("header " + name + " contains CR, LF or NUL; that is not allowed");
      }
    }
    String lower = name.toLowerCase(Locale.ROOT);
    if (FORBIDDEN_HEADERS.contains(lower)) {
      throw new UpstreamException("header " + name + " is set by the server; remove it");
    }
    if (protectedHeaders.contains(lower)) {
      throw new UpstreamException("header " + name + " carries the API credential, which the server adds itself; "
          + "remove it (scripts never see or set credentials)");
    }
  }

  private static void appendQuery(StringBuilder qs, String name, JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return;
    }
    if (value.isArray()) {
      value.forEach(v -> appendQuery(qs, name, v));
      return;
    }
    String v = value.isTextual() ? value.asText() : value.isValueNode() ? value.asText() : value.toString();
    if (qs.length() > 0) {
      qs.append('&');
    }
    qs.append(URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20")).append('=')
        .append(URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20"));
  }

  static String clip(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "…" : s;
  }

  static ObjectMapper json() {
    return JSON;
  }
}
