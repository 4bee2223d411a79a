package dev.codemode.server.transport;

import dev.codemode.server.config.Secret;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The rules an HTTP request must pass before it reaches the MCP SDK: DNS-rebinding protection (Host and Origin
 * headers) and the client bearer token. When the server is bound to loopback, loopback Hosts and Origins are allowed;
 * bound elsewhere, the Host must name the bind address and port (or an {@code --allowed-host}) and an Origin, if
 * sent, must be same-origin or an {@code --allowed-origin}. Tokens are compared in constant time. Immutable.
 *
 * <pre>{@code
 * HttpSecurity s = HttpSecurity.of("127.0.0.1", tokens, HttpOptions.Validated.defaults());
 * if (!s.hostAllowed(req.getHeader("Host"), port)) { 403 }
 * }</pre>
 */
public final class HttpSecurity {
  private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

  private final String bindHost;
  private final boolean loopback;
  private final boolean wildcard;
  private final Set<String> allowedOrigins;
  private final Set<String> allowedHosts;
  private final List<byte[]> tokenDigests;
  private final List<String> tokenNames;
  private final int maxRequestBytes;

  /** The request attribute and transport-context key that carry the caller's identity ({@code token:NAME}). */
  public static final String IDENTITY = "codemode.identity";

  private HttpSecurity(String bindHost, boolean loopback, boolean wildcard, Set<String> allowedOrigins,
      Set<String> allowedHosts, List<byte[]> tokenDigests, List<String> tokenNames, int maxRequestBytes) {
    this.tokenNames = tokenNames;
    this.bindHost = bindHost;
    this.loopback = loopback;
    this.wildcard = wildcard;
    this.allowedOrigins = allowedOrigins;
    this.allowedHosts = allowedHosts;
    this.tokenDigests = tokenDigests;
    this.maxRequestBytes = maxRequestBytes;
  }

  public static HttpSecurity of(String bindHost, List<Secret> tokens, HttpOptions.Validated options) {
    String h = bindHost.toLowerCase(Locale.ROOT);
    return new HttpSecurity(h, isLoopback(h), isWildcard(h), options.allowedOrigins(), options.allowedHosts(),
        tokens.stream().map(t -> sha256(t.reveal())).toList(), tokens.stream().map(HttpSecurity::tokenName).toList(),
        options.maxRequestBytes());
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

  private static boolean isWildcard(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") || host.equals("0:0:0:0:0:0:0:0");
  }

  public boolean requiresToken() {
    return !tokenDigests.isEmpty();
  }

  public int maxRequestBytes() {
    return maxRequestBytes;
  }

  /** DNS-rebinding check of the Host header against the bind address and the port actually bound. */
  public boolean hostAllowed(String hostHeader, int boundPort) {
    HostPort hp = HostPort.parse(hostHeader, "http");
    if (hp == null) {
      return false;
    }
    if (allowedHosts.contains(hp.host()) || allowedHosts.contains(hp.host() + ":" + hp.port())) {
      return true;
    }
    if (loopback) {
      return LOOPBACK_NAMES.contains(hp.host()) || hp.host().matches("127(\\.\\d{1,3}){3}");
    }
    if (wildcard) {
      return hp.explicitPort() && hp.port() == boundPort;
    }
    return hp.host().equals(bindHost) && hp.port() == boundPort;
  }

  /** An absent Origin is allowed (not a browser); a present one must be loopback (when bound there), same-origin or listed. */
  public boolean originAllowed(String origin, String hostHeader) {
    if (origin == null) {
      return true;
    }
    String n = normalizeOrigin(origin);
    if (n == null) {
      return false;
    }
    if (allowedOrigins.contains(n)) {
      return true;
    }
    URI o = URI.create(n);
    String oHost = o.getHost().toLowerCase(Locale.ROOT);
    if (loopback && (LOOPBACK_NAMES.contains(oHost) || oHost.matches("127(\\.\\d{1,3}){3}"))) {
      return true;
    }
    HostPort origin2 = HostPort.parse(o.getRawAuthority(), o.getScheme());
    HostPort host = HostPort.parse(hostHeader, o.getScheme());
    return origin2 != null && host != null && origin2.host().equals(host.host()) && origin2.port() == host.port();
  }

  /** Whether the Authorization header carries one of the client tokens. Constant time in the token's content. */
  public boolean tokenAccepted(String authorization) {
    if (tokenDigests.isEmpty()) {
      return true;
    }
    if (authorization == null || authorization.length() < 7
        || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] presented = sha256(authorization.substring(7).strip());
    boolean ok = false;
    for (byte[] d : tokenDigests) {
      ok |= MessageDigest.isEqual(d, presented);
    }
    return ok;
  }

  /**
   * The identity of the token the Authorization header carries: {@code token:NAME}, where NAME is the NAME of
   * {@code --client-token NAME=env:VAR}, else the variable or the file's name. Null when no token matches.
   */
  public String identity(String authorization) {
    if (tokenDigests.isEmpty() || authorization == null || authorization.length() < 7
        || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    byte[] presented = sha256(authorization.substring(7).strip());
    String found = null;
    for (int i = 0; i < tokenDigests.size(); i++) {
      if (MessageDigest.isEqual(tokenDigests.get(i), presented) && found == null) {
        found = "token:" + tokenNames.get(i);
      }
    }
    return found;
  }

  static String tokenName(Secret token) {
    String src = token.source();
    int eq = src.indexOf('=');
    if (eq > 0) {
      return src.substring(0, eq);
    }
    String ref = src.startsWith("env:") || src.startsWith("file:") ? src.substring(src.indexOf(':') + 1) : src;
    return src.startsWith("file:") ? java.nio.file.Path.of(ref).getFileName().toString() : ref;
  }

  /** {@code scheme://host[:port]} in lower case without the default port, or null when not an origin. */
  static String normalizeOrigin(String origin) {
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

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A Host header split into a lower-case host and a port (the scheme's default when absent). */
  record HostPort(String host, int port, boolean explicitPort) {
    static HostPort parse(String value, String scheme) {
      if (value == null || value.isBlank()) {
        return null;
      }
      try {
        URI u = URI.create("http://" + value.trim() + "/");
        if (u.getHost() == null || u.getRawUserInfo() != null) {
          return null;
        }
        int dflt = "https".equalsIgnoreCase(scheme) ? 443 : 80;
        return new HostPort(u.getHost().toLowerCase(Locale.ROOT), u.getPort() == -1 ? dflt : u.getPort(),
            u.getPort() != -1);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
  }
}
