package dev.codemode.server.transport;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.server.config.HttpConfig;
import dev.codemode.server.config.Secret;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Host and Origin rules (DNS rebinding) and the bearer check, without a server. */
class HttpSecurityTest {
  private static HttpSecurity bound(String host, String... tokens) {
    return HttpSecurity.of(HttpConfig.defaults().withBind(host, 8080)
        .withClientTokens(java.util.Arrays.stream(tokens).map(t -> Secret.of("test", t)).toList())
        .withRequestRules(Set.of("https://app.example.com"), Set.of("mcp.example.com"), 1 << 20));
  }

  @Test
  void onLoopbackOnlyLoopbackHostsAndOriginsPass() {
    HttpSecurity s = bound("127.0.0.1");
    assertTrue(s.hostAllowed("localhost:8080", 8080));
    assertTrue(s.hostAllowed("127.0.0.1:8080", 8080));
    assertTrue(s.hostAllowed("[::1]:8080", 8080));
    assertFalse(s.hostAllowed("evil.example:8080", 8080));
    assertFalse(s.hostAllowed(null, 8080));
    assertTrue(s.originAllowed(null, "localhost:8080"));
    assertTrue(s.originAllowed("http://localhost:3000", "localhost:8080"));
    assertFalse(s.originAllowed("http://evil.example", "localhost:8080"));
    assertFalse(s.originAllowed("null", "localhost:8080"));
    assertTrue(s.originAllowed("https://app.example.com", "localhost:8080"), "listed origin");
  }

  @Test
  void elsewhereTheHostMustNameTheBindAddressAndPort() {
    HttpSecurity s = bound("10.0.0.5", "t");
    assertTrue(s.hostAllowed("10.0.0.5:8080", 8080));
    assertFalse(s.hostAllowed("10.0.0.5:9090", 8080));
    assertFalse(s.hostAllowed("localhost:8080", 8080));
    assertFalse(s.hostAllowed("evil.example:8080", 8080));
    assertTrue(s.hostAllowed("mcp.example.com", 8080), "--allowed-host");
    assertTrue(s.originAllowed("http://10.0.0.5:8080", "10.0.0.5:8080"), "same origin");
    assertFalse(s.originAllowed("http://10.0.0.5:9999", "10.0.0.5:8080"));
    assertFalse(s.originAllowed("http://localhost:8080", "10.0.0.5:8080"));
  }

  @Test
  void onAWildcardAddressTheHostMustCarryTheBoundPort() {
    HttpSecurity s = bound("0.0.0.0", "t");
    assertTrue(s.hostAllowed("server.lan:8080", 8080));
    assertFalse(s.hostAllowed("server.lan:80", 8080));
    assertFalse(s.hostAllowed("server.lan", 8080));
  }

  @Test
  void theBearerTokenMustMatchOneOfTheClientTokens() {
    HttpSecurity s = bound("127.0.0.1", "first", "second");
    assertTrue(s.tokenAccepted("Bearer first"));
    assertTrue(s.tokenAccepted("bearer second"));
    assertFalse(s.tokenAccepted("Bearer firs"));
    assertFalse(s.tokenAccepted("Basic first"));
    assertFalse(s.tokenAccepted(null));
    assertTrue(bound("127.0.0.1").tokenAccepted(null), "no token configured");
  }

  @Test
  void loopbackDetection() {
    for (String h : List.of("127.0.0.1", "localhost", "::1", "[::1]", "127.1.2.3")) {
      assertTrue(HttpSecurity.isLoopback(h), h);
    }
    for (String h : List.of("0.0.0.0", "10.0.0.5", "example.com", "::")) {
      assertFalse(HttpSecurity.isLoopback(h), h);
    }
  }
}
