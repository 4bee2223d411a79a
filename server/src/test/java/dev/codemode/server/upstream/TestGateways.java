package dev.codemode.server.upstream;

import dev.codemode.server.config.Secret;
import dev.codemode.spec.ApiSpec;
import java.net.URI;
import java.util.List;
import java.util.Map;

/** Gateways for tests: the real one, pointed at a test upstream, writes allowed, no lists. */
public final class TestGateways {
  private TestGateways() {}

  /** A gateway to {@code base} that holds no credential. */
  public static ApiGateway open(ApiSpec spec, String base, UpstreamClient http) {
    return open(spec, base, http, Map.of());
  }

  /** A gateway to {@code base} with {@code secrets} bound by scheme name. */
  public static ApiGateway open(ApiSpec spec, String base, UpstreamClient http, Map<String, Secret> secrets) {
    Redactor redactor = new Redactor();
    Credentials creds = new Credentials(spec.securitySchemes(), secrets, List.of(), new OAuth2Tokens(http, redactor),
        redactor);
    return new ApiGateway(spec, URI.create(base), creds, http, redactor, new Policy(true, false, List.of(), List.of()));
  }
}
