package dev.codemode.spec.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Computes the base URL of an API from its raw document. Stateless and thread-safe. */
final class ServerUrls {
  private static final Pattern VARIABLE = Pattern.compile("\\{([^}]+)}");

  private ServerUrls() {}

  /** The first {@code servers[].url}, variables replaced by their defaults, resolved against {@code base}. */
  static String fromOpenApi3(JsonNode root, URI base) {
    JsonNode server = root.path("servers").path(0);
    String url = server.path("url").asText("").strip();
    if (url.isEmpty()) {
      return null;
    }
    JsonNode variables = server.path("variables");
    Matcher m = VARIABLE.matcher(url);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      JsonNode def = variables.path(m.group(1)).path("default");
      String value = def.isMissingNode() ? variables.path(m.group(1)).path("enum").path(0).asText(m.group()) : def.asText();
      m.appendReplacement(sb, Matcher.quoteReplacement(value));
    }
    m.appendTail(sb);
    return resolve(sb.toString(), base);
  }

  /** {@code scheme://host/basePath}; without a host, basePath relative to the document's own location. */
  static String fromSwagger2(JsonNode root, URI base) {
    String host = root.path("host").asText("").strip();
    String basePath = root.path("basePath").asText("").strip();
    if (host.isEmpty()) {
      return resolve(basePath.isEmpty() ? "/" : basePath, base);
    }
    String scheme = "https";
    JsonNode schemes = root.path("schemes");
    if (schemes.isArray() && !schemes.isEmpty()) {
      boolean https = false;
      for (JsonNode s : schemes) {
        https |= "https".equalsIgnoreCase(s.asText());
      }
      scheme = https ? "https" : schemes.get(0).asText("https").toLowerCase();
    } else if (base != null && "http".equals(base.getScheme())) {
      scheme = "http";
    }
    return stripSlash(scheme + "://" + host + basePath);
  }

  static String resolve(String url, URI base) {
    if (url.contains("://") || base == null) {
      return stripSlash(url);
    }
    try {
      return stripSlash(base.resolve(url).toString());
    } catch (IllegalArgumentException e) {
      return stripSlash(url);
    }
  }

  private static String stripSlash(String url) {
    return url.length() > 1 && url.endsWith("/") && !url.endsWith("://") ? url.substring(0, url.length() - 1) : url;
  }

}
