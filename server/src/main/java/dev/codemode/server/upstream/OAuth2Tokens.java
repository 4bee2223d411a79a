package dev.codemode.server.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codemode.server.config.Secret;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Mono;

/**
 * OAuth2 client-credentials access tokens, fetched by the host and refreshed before they expire. The client secret
 * and the tokens stay here and in {@link Redactor}. Thread-safe.
 *
 * <pre>{@code
 * OAuth2Tokens t = new OAuth2Tokens(http, redactor);
 * t.token("https://auth.example.com/token", Secret.of("test", "client-id:client-secret")).block();
 * }</pre>
 */
public final class OAuth2Tokens {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final UpstreamClient http;
  private final Redactor redactor;
  private final Map<String, Mono<Token>> cache = new ConcurrentHashMap<>();

  private record Token(String value, long expiresAtMillis) {}

  public OAuth2Tokens(UpstreamClient http, Redactor redactor) {
    this.http = http;
    this.redactor = redactor;
  }

  /** A valid access token for the client {@code id:secret}, fetched once and refreshed 30 s before expiry. */
  public Mono<String> token(String tokenUrl, Secret client) {
    String key = tokenUrl + " " + client.source();
    Mono<Token> cached = cache.computeIfAbsent(key, k -> fetch(tokenUrl, client).cache(
        t -> java.time.Duration.ofMillis(Math.max(0, t.expiresAtMillis() - System.currentTimeMillis() - 30_000)),
        e -> java.time.Duration.ZERO, () -> java.time.Duration.ZERO));
    return cached.map(Token::value);
  }

  private Mono<Token> fetch(String tokenUrl, Secret client) {
    String v = client.reveal();
    int colon = v.indexOf(':');
    String id = v.substring(0, colon);
    String secret = v.substring(colon + 1);
    String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(id, StandardCharsets.UTF_8);
    String basic = Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8));
    redactor.add(basic);
    redactor.add(secret);
    return http.send(new UpstreamClient.UpstreamRequest("POST", URI.create(tokenUrl), List.of(
            Map.entry("Authorization", "Basic " + basic),
            Map.entry("Content-Type", "application/x-www-form-urlencoded"),
            Map.entry("Accept", "application/json")), form.getBytes(StandardCharsets.UTF_8)))
        .map(r -> {
          if (r.status() / 100 != 2) {
            throw new UpstreamException("the OAuth2 token endpoint answered " + r.status()
                + " for the configured client credentials (" + client.source() + "); the operator must check them");
          }
          try {
            JsonNode n = JSON.readTree(r.body());
            String token = n.path("access_token").asText("");
            if (token.isEmpty()) {
              throw new UpstreamException("the OAuth2 token endpoint returned no access_token");
            }
            redactor.add(token);
            long ttl = n.path("expires_in").asLong(3600);
            return new Token(token, System.currentTimeMillis() + ttl * 1000);
          } catch (java.io.IOException e) {
            throw new UpstreamException("the OAuth2 token endpoint returned malformed JSON");
          }
        });
  }
}
