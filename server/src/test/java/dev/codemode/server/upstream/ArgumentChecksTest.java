package dev.codemode.server.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codemode.server.config.Secret;
import dev.codemode.spec.ApiSpec;
import dev.codemode.spec.SpecLoader;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every api.call is checked before a byte leaves: a real upstream on a port records what it received, and a rejected
 * call must leave it empty while the message names the path, the value and the fix. Valid calls, including values
 * that only reach the wire right (numeric strings for integer parameters, null where nullable), pass unchanged.
 */
class ArgumentChecksTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static RecordingUpstream upstream;
  private static UpstreamClient http;
  private static ApiGateway demo;
  private static ApiGateway lenient;

  @BeforeAll
  static void start() throws Exception {
    upstream = new RecordingUpstream();
    http = new UpstreamClient(UpstreamClient.Settings.defaults());
    demo = gateway(load("demo", "/demo/openapi.json", ".json"));
    lenient = gateway(load("lenient", "/fixtures/lenient-schemas.yaml", ".yaml"));
  }

  static ApiSpec load(String name, String resource, String suffix) throws Exception {
    Path file = Files.createTempFile(name, suffix);
    try (InputStream in = ArgumentChecksTest.class.getResourceAsStream(resource)) {
      Files.write(file, in.readAllBytes());
    }
    return SpecLoader.load(name, file.toString());
  }

  static ApiGateway gateway(ApiSpec spec) {
    return TestGateways.open(spec, upstream.base(), http, spec.securitySchemes().containsKey("bearerAuth")
        ? Map.of("bearerAuth", Secret.of("t", "tok-123")) : Map.of());
  }

  @AfterAll
  static void stop() {
    http.close();
    upstream.close();
  }

  @BeforeEach
  void clear() {
    upstream.clear();
  }

  private static JsonNode call(ApiGateway gw, String op, String args) throws Exception {
    return gw.call(op, JSON.readTree(args), CallContext.PERMISSIVE).block(Duration.ofSeconds(10));
  }

  private static String rejected(ApiGateway gw, String op, String args) {
    UpstreamException e = assertThrows(UpstreamException.class, () -> call(gw, op, args));
    assertEquals(List.of(), upstream.received(), "a rejected call must send nothing");
    String first = e.getMessage().split("\n")[0];
    assertTrue(e.getMessage().split("\n").length <= 2, e.getMessage());
    return first;
  }

  private static RecordingUpstream.Received sent(ApiGateway gw, String op, String args) throws Exception {
    JsonNode r = call(gw, op, args);
    assertEquals(200, r.path("status").asInt(), r.toString());
    assertEquals(1, upstream.received().size());
    RecordingUpstream.Received got = upstream.received().get(0);
    upstream.clear();
    return got;
  }

  @Test
  void nearNamesOfParametersAreRejectedWithTheRightName() {
    String m = rejected(demo, "getOrder", "{\"order_id\": 1}");
    assertTrue(m.contains("$.order_id") && m.contains("did you mean 'orderId'"), m);
    m = rejected(demo, "listOrders", "{\"customerId\": 3}");
    assertTrue(m.contains("did you mean 'customer_id'"), m);
  }

  @Test
  void missingRequiredParameterOrFieldIsNamed() {
    String m = rejected(demo, "getOrder", "{}");
    assertTrue(m.contains("$.orderId is missing") && m.contains("path parameter"), m);
    m = rejected(demo, "createOrder", "{\"body\": {\"items\": [{\"productId\": 1, \"quantity\": 1}]}}");
    assertTrue(m.contains("$.body lacks the required field 'customerId'"), m);
    m = rejected(demo, "createOrder", "{}");
    assertTrue(m.contains("$.body is missing"), m);
  }

  @Test
  void wrongTypesAreRejectedWithWhatWasGivenAndWhatIsAccepted() {
    String m = rejected(demo, "createOrder",
        "{\"body\": {\"customerId\": 1, \"items\": [{\"productId\": 1, \"quantity\": \"two\"}]}}");
    assertTrue(m.contains("$.body.items[0].quantity is \"two\" (string); expected integer"), m);
    m = rejected(demo, "getOrder", "{\"orderId\": \"seven\"}");
    assertTrue(m.contains("$.orderId is \"seven\" (string); expected integer"), m);
    m = rejected(demo, "listOrders", "{\"min_total\": [1, 2]}");
    assertTrue(m.contains("$.min_total") && m.contains("expected number"), m);
  }

  @Test
  void badEnumValuesListTheAcceptedOnesAndTheNearOne() {
    String m = rejected(demo, "updateOrder", "{\"orderId\": 1, \"body\": {\"status\": \"Shipped\"}}");
    assertTrue(m.contains("$.body.status is \"Shipped\" (string); accepted: \"pending\"|") && m.contains(
        "did you mean \"shipped\"?"), m);
  }

  @Test
  void bodyAtTheWrongLevelIsRejected() {
    String m = rejected(demo, "listOrders", "{\"body\": {\"status\": \"paid\"}}");
    assertTrue(m.contains("takes no request body") && m.contains("(status)"), m);
    m = rejected(demo, "createOrder", "{\"body\": {\"order\": {\"customerId\": 1, \"items\": []}}}");
    assertTrue(m.contains("$.body"), m);
    m = rejected(demo, "createOrder", "{\"body\": {\"customerId\": 1}, \"items\": [{\"productId\": 1, "
        + "\"quantity\": 1}]}");
    assertTrue(m.contains("$.items is a body field: put it inside body"), m);
    m = rejected(demo, "createOrder", "{\"body\": {\"customer_id\": 1, \"items\": [{\"productId\": 1, "
        + "\"quantity\": 1}]}}");
    assertTrue(m.contains("unknown field 'customer_id'; did you mean 'customerId'?"), m);
  }

  @Test
  void valuesThatReachTheWireRightPassAndArriveAsBound() throws Exception {
    assertEquals("/orders/7", sent(demo, "getOrder", "{\"orderId\": \"7\"}").pathAndQuery());
    RecordingUpstream.Received r = sent(demo, "listOrders", "{\"customer_id\": \"3\", \"min_total\": \"10.5\", "
        + "\"page\": 2}");
    assertTrue(r.pathAndQuery().contains("customer_id=3") && r.pathAndQuery().contains("min_total=10.5"), r.toString());
    r = sent(demo, "createOrder", "{\"customerId\": 42, \"items\": [{\"productId\": 7, \"quantity\": 2}]}");
    assertEquals("POST", r.method());
    assertEquals(42, JSON.readTree(r.body()).path("customerId").asInt(), r.body());
    r = sent(demo, "createCustomerNote", "{\"customerId\": 1, \"body\": {\"body\": \"hello\"}}");
    assertEquals("hello", JSON.readTree(r.body()).path("body").asText());
  }

  @Test
  void unreliableSchemasNeverBlockCallsTheApiWouldAccept() throws Exception {
    String[] valid = {
        "{\"body\": {\"name\": \"a\", \"parent\": null, \"id\": 5}}",
        "{\"body\": {\"name\": \"a\", \"tags\": [\"x\", null], \"kind\": \"cat\", \"meows\": true}}",
        "{\"body\": {\"name\": \"a\", \"kind\": \"dog\", \"barks\": true, \"extra\": 1}}",
        "{\"body\": {\"name\": \"a\", \"link\": {\"anything\": [1]}, \"when\": \"not-a-date-but-unknown-format\"}}",
        "{\"body\": {\"name\": \"a\", \"owner\": {\"id\": 1, \"login\": \"x\", \"score\": 2}}}",
        "{\"body\": {\"name\": \"a\", \"size\": \"big\"}}",
        "{\"body\": {\"name\": \"a\", \"nested\": {\"nested\": {\"nested\": {\"name\": \"deep\"}}}}}",
        "{\"body\": {\"name\": \"a\", \"code\": \"x-1\"}}"};
    for (String args : valid) {
      sent(lenient, "createThing", args);
    }
    String m = rejected(lenient, "createThing", "{\"body\": {\"name\": 5}}");
    assertTrue(m.contains("$.body.name is 5 (integer); expected string"), m);
    m = rejected(lenient, "createThing", "{\"body\": {\"name\": \"a\", \"parent\": 3}}");
    assertTrue(m.contains("$.body.parent"), m);
  }
}
