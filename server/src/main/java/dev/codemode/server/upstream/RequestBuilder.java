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
 * The check step: turns a {@link BoundCall} into a checked outgoing request relative to the API's base URL. Every
 * refusal is an {@link UpstreamException} that says what was wrong; a method override (a header, query parameter or
 * body field that asks for another method) is noted in the result instead, for {@link Policy#decide} to refuse with
 * the other write rules. Stateless and thread-safe.
 */
final class RequestBuilder {
  static final int MAX_URL = 8192;
  static final int MAX_HEADERS = 50;
  static final int MAX_HEADER_BYTES = 16 * 1024;
  static final int MAX_BODY = 1 << 20;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> FORBIDDEN_HEADERS = Set.of("host", "content-length", "transfer-encoding",
      "connection", "keep-alive", "upgrade", "te", "trailer", "proxy-authorization", "proxy-connection", "expect",
      "accept-encoding");
  /** Headers and parameters with which common frameworks run another method or path than the one on the wire. */
  private static final Set<String> OVERRIDES = Set.of("x-http-method-override", "x-http-method", "x-method-override",
      "x-original-method", "x-original-url", "x-rewrite-url", "_method");
  /** A partial response could hold part of a credential, which no mask recognises. */
  private static final Set<String> PARTIAL = Set.of("range", "if-range");

  /**
   * A checked request: path (with its query string) relative to the base URL, headers and body.
   *
   * @param override what in it asks the upstream for another method or path (refused by {@link Policy#decide}), or
   *                 null
   */
  record Checked(String method, String pathAndQuery, String path, List<Map.Entry<String, String>> headers,
      byte[] body, String bodySummary, String override) {}

  private RequestBuilder() {}

  /** {@code api.request}'s JSON, its shape checked ({@link BoundCall#fromScript}) and then the request. */
  static Checked build(JsonNode req, Set<String> protectedHeaders, Set<String> protectedQuery) {
    return build(BoundCall.fromScript(req), protectedHeaders, protectedQuery);
  }

  /** Checks {@code call}; the first method override found is noted in the result, for the policy to refuse. */
  static Checked build(BoundCall call, Set<String> protectedHeaders, Set<String> protectedQuery) {
    String method = call.method();
    String rawPath = call.path();
    String query = null;
    int q = rawPath.indexOf('?');
    if (q >= 0) {
      query = rawPath.substring(q + 1);
      rawPath = rawPath.substring(0, q);
    }
    String path = checkPath(rawPath, call.bound());
    StringBuilder qs = new StringBuilder(query == null ? "" : query);
    String override = checkQuery(query, protectedQuery);
    for (Map.Entry<String, JsonNode> e : call.query().entrySet()) {
      override = first(override, checkQueryName(e.getKey(), protectedQuery));
      appendQuery(qs, e.getKey(), e.getValue());
    }
    String pathAndQuery = qs.length() == 0 ? path : path + "?" + qs;
    if (pathAndQuery.length() > MAX_URL) {
      throw new UpstreamException("the URL is " + pathAndQuery.length() + " characters; the limit is " + MAX_URL
          + ". Send fewer or shorter query parameters");
    }
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    int headerBytes = 0;
    for (Map.Entry<String, String> e : call.headers().entrySet()) {
      String name = e.getKey();
      String value = e.getValue();
      override = first(override, checkHeader(name, value, protectedHeaders));
      headerBytes += name.length() + value.length();
      headers.add(Map.entry(name, value));
    }
    if (headers.size() > MAX_HEADERS || headerBytes > MAX_HEADER_BYTES) {
      throw new UpstreamException("too many or too large headers (limit " + MAX_HEADERS + " headers, "
          + MAX_HEADER_BYTES + " bytes)");
    }
    byte[] body = null;
    String summary = "";
    JsonNode bn = call.body();
    if (bn != null && !bn.isNull() && !bn.isMissingNode()) {
      String contentType = call.contentType();
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
      override = first(override, bodyOverride(bn, text, contentType));
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
    return new Checked(method, pathAndQuery, path, headers, body, summary, override);
  }

  private static String first(String found, String next) {
    return found != null ? found : next;
  }

  /**
   * The normalised form of a script's path, which is both what the policy matches and what is sent: unreserved
   * escapes decoded ({@code %61} is {@code a}), other escapes in upper case, {@code ;} parameters dropped, empty
   * segments merged. Refused: encoded {@code /} or {@code \\} (also double-encoded), and any segment that is
   * {@code .} or starts with {@code ..} once decoded (Tomcat reads {@code ..;} as {@code ..}).
   */
  static String checkPath(String rawPath) {
    return checkPath(rawPath, false);
  }

  /**
   * As {@link #checkPath(String)}; {@code encodedSlashes} lets a {@code %2F} stand inside a segment (a parameter
   * value bound by {@code api.call} to a known operation, e.g. GitLab's {@code group%2Fproject}); dot segments inside
   * it are still refused.
   */
  static String checkPath(String rawPath, boolean encodedSlashes) {
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
      int semi = seg.indexOf(';');
      String norm = normaliseSegment(semi >= 0 ? seg.substring(0, semi) : seg, rawPath, encodedSlashes);
      byte[] decoded = percentDecode(norm);
      String ascii = new String(decoded, StandardCharsets.ISO_8859_1);
      for (String piece : (seg + "/" + ascii).split("[/\\\\]", -1)) {
        if (piece.startsWith("..") || piece.equals(".")) {
          throw new UpstreamException("path '" + clip(rawPath) + "' contains a '.' or '..' segment (also encoded or "
              + "as '..;'); requests may not leave the API's base path");
        }
      }
      for (byte b : decoded) {
        if ((b >= 0 && b < 0x20) || b == 0x7f) {
          throw new UpstreamException("path contains a control character; encode values with encodeURIComponent");
        }
        if ((b == '/' || b == '\\') && !encodedSlashes) {
          throw new UpstreamException("path '" + clip(rawPath) + "' has an encoded '/' or '\\' inside a segment; "
              + "servers disagree on what that means, so api.request refuses it. Use real '/' between segments, or "
              + "api.call, which encodes parameter values itself");
        }
      }
      if (!norm.isEmpty()) {
        out.append('/').append(norm);
      }
    }
    if (out.length() == 0 || rawPath.endsWith("/")) {
      out.append('/');
    }
    return out.toString();
  }

  /**
   * One segment with unreserved escapes decoded, other escapes in upper case and what may not stand in a segment
   * percent-encoded. A double-encoded character ({@code %2561}) is refused: some servers decode twice; in a value
   * bound by {@code api.call} only a double-encoded '.', '/' or '\\' is.
   */
  private static String normaliseSegment(String seg, String rawPath, boolean encodedSlashes) {
    StringBuilder sb = new StringBuilder();
    byte[] bytes = seg.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xff;
      if (b == '%') {
        if (i + 2 >= bytes.length || !isHex(bytes[i + 1]) || !isHex(bytes[i + 2])) {
          throw new UpstreamException("path segment '" + clip(seg) + "' has a broken %-escape");
        }
        int v = Character.digit(bytes[i + 1], 16) * 16 + Character.digit(bytes[i + 2], 16);
        if (v == '%' && i + 4 < bytes.length && isHex(bytes[i + 3]) && isHex(bytes[i + 4])) {
          int inner = Character.digit(bytes[i + 3], 16) * 16 + Character.digit(bytes[i + 4], 16);
          if (!encodedSlashes || inner == '.' || inner == '/' || inner == '\\') {
            throw new UpstreamException("path '" + clip(rawPath) + "' has a double-encoded character (%25XX); "
                + "servers that decode twice would read another path, so it is refused");
          }
        }
        if (isUnreserved(v)) {
          sb.append((char) v);
        } else {
          sb.append('%').append(String.format("%02X", v));
        }
        i += 2;
      } else if (isUnreserved(b) || "!$&'()*+,=:@".indexOf(b) >= 0) {
        sb.append((char) b);
      } else {
        sb.append('%').append(String.format("%02X", b));
      }
    }
    return sb.toString();
  }

  private static boolean isUnreserved(int b) {
    return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '-' || b == '.'
        || b == '_' || b == '~';
  }

  private static byte[] percentDecode(String s) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length()) {
        out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.write(c);
      }
    }
    return out.toByteArray();
  }

  /**
   * Refuses, in a raw query string, the names of credential parameters; returns the first method override
   * ({@code _method}) found, or null. Both {@code &} and {@code ;} count as separators, as some servers read them.
   */
  static String checkQuery(String rawQuery, Set<String> protectedQuery) {
    String override = null;
    if (rawQuery == null || rawQuery.isEmpty()) {
      return override;
    }
    for (String pair : rawQuery.split("[&;]")) {
      String name;
      try {
        name = URLDecoder.decode(pair.split("=", 2)[0], StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new UpstreamException("query parameter '" + clip(pair) + "' has a broken %-escape");
      }
      override = first(override, checkQueryName(name, protectedQuery));
    }
    return override;
  }

  /** Refuses a credential parameter's name; returns what names a method override, or null. */
  private static String checkQueryName(String name, Set<String> protectedQuery) {
    if (protectedQuery.contains(name)) {
      throw new UpstreamException("query parameter '" + name + "' carries the API credential; the server adds it, "
          + "do not set it");
    }
    return OVERRIDES.contains(name.trim().toLowerCase(Locale.ROOT)) ? "query parameter '" + clip(name.trim()) + "'"
        : null;
  }

  /** A {@code _method} field in a form, multipart or JSON body is a method override too (Rails, Laravel). */
  private static String bodyOverride(JsonNode body, String text, String contentType) {
    boolean field = body.isObject() && body.fieldNames().hasNext() && containsIgnoreCase(body, "_method");
    String lower = text.toLowerCase(Locale.ROOT);
    boolean form = contentType.startsWith("application/x-www-form-urlencoded")
        && ("&" + lower).matches("(?s).*[&;]\\s*_method=.*");
    boolean multipart = lower.contains("name=\"_method\"") || lower.contains("name=_method");
    return field || form || multipart ? "a '_method' field in the body" : null;
  }

  private static boolean containsIgnoreCase(JsonNode object, String name) {
    Iterator<String> it = object.fieldNames();
    while (it.hasNext()) {
      if (it.next().trim().equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  /** An ASCII hex digit, as in a percent escape. */
  static boolean isHex(int b) {
    return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
  }

  /** Refuses a header the script may not send; returns what names a method override, or null. */
  static String checkHeader(String name, String value, Set<String> protectedHeaders) {
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
    if (PARTIAL.contains(lower)) {
      throw new UpstreamException("header " + name + " is refused: a partial response could carry part of a "
          + "credential past the server's mask. Fetch the whole resource");
    }
    if (protectedHeaders.contains(lower)) {
      throw new UpstreamException("header " + name + " carries the API credential, which the server adds itself; "
          + "remove it (scripts never see or set credentials)");
    }
    return OVERRIDES.contains(lower) ? "header " + name : null;
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
