package dev.codemode.server.transport;

import dev.codemode.server.config.HttpConfig;
import dev.codemode.server.config.Secret;
import java.net.URI;
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
 * HttpSecurity s = HttpSecurity.of(HttpConfig.defaults().withClientTokens(tokens));
 * if (!s.hostAllowed(req.getHeader("Host"), port)) { 403 }
 * }</pre>
 */
public final class HttpSecurity {
  private static final Set<String> LOOPBACK_NAMES = HttpConfig.LOOPBACK_NAMES;

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

  /** The rules for {@code config}'s bind address, client tokens, extra origins and hosts, and body cap. */
  public static HttpSecurity of(HttpConfig config) {
    String h = config.host().toLowerCase(Locale.ROOT);
    return new HttpSecurity(h, isLoopback(h), isWildcard(h), config.allowedOrigins(), config.allowedHosts(),
        config.clientTokens().stream().map(t -> sha256(t.reveal())).toList(),
        config.clientTokens().stream().map(HttpSecurity::tokenName).toList(), config.maxRequestBytes());
  }

  /** Whether {@code host} names or resolves only to the loopback interface. */
  public static boolean isLoopback(String host) {
    return HttpConfig.isLoopback(host);
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
    return principal(authorization) != null;
  }

  /**
   * Which client token {@code authorization} carries, as an opaque name ({@code "token-2"}); {@code ""} when the server
   * takes no token, null when the header carries none of them. A session belongs to the token that opened it. Constant
   * time in the token's content.
   */
  public String principal(String authorization) {
    if (tokenDigests.isEmpty()) {
      return "";
    }
    if (authorization == null || authorization.length() < 7
        || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    byte[] presented = sha256(authorization.substring(7).strip());
    int match = -1;
    for (int i = 0; i < tokenDigests.size(); i++) {
      if (MessageDigest.isEqual(tokenDigests.get(i), presented)) {
        match = i;
      }
    }
    return match < 0 ? null : "token-" + (match + 1);
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
    return HttpConfig.normalizeOrigin(origin);
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
