package dev.codemode.server.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * How the server is reached: the transport and, for HTTP, the bind address, client tokens and request rules.
 * Immutable; defaults in {@link #defaults()} only. The transports read it; they never see the command line.
 *
 * <pre>{@code
 * HttpConfig http = HttpConfig.defaults().withTransport("http").withBind("127.0.0.1", 0);
 * }</pre>
 *
 * @param transport       stdio, sse or http
 * @param host            HTTP bind address
 * @param port            HTTP port, 0 for any
 * @param stateless       Streamable HTTP without sessions
 * @param clientTokens    bearer tokens HTTP clients must send (none: no token needed)
 * @param allowedOrigins  extra browser origins, normalised to {@code scheme://host[:port]}
 * @param allowedHosts    extra Host header values ({@code host} or {@code host:port}), lower case
 * @param maxRequestBytes largest HTTP request body; larger ones get 413
 */
public record HttpConfig(String transport, String host, int port, boolean stateless, List<Secret> clientTokens,
    Set<String> allowedOrigins, Set<String> allowedHosts, int maxRequestBytes) {
  /** Host names that always mean this machine. */
  public static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

  public HttpConfig {
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(host, "host");
    clientTokens = List.copyOf(clientTokens);
    allowedOrigins = Set.copyOf(allowedOrigins);
    allowedHosts = Set.copyOf(allowedHosts);
  }

  public static HttpConfig defaults() {
    return new HttpConfig("stdio", "127.0.0.1", 8080, false, List.of(), Set.of(), Set.of(), 4 * 1024 * 1024);
  }

  public HttpConfig withTransport(String t) {
    return new HttpConfig(t, host, port, stateless, clientTokens, allowedOrigins, allowedHosts, maxRequestBytes);
  }

  public HttpConfig withBind(String h, int p) {
    return new HttpConfig(transport, h, p, stateless, clientTokens, allowedOrigins, allowedHosts, maxRequestBytes);
  }

  public HttpConfig withStateless(boolean on) {
    return new HttpConfig(transport, host, port, on, clientTokens, allowedOrigins, allowedHosts, maxRequestBytes);
  }

  public HttpConfig withClientTokens(List<Secret> tokens) {
    return new HttpConfig(transport, host, port, stateless, tokens, allowedOrigins, allowedHosts, maxRequestBytes);
  }

  /** Extra origins and hosts, and the body cap. */
  public HttpConfig withRequestRules(Set<String> origins, Set<String> hosts, int maxBytes) {
    return new HttpConfig(transport, host, port, stateless, clientTokens, origins, hosts, maxBytes);
  }

  /** Whether {@code host} names or resolves only to the loopback interface. */
  public static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (LOOPBACK_NAMES.contains(h) || h.matches("127(\\.\\d{1,3}){3}")) {
      return true;
    }
    if (!h.matches("[0-9a-f:.\\[\\]]+")) {
      return false; // a name other than localhost: do not trust DNS to keep it on loopback
    }
    try {
      return InetAddress.getByName(h.replace("[", "").replace("]", "")).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** {@code scheme://host[:port]} in lower case without the default port, or null when not an origin. */
  public static String normalizeOrigin(String origin) {
    try {
      URI u = URI.create(origin.trim());
      String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
      if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null
          || (u.getRawPath() != null && !u.getRawPath().isEmpty() && !u.getRawPath().equals("/"))
          || u.getRawQuery() != null || u.getRawUserInfo() != null) {
        return null;
      }
      int port = u.getPort();
      boolean dflt = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
      return scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + (dflt ? "" : ":" + port);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
