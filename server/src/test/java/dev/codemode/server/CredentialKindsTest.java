package dev.codemode.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.isolate.SandboxConfig;
import dev.codemode.server.config.ConfigException;
import dev.codemode.server.config.Secret;
import dev.codemode.server.config.ServerConfig;
import dev.codemode.server.tools.ToolOutput;
import dev.codemode.server.upstream.FakeSpec;
import dev.codemode.server.upstream.PingUpstream;
import dev.codemode.spec.Operation;
import dev.codemode.spec.SearchHit;
import dev.codemode.spec.SearchIndex;
import dev.codemode.spec.SearchQuery;
import dev.codemode.spec.SecurityScheme;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code --auth KIND=...} binds without a declared security scheme (many real specs, GitHub's among them, declare
 * none): bearer, basic, a header or a query parameter, sent on every request to a real local upstream.
 */
class CredentialKindsTest {
  private PingUpstream upstream;

  @BeforeEach
  void start() throws Exception {
    upstream = PingUpstream.start();
  }

  @AfterEach
  void stop() {
    upstream.close();
  }

  private static final Operation PING = new Operation("api", "ping", "GET", "/ping", "", "", List.of(), List.of(),
      null, null, false);

  private String sent(String kind, Map<String, SecurityScheme> declared) throws Exception {
    ServerConfig config = ServerConfig.defaults()
        .withSpecsAndAuth(List.of(new ServerConfig.SpecSource("api", "fake.json",
            upstream.baseUrl())),
            List.of(new ServerConfig.AuthBinding(null, kind, Secret.of("test", "user:s3cr3t"))))
        .withSandbox(SandboxConfig.defaults().withProcessIsolated(false).withConcurrency(1, 4));
    FakeSpec spec = new FakeSpec(List.of(PING), declared);
    try (Codemode app = Codemode.builder(config).specs(s -> spec).searchIndex(NoSearch::new).build()) {
      ToolOutput out = app.tools().execute(null, Map.of("code", "return (await api.call('ping', {})).pong"), null)
          .block(Duration.ofSeconds(60));
      assertFalse(out.isError(), out.json());
      assertFalse(out.json().contains("s3cr3t"), out.json());
    }
    PingUpstream.Seen seen = upstream.requests().get(upstream.requests().size() - 1);
    return "auth=" + seen.headers().getFirst("Authorization") + " key=" + seen.headers().getFirst("X-Api-Key")
        + " query=" + seen.uri().getRawQuery();
  }

  @Test
  void eachKindReachesTheUpstreamWhereItBelongs() throws Exception {
    assertEquals("auth=Bearer user:s3cr3t key=null query=null", sent("bearer", Map.of()));
    assertTrue(sent("basic", Map.of()).startsWith("auth=Basic dXNlcjpzM2NyM3Q= "));
    assertEquals("auth=null key=user:s3cr3t query=null", sent("header:X-Api-Key", Map.of()));
    assertEquals("auth=null key=null query=api_key=user%3As3cr3t", sent("query:api_key", Map.of()));
  }

  @Test
  void aKindMapsOntoTheOneDeclaredSchemeOfThatKind() throws Exception {
    SecurityScheme declared = new SecurityScheme("token", SecurityScheme.Type.HTTP, "bearer", null, null, null);
    assertEquals("auth=Bearer user:s3cr3t key=null query=null", sent("bearer", Map.of("token", declared)));
  }

  @Test
  void aKindTheDeclaredSchemesDoNotOfferNamesThem() {
    SecurityScheme declared = new SecurityScheme("key", SecurityScheme.Type.API_KEY, null, "header", "X-Key", null);
    ConfigException e = assertThrows(ConfigException.class, () -> sent("bearer", Map.of("key", declared)));
    assertTrue(e.getMessage().contains("it declares: key"), e.getMessage());
    assertTrue(assertThrows(ConfigException.class, () -> sent("nosuch", Map.of())).getMessage()
        .contains("bearer=, basic=, header:NAME= or query:NAME="));
  }

  private record NoSearch(List<dev.codemode.spec.ApiSpec> specs) implements SearchIndex {
    @Override
    public List<SearchHit> search(SearchQuery query) {
      return List.of();
    }

    @Override
    public void close() {}
  }
}
