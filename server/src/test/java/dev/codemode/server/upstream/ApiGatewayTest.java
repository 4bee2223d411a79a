package dev.codemode.server.upstream;

import dev.codemode.server.approval.Approver;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codemode.server.config.Secret;
import dev.codemode.spec.Operation;
import dev.codemode.spec.SecurityScheme;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** The upstream bridge against a real local server that misbehaves on purpose (issue 7's fault tests). */
class ApiGatewayTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "tok-" + System.nanoTime();
  private static final String KEY = "key-" + System.nanoTime();
  private static FaultyUpstream upstream;
  private static UpstreamClient http;

  private static final Map<String, SecurityScheme> SCHEMES = Map.of(
      "bearerAuth", new SecurityScheme("bearerAuth", SecurityScheme.Type.HTTP, "bearer", null, null, null),
      "apiKey", new SecurityScheme("apiKey", SecurityScheme.Type.API_KEY, null, "query", "api_key", null));

  private static final List<Operation> OPS = List.of(
      new Operation("api", "getThing", "GET", "/things/{id}", "Get a thing", "", List.of("things"),
          List.of(new Operation.Parameter("id", "path", true, "integer", ""),
              new Operation.Parameter("verbose", "query", false, "boolean", "")),
          null, List.of(List.of("bearerAuth")), false),
      new Operation("api", "createThing", "POST", "/ok", "Create a thing", "", List.of("things"), List.of(),
          new Operation.RequestBody(true, List.of("application/json"), List.of("name")),
          List.of(List.of("bearerAuth")), false),
      new Operation("api", "unauthorized", "GET", "/unauthorized", "", "", List.of(), List.of(), null,
          List.of(List.of("bearerAuth")), false),
      new Operation("api", "keyed", "GET", "/echo-keyed", "", "", List.of(), List.of(), null,
          List.of(List.of("apiKey")), false));

  @BeforeAll
  static void start() throws Exception {
    upstream = new FaultyUpstream();
    http = new UpstreamClient(new UpstreamClient.Settings(Duration.ofSeconds(2), Duration.ofMillis(1000), 1 << 20,
        16));
  }

  @AfterAll
  static void stop() throws Exception {
    http.close();
    upstream.close();
  }

  private static ApiGateway gateway(String base, Policy policy, Redactor redactor) {
    Credentials creds = new Credentials(SCHEMES, Map.of("bearerAuth", Secret.of("test", TOKEN),
        "apiKey", Secret.of("test", KEY)), List.of(), new OAuth2Tokens(http, redactor), redactor);
    return new ApiGateway(new FakeSpec(OPS, SCHEMES), URI.create(base), creds, http, redactor, policy);
  }

  private static ApiGateway gateway() {
    return gateway(upstream.base(), new Policy(true, false, List.of(), List.of()), new Redactor());
  }

  private static JsonNode get(ApiGateway gw, String path) throws Exception {
    return gw.request(JSON.readTree("{\"method\":\"GET\",\"path\":\"" + path + "\"}"), CallContext.PERMISSIVE)
        .block(Duration.ofSeconds(10));
  }

  @Test
  void anUpstreamThatEchoesTheCredentialIsRedactedInBodyAndHeaders() throws Exception {
    JsonNode r = get(gateway(), "/echo");
    String text = r.toString();
    assertEquals(200, r.get("status").asInt());
    assertFalse(text.contains(TOKEN), text);
    assertFalse(text.contains(KEY), text);
    assertTrue(r.at("/body/authorization").asText().contains(Redactor.MASK), text);
    assertTrue(r.at("/headers/x-echo-auth").asText().contains(Redactor.MASK), text);
  }

  @Test
  void anApiKeyInTheQueryGoesOutButNeverComesBack() throws Exception {
    ApiGateway gw = gateway();
    JsonNode r = gw.call("keyed", JSON.createObjectNode(), CallContext.PERMISSIVE).block();
    assertEquals("api_key=[REDACTED]", r.at("/body/query").asText(), r.toString());
    assertTrue(r.at("/body/authorization").isMissingNode(), "only the scheme the operation needs: " + r);
    assertFalse(r.toString().contains(KEY));
  }

  @Test
  void oauth2ClientCredentialsAreFetchedOnceByTheHostAndNeverShown() throws Exception {
    Map<String, SecurityScheme> schemes = Map.of("oauth", new SecurityScheme("oauth", SecurityScheme.Type.OAUTH2,
        null, null, null, upstream.server.getAddress().toString().replace("/", "http://") + "/oauth/token"));
    Redactor redactor = new Redactor();
    Credentials creds = new Credentials(schemes, Map.of("oauth", Secret.of("test", "cid:csecret")), List.of(),
        new OAuth2Tokens(http, redactor), redactor);
    Operation op = new Operation("api", "protected", "GET", "/oauth-protected", "", "", List.of(), List.of(), null,
        List.of(List.of("oauth")), false);
    ApiGateway gw = new ApiGateway(new FakeSpec(List.of(op), schemes), URI.create(upstream.base()), creds, http,
        redactor, new Policy(true, false, List.of(), List.of()));
    int before = upstream.tokensIssued.get();
    for (int i = 0; i < 3; i++) {
      JsonNode r = gw.call("protected", JSON.createObjectNode(), CallContext.PERMISSIVE).block();
      assertTrue(r.at("/body/authorized").asBoolean(), r.toString());
      assertFalse(r.toString().contains(FaultyUpstream.OAUTH_TOKEN), r.toString());
      assertFalse(r.toString().contains("csecret"), r.toString());
    }
    assertEquals(1, upstream.tokensIssued.get() - before, "the token is cached until it nears expiry");
  }

  @Test
  void aSlowUpstreamTimesOutWithAClearMessage() {
    UpstreamException e = assertThrows(UpstreamException.class, () -> get(gateway(), "/slow"));
    assertTrue(e.getMessage().contains("timed out"), e.getMessage());
  }

  @Test
  void aConnectionResetIsAClearError() {
    ApiGateway gw = gateway(upstream.resetBase(), new Policy(true, false, List.of(), List.of()), new Redactor());
    UpstreamException e = assertThrows(UpstreamException.class, () -> get(gw, "/ok"));
    assertTrue(e.getMessage().startsWith("GET /v1/ok"), e.getMessage());
  }

  @Test
  void serverErrorsMalformedJsonBinaryAndGzipAreAllUsable() throws Exception {
    ApiGateway gw = gateway();
    JsonNode e500 = get(gw, "/500");
    assertEquals(500, e500.get("status").asInt());
    assertFalse(e500.get("ok").asBoolean());
    assertEquals("boom", e500.at("/body/error").asText());
    JsonNode bad = get(gw, "/malformed");
    assertTrue(bad.get("bodyError").asText().contains("malformed"), bad.toString());
    assertEquals("{\"a\": [1, 2,", bad.get("body").asText());
    JsonNode bin = get(gw, "/binary");
    assertTrue(bin.at("/body/size").asInt() > 0 && bin.at("/body/base64").isTextual(), bin.toString());
    assertTrue(get(gw, "/gzip").at("/body/zipped").asBoolean());
  }

  @Test
  void aHugeBodyIsCutAtTheCapAndFlagged() throws Exception {
    JsonNode r = get(gateway(), "/huge");
    assertTrue(r.get("truncated").asText().contains("cut"), r.toString().substring(0, 300));
    assertTrue(r.get("body").asText().length() <= 1 << 20);
  }

  @Test
  void redirectsAreFollowedOnlyInsideTheOriginAndBasePath() throws Exception {
    ApiGateway gw = gateway();
    JsonNode inside = get(gw, "/redirect-inside");
    assertEquals(200, inside.get("status").asInt());
    assertTrue(inside.at("/body/query").asText().startsWith("from=redirect&api_key="), inside.toString());
    JsonNode outsidePrefix = get(gw, "/redirect-outside-prefix");
    assertEquals(302, outsidePrefix.get("status").asInt());
    assertTrue(outsidePrefix.has("redirectNotFollowed"));
    JsonNode otherOrigin = get(gw, "/redirect-other-origin");
    assertEquals(302, otherOrigin.get("status").asInt());
  }

  @Test
  void aDeniedCallIsExplainedBySchemeName() throws Exception {
    JsonNode r = gateway().call("unauthorized", JSON.createObjectNode(), CallContext.PERMISSIVE).block();
    assertEquals(401, r.get("status").asInt());
    String hint = r.get("authHint").asText();
    assertTrue(hint.contains("'bearerAuth'") && hint.contains("bound"), hint);
  }

  @Test
  void callFillsPathAndQueryAndChecksRequiredParameters() throws Exception {
    ApiGateway gw = gateway();
    UpstreamException e = assertThrows(UpstreamException.class,
        () -> gw.call("getThing", JSON.createObjectNode(), CallContext.PERMISSIVE).block());
    assertTrue(e.getMessage().contains("'id'"), e.getMessage());
    UpstreamException unknown = assertThrows(UpstreamException.class,
        () -> gw.call("getThing", JSON.readTree("{\"id\":1,\"bogus\":2}"), CallContext.PERMISSIVE).block());
    assertTrue(unknown.getMessage().contains("bogus"), unknown.getMessage());
    JsonNode r = gw.call("getThing", JSON.readTree("{\"id\":7,\"verbose\":true}"), CallContext.PERMISSIVE).block();
    assertEquals(404, r.get("status").asInt());
    assertTrue(r.at("/body/error").asText().contains("/things/7"), r.toString());
  }

  @Test
  void writesAskFirstAndReadOnlyAndDenyListsRefuse() throws Exception {
    List<String> asked = new ArrayList<>();
    CallContext refusing = new CallContext() {
      @Override
      public Mono<Approver.Answer> confirmWrite(WritePrompt p) {
        asked.add(p.method() + " " + p.path() + " " + p.operationId() + " " + p.bodySummary());
        return Mono.error(new UpstreamException("the user declined"));
      }

      @Override
      public void record(CallRecord call) {}
    };
    ApiGateway asking = gateway(upstream.base(), new Policy(false, false, List.of(), List.of()), new Redactor());
    UpstreamException e = assertThrows(UpstreamException.class,
        () -> asking.call("createThing", JSON.readTree("{\"body\":{\"name\":\"x\"}}"), refusing).block());
    assertEquals("the user declined", e.getMessage());
    assertEquals(List.of("POST /ok createThing {\"name\":\"x\"}"), asked);

    ApiGateway readOnly = gateway(upstream.base(), new Policy(false, true, List.of(), List.of()), new Redactor());
    UpstreamException ro = assertThrows(UpstreamException.class, () -> readOnly.request(
        JSON.readTree("{\"method\":\"DELETE\",\"path\":\"/ok\"}"), CallContext.PERMISSIVE).block());
    assertTrue(ro.getMessage().contains("--read-only"), ro.getMessage());

    ApiGateway denied = gateway(upstream.base(), new Policy(true, false, List.of(), List.of("tag:things")),
        new Redactor());
    UpstreamException d = assertThrows(UpstreamException.class,
        () -> denied.call("getThing", JSON.readTree("{\"id\":1}"), CallContext.PERMISSIVE).block());
    assertTrue(d.getMessage().contains("denied"), d.getMessage());

    ApiGateway allowOnly = gateway(upstream.base(), new Policy(true, false, List.of("keyed"), List.of()),
        new Redactor());
    UpstreamException a = assertThrows(UpstreamException.class, () -> get(allowOnly, "/ok"));
    assertTrue(a.getMessage().contains("allow"), a.getMessage());
  }
}
