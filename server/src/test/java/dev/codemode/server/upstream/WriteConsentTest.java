package dev.codemode.server.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codemode.server.approval.Approver;
import dev.codemode.spec.Operation;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The gateway acting on the human's answer to a {@link WriteDecision.Confirm}, against a real upstream that records
 * what reaches it: only a yes sends the write; a no, a client that cannot ask, and no answer at all send nothing and
 * tell the model what to do.
 */
class WriteConsentTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<Operation> OPS = List.of(
      new Operation("api", "createThing", "POST", "/things", "", "", List.of(), List.of(), null, null, false));
  private static RecordingUpstream upstream;
  private static UpstreamClient http;

  @BeforeAll
  static void start() throws Exception {
    upstream = new RecordingUpstream();
    http = new UpstreamClient(UpstreamClient.Settings.defaults());
  }

  @AfterAll
  static void stop() {
    http.close();
    upstream.close();
  }

  private static ApiGateway gateway(Policy policy) {
    upstream.clear();
    Redactor redactor = new Redactor();
    Credentials creds = new Credentials(Map.of(), Map.of(), List.of(), new OAuth2Tokens(http, redactor), redactor);
    return new ApiGateway(new FakeSpec(OPS, Map.of()), URI.create(upstream.base()), creds, http, redactor, policy);
  }

  /** Asks {@code answer} and remembers the prompts; writes need the human (no --allow-writes). */
  private static JsonNode post(Mono<Approver.Answer> answer, List<WritePrompt> asked) throws Exception {
    ApiGateway gw = gateway(new Policy(false, false, List.of(), List.of()));
    CallContext ctx = new CallContext() {
      @Override
      public Mono<Approver.Answer> confirmWrite(WritePrompt prompt) {
        asked.add(prompt);
        return answer;
      }

      @Override
      public void record(CallRecord call) {}
    };
    return gw.request(JSON.readTree("{\"method\":\"POST\",\"path\":\"/things\",\"body\":{\"name\":\"x\"}}"), ctx)
        .block(Duration.ofSeconds(10));
  }

  @Test
  void aYesSendsTheWriteTheHumanWasShown() throws Exception {
    List<WritePrompt> asked = new CopyOnWriteArrayList<>();
    JsonNode r = post(Mono.just(Approver.Answer.APPROVED), asked);
    assertEquals(200, r.get("status").asInt(), r.toString());
    assertEquals(List.of(new WritePrompt("api", "POST", "/things", "createThing", "{\"name\":\"x\"}")), asked);
    assertEquals(List.of(new RecordingUpstream.Received("POST", "/things", "{\"name\":\"x\"}")), upstream.received());
  }

  @Test
  void aNoSendsNothingAndSaysNotToRetry() {
    UpstreamException e = assertThrows(UpstreamException.class,
        () -> post(Mono.just(Approver.Answer.DECLINED), new CopyOnWriteArrayList<>()));
    assertEquals("the user declined POST /things; do not retry it unless the user asks", e.getMessage());
    assertTrue(upstream.received().isEmpty(), upstream.received().toString());
  }

  @Test
  void aClientThatCannotAskSendsNothingAndTheModelLearnsHowWritesAreEnabled() {
    UpstreamException e = assertThrows(UpstreamException.class,
        () -> post(Mono.just(Approver.Answer.CANNOT_ASK), new CopyOnWriteArrayList<>()));
    assertTrue(e.getMessage().startsWith("POST /things is a write, and writes need the user's confirmation, but this "
        + "MCP client cannot ask the user"), e.getMessage());
    assertTrue(e.getMessage().contains("restart the server with --allow-writes"), e.getMessage());
    assertTrue(upstream.received().isEmpty(), upstream.received().toString());
  }

  @Test
  void aDryRunReportsARefusedWriteButStillRefusesAMethodOverride() throws Exception {
    ApiGateway gw = gateway(new Policy(true, false, List.of(), List.of("createThing")));
    DryRunContext dry = new DryRunContext();
    JsonNode r = gw.request(JSON.readTree("{\"method\":\"POST\",\"path\":\"/things\",\"body\":{}}"), dry)
        .block(Duration.ofSeconds(10));
    assertTrue(r.get("dryRun").asBoolean(), r.toString());
    assertEquals(1, dry.writes.size());
    assertTrue(dry.writes.peek().refusal().startsWith("createThing is denied"), dry.writes.toString());
    UpstreamException e = assertThrows(UpstreamException.class, () -> gw.request(JSON.readTree(
        "{\"method\":\"POST\",\"path\":\"/other\",\"headers\":{\"X-HTTP-Method-Override\":\"DELETE\"}}"), dry)
        .block(Duration.ofSeconds(10)));
    assertTrue(e.getMessage().startsWith("header X-HTTP-Method-Override is refused"), e.getMessage());
    assertEquals(1, dry.writes.size());
    assertTrue(upstream.received().isEmpty(), upstream.received().toString());
  }

  @Test
  void noAnswerIsANo() {
    UpstreamException e = assertThrows(UpstreamException.class,
        () -> post(Mono.empty(), new CopyOnWriteArrayList<>()));
    assertTrue(e.getMessage().startsWith("the user declined POST /things"), e.getMessage());
    assertTrue(upstream.received().isEmpty(), upstream.received().toString());
  }
}
