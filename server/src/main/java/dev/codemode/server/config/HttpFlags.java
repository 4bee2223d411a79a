package dev.codemode.server.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * The HTTP transport's request-rule flags, mixed into {@link CliOptions}. {@link #apply} checks them and lays them over
 * an {@link HttpConfig}. Not thread-safe (picocli fills it once).
 */
final class HttpFlags {
  @Option(names = "--allowed-origin", paramLabel = "ORIGIN",
      description = "A browser Origin allowed to call the HTTP transport besides loopback and same-origin "
          + "(repeatable), e.g. https://app.example.com.")
  List<String> allowedOrigins = new ArrayList<>();

  @Option(names = "--allowed-host", paramLabel = "HOST[:PORT]",
      description = "A Host header accepted besides the bind address (repeatable), e.g. the public name of a "
          + "reverse proxy in front of the server.")
  List<String> allowedHosts = new ArrayList<>();

  @Option(names = "--max-request-bytes", paramLabel = "N",
      description = "Largest HTTP request body accepted; larger ones get 413 (default ${DEFAULT-VALUE}).")
  Integer maxRequestBytes;

  /** Checks and normalises the allowed origins and hosts and the body cap, and sets them on {@code base}. */
  HttpConfig apply(HttpConfig base) throws ConfigException {
    Set<String> origins = new LinkedHashSet<>();
    for (String o : allowedOrigins) {
      String n = HttpConfig.normalizeOrigin(o);
      if (n == null) {
        throw new ConfigException("--allowed-origin '" + o + "' must look like https://app.example.com "
            + "(scheme, host and optional port; no path)");
      }
      origins.add(n);
    }
    Set<String> hosts = new LinkedHashSet<>();
    for (String h : allowedHosts) {
      String v = h.trim().toLowerCase(Locale.ROOT);
      if (v.isEmpty() || v.contains("/") || !validHost(v)) {
        throw new ConfigException("--allowed-host '" + h + "' must be a host name with an optional port, e.g. "
            + "mcp.example.com or mcp.example.com:8443");
      }
      hosts.add(v);
    }
    int maxBytes = maxRequestBytes == null ? base.maxRequestBytes() : maxRequestBytes;
    if (maxBytes < 1024) {
      throw new ConfigException("--max-request-bytes must be at least 1024, not " + maxBytes);
    }
    return base.withRequestRules(origins, hosts, maxBytes);
  }

  private static boolean validHost(String v) {
    try {
      return URI.create("http://" + v + "/").getHost() != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
