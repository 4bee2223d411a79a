package dev.codemode.server.transport;

import dev.codemode.server.config.ConfigException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * The HTTP-only flags, mixed into the command line ({@code @Mixin}). {@link #validate} checks them and normalises the
 * origins and hosts. Not thread-safe (picocli fills it once).
 */
public final class HttpOptions {
  /** Default cap of one request body; larger requests get 413. */
  public static final int DEFAULT_MAX_REQUEST_BYTES = 4 * 1024 * 1024;

  @Option(names = "--allowed-origin", paramLabel = "ORIGIN",
      description = "A browser Origin allowed to call the HTTP transport besides loopback and same-origin "
          + "(repeatable), e.g. https://app.example.com.")
  List<String> allowedOrigins = new ArrayList<>();

  @Option(names = "--allowed-host", paramLabel = "HOST[:PORT]",
      description = "A Host header accepted besides the bind address (repeatable), e.g. the public name of a "
          + "reverse proxy in front of the server.")
  List<String> allowedHosts = new ArrayList<>();

  @Option(names = "--max-request-bytes", paramLabel = "N", defaultValue = "" + DEFAULT_MAX_REQUEST_BYTES,
      description = "Largest HTTP request body accepted; larger ones get 413 (default ${DEFAULT-VALUE}).")
  int maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;

  /** The validated settings: origins as {@code scheme://host[:port]}, hosts lower-cased. */
  public Validated validate() throws ConfigException {
    Set<String> origins = new LinkedHashSet<>();
    for (String o : allowedOrigins) {
      String n = HttpSecurity.normalizeOrigin(o);
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
    if (maxRequestBytes < 1024) {
      throw new ConfigException("--max-request-bytes must be at least 1024, not " + maxRequestBytes);
    }
    return new Validated(Set.copyOf(origins), Set.copyOf(hosts), maxRequestBytes);
  }

  private static boolean validHost(String v) {
    try {
      return URI.create("http://" + v + "/").getHost() != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * @param allowedOrigins  normalised extra origins
   * @param allowedHosts    extra Host header values ({@code host} or {@code host:port})
   * @param maxRequestBytes body cap
   */
  public record Validated(Set<String> allowedOrigins, Set<String> allowedHosts, int maxRequestBytes) {
    public static Validated defaults() {
      return new Validated(Set.of(), Set.of(), DEFAULT_MAX_REQUEST_BYTES);
    }
  }
}
