package dev.codemode.server.upstream;

import dev.codemode.server.approval.Approver;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codemode.server.config.Secret;
import dev.codemode.spec.Operation;
import dev.codemode.spec.SecurityScheme;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;

/**
 * Issue 11, policy 4-6, against a real upstream that records what reaches it: path aliases of a denied operation,
 * traversal spellings, redirects of writes and reads, and method overrides. Every refusal is also checked on the
 * wire: nothing refused may reach the upstream, and what is sent is the normalised path the policy matched.
 */
class WritePolicyAliasesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, SecurityScheme> SCHEMES = Map.of(
      "bearerAuth", new SecurityScheme("bearerAuth", SecurityScheme.Type.HTTP, "bearer", null, null, null));
  private static final List<Operation> OPS = List.of(
      op("deleteThing", "DELETE", "/record/things/{id}"),
      op("getThing", "GET", "/record/things/{id}"),
      op("createThing", "POST", "/record/things"),
      op("getAdmin", "GET", "/record/admin"),
      op("deleteViaRedirect", "DELETE", "/redirect-to"),
      op("postViaRedirect", "POST", "/redirect-to"),
      op("getViaRedirect", "GET", "/redirect-to"));
  private static FaultyUpstream upstream;
  private static UpstreamClient http;
  private final List<String> asked = new CopyOnWriteArrayList<>();
  private final List<CallContext.CallRecord> records = new CopyOnWriteArrayList<>();

  private static Operation op(String id, String method, String path) {
    return new Operation("api", id, method, path, "", "", List.of(), List.of(), null, List.of(List.of("bearerAuth")),
        false);
  }

  @BeforeAll
  static void start() throws Exception {
    upstream = new FaultyUpstream();
    http = new UpstreamClient(new UpstreamClient.Settings(Duration.ofSeconds(2), Duration.ofSeconds(5), 1 << 20, 8));
  }

  @AfterAll
  static void stop() throws Exception {
    http.close();
    upstream.close();
  }

  @BeforeEach
  void clear() {
    upstream.seen.clear();
  }

  private static ApiGateway gateway(Policy policy) {
    Redactor redactor = new Redactor();
    Credentials creds = new Credentials(SCHEMES, Map.of("bearerAuth", Secret.of("test", "tok-" + System.nanoTime())),
        List.of(), new OAuth2Tokens(http, redactor), redactor);
    return new ApiGateway(new FakeSpec(OPS, SCHEMES), URI.create(upstream.base()), creds, http, redactor, policy);
  }

  /** Approves every write and remembers what the human was shown. */
  private final CallContext approving = new CallContext() {
    @Override
    public Mono<Approver.Answer> confirmWrite(WritePrompt p) {
      asked.add(p.method() + " " + p.path() + " " + p.operationId());
      return Mono.just(Approver.Answer.APPROVED);
    }

    @Override
    public void record(CallRecord call) {
      records.add(call);
    }
  };

  private JsonNode send(ApiGateway gw, String method, String path) {
    ObjectNode req = JSON.createObjectNode();
    req.put("method", method);
    req.put("path", path);
    return gw.request(req, approving).block(Duration.ofSeconds(10));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/record/things/1", "/%72ecord/things/1", "/record/things;v=1/1", "/record//things/1",
      "/record/things/1/", "/RECORD/Things/1", "/record/%74hings/1;x", "/record/;/things/1", "/record/things/%31"})
  void everySpellingOfADeniedWriteIsDenied(String path) {
    ApiGateway gw = gateway(new Policy(true, false, List.of(), List.of("deleteThing")));
    UpstreamException e = assertThrows(UpstreamException.class, () -> send(gw, "DELETE", path));
    assertTrue(e.getMessage().contains("deleteThing is denied"), e.getMessage());
    assertTrue(upstream.seen.isEmpty(), upstream.seen.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/record/..;/..;/admin", "/record/%2e%2e/admin", "/record/.%2E/admin", "/record/..",
      "/./record/admin", "/record/things%2F1", "/record/things%2f..%2fadmin", "/record/things%5C1",
      "/record/%252e%252e/admin", "/record/%2561dmin", "/record/x/..%00/y", "/record/...;/admin",
      "//record/admin", "/record\\admin"})
  void traversalAndEncodedSeparatorsAreRefusedBeforeAnythingIsSent(String path) {
    ApiGateway gw = gateway(new Policy(true, false, List.of(), List.of()));
    UpstreamException e = assertThrows(UpstreamException.class, () -> send(gw, "GET", path));
    assertTrue(e.getMessage().contains("path"), e.getMessage());
    assertTrue(upstream.seen.isEmpty(), upstream.seen.toString());
  }

  @Test
  void whatIsSentIsTheNormalisedPathThePolicyMatched() {
    ApiGateway allowOnlyGet = gateway(new Policy(true, false, List.of("getThing"), List.of()));
    JsonNode r = send(allowOnlyGet, "GET", "/%72ecord/things;v=1//%7E1%2a?q=1");
    assertEquals(200, r.get("status").asInt(), r.toString());
    assertEquals(List.of("GET /v1/record/things/~1%2A?q=1"), List.copyOf(upstream.seen));
    assertEquals("/record/things/~1%2A", records.get(records.size() - 1).path());
    assertEquals("getThing", records.get(records.size() - 1).operationId());
  }

  @Test
  void aWriteThatMatchesNoOperationIsDeniedUnderEveryRestriction() {
    for (Policy p : List.of(new Policy(true, false, List.of(), List.of("getAdmin")),
        new Policy(true, false, List.of("createThing"), List.of()), new Policy(true, true, List.of(), List.of()))) {
      UpstreamException e = assertThrows(UpstreamException.class,
          () -> send(gateway(p), "DELETE", "/record/thingz/1"), p.toString());
      assertTrue(e.getMessage().contains("matches no operation") || e.getMessage().contains("--read-only"),
          e.getMessage());
    }
    assertTrue(upstream.seen.isEmpty(), upstream.seen.toString());
    send(gateway(new Policy(true, false, List.of(), List.of())), "DELETE", "/record/thingz/1");
    assertEquals(List.of("DELETE /v1/record/thingz/1"), List.copyOf(upstream.seen), "no list, writes allowed");
  }

  @Test
  void theHumanIsShownTheNormalisedPathAndTheOperationItMatches() {
    send(gateway(new Policy(false, false, List.of(), List.of())), "DELETE", "/%72ecord//things;x=1/7");
    assertEquals(List.of("DELETE /record/things/7 deleteThing"), asked);
    assertEquals(List.of("DELETE /v1/record/things/7"), List.copyOf(upstream.seen));
  }

  @ParameterizedTest
  @ValueSource(ints = {301, 302, 303, 307, 308})
  void anApprovedWriteIsNeverRedirected(int status) {
    ApiGateway gw = gateway(new Policy(false, false, List.of(), List.of("deleteThing")));
    for (String method : List.of("DELETE", "POST")) {
      JsonNode r = send(gw, method, "/redirect-to?status=" + status + "&to=/v1/record/things/9");
      assertEquals(status, r.get("status").asInt(), r.toString());
      assertTrue(r.get("redirectNotFollowed").asText().contains("redirects of writes"), r.toString());
      CallContext.CallRecord last = records.get(records.size() - 1);
      assertTrue(last.url().endsWith("/v1/redirect-to"), last.toString());
    }
    assertEquals(2, asked.size(), "asked once per write: " + asked);
    assertTrue(upstream.seen.isEmpty(), "nothing reached the redirect target: " + upstream.seen);
  }

  @Test
  void readRedirectsAreFollowedOnlyToPathsThePolicyAllowsAndAreAudited() {
    ApiGateway gw = gateway(new Policy(true, false, List.of(), List.of("getAdmin")));
    JsonNode ok = send(gw, "GET", "/redirect-to?status=302&to=/v1/record/things/5");
    assertEquals(200, ok.get("status").asInt(), ok.toString());
    assertEquals("/record/things/5", ok.get("redirectedTo").asText());
    CallContext.CallRecord last = records.get(records.size() - 1);
    assertTrue(last.url().endsWith("/v1/record/things/5"), last.toString());
    assertEquals(List.of("GET /v1/record/things/5"), List.copyOf(upstream.seen));
    upstream.seen.clear();
    for (String to : List.of("/v1/record/admin", "/v1/Record/admin", "/v1/record/..;/admin", "/v1/record/%2e%2e/x",
        "/v1/record/things/1?_method=DELETE", "/v1/record/a%2Fb")) {
      JsonNode r = send(gw, "GET", "/redirect-to?status=307&to=" + java.net.URLEncoder.encode(to,
          java.nio.charset.StandardCharsets.UTF_8));
      assertEquals(307, r.get("status").asInt(), to + ": " + r);
      assertTrue(r.get("redirectNotFollowed").asText().contains("not followed"), to + ": " + r);
    }
    assertTrue(upstream.seen.isEmpty(), upstream.seen.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"method\":\"GET\",\"path\":\"/record/things/1\",\"headers\":{\"X-HTTP-Method-Override\":\"DELETE\"}}",
      "{\"method\":\"GET\",\"path\":\"/record/things/1\",\"headers\":{\"x-http-method\":\"DELETE\"}}",
      "{\"method\":\"GET\",\"path\":\"/record/things/1\",\"headers\":{\"X-Method-Override\":\"DELETE\"}}",
      "{\"method\":\"GET\",\"path\":\"/record/things/1\",\"headers\":{\"X-Original-URL\":\"/admin\"}}",
      "{\"method\":\"GET\",\"path\":\"/record/things/1?_method=DELETE\"}",
      "{\"method\":\"GET\",\"path\":\"/record/things/1?a=1;_method=DELETE\"}",
      "{\"method\":\"GET\",\"path\":\"/record/things/1?%5Fmethod=DELETE\"}",
      "{\"method\":\"GET\",\"path\":\"/record/things/1\",\"query\":{\"_METHOD\":\"DELETE\"}}",
      "{\"method\":\"POST\",\"path\":\"/record/things\",\"body\":{\"_method\":\"DELETE\"}}",
      "{\"method\":\"POST\",\"path\":\"/record/things\",\"contentType\":\"application/x-www-form-urlencoded\","
          + "\"body\":\"a=1&_method=DELETE\"}",
      "{\"method\":\"POST\",\"path\":\"/record/things\",\"contentType\":\"multipart/form-data; boundary=b\","
          + "\"body\":\"--b\\r\\nContent-Disposition: form-data; name=\\\"_method\\\"\\r\\n\\r\\nDELETE\\r\\n--b--\"}",
      "{\"method\":\"GET\",\"path\":\"/record/things/1\",\"headers\":{\"Range\":\"bytes=0-3\"}}",
      "{\"method\":\"GET\",\"path\":\"/record/things/1\",\"headers\":{\"Accept-Encoding\":\"br\"}}"})
  void methodOverridesAndPartialReadsAreRefusedWithTheReason(String json) throws Exception {
    ApiGateway gw = gateway(new Policy(true, false, List.of(), List.of()));
    UpstreamException e = assertThrows(UpstreamException.class,
        () -> gw.request(JSON.readTree(json), approving).block(Duration.ofSeconds(10)));
    assertTrue(e.getMessage().contains("another method") || e.getMessage().contains("partial response")
        || e.getMessage().contains("set by the server"), e.getMessage());
    assertTrue(upstream.seen.isEmpty(), upstream.seen.toString());
    assertFalse(asked.size() > 0, "refused before the human is asked: " + asked);
  }
}
