package dev.codemode.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DemoApiSpecTest {
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

  private DemoApi api;
  private DemoHttp http;
  private JsonNode spec;

  @BeforeEach
  void start() {
    api = DemoApi.start("127.0.0.1", 0, DemoApi.DEFAULT_TOKEN);
    http = new DemoHttp(api);
    DemoHttp.Reply reply = http.getRoot("/openapi.json");
    assertEquals(200, reply.status());
    spec = reply.json();
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void servedSpecIsTheBoundOne() throws Exception {
    assertEquals("3.0.3", spec.get("openapi").asText());
    assertEquals(api.baseUrl().toString(), spec.get("servers").get(0).get("url").asText());
    assertEquals(new ObjectMapper().readTree(api.openApiJson()), spec);
    assertTrue(api.baseUrl().toString().matches("http://127\\.0\\.0\\.1:\\d+/v1"), api.baseUrl().toString());
    assertEquals("bearer", spec.at("/components/securitySchemes/bearerAuth/scheme").asText());
    assertEquals("http", spec.at("/components/securitySchemes/bearerAuth/type").asText());
    assertTrue(spec.get("security").get(0).has("bearerAuth"));
  }

  @Test
  void operationIdsAreUniqueCamelCaseAndDocumented() {
    Set<String> ids = new HashSet<>();
    forEachOperation((method, path, op) -> {
      String id = op.get("operationId").asText();
      assertTrue(id.matches("[a-z][a-zA-Z]+"), id);
      assertTrue(ids.add(id), "duplicate " + id);
      assertFalse(op.path("summary").asText().isBlank(), id);
      assertTrue(op.path("description").asText().length() > 40, id);
      assertFalse(op.path("tags").isEmpty(), id);
    });
    assertTrue(ids.containsAll(Set.of("listOrders", "getOrder", "createOrder", "updateOrder", "deleteOrder",
        "listCustomers", "getCustomer", "echoHeaders")));
  }

  @Test
  void everyRefResolves() {
    checkRefs(spec);
  }

  private void checkRefs(JsonNode node) {
    if (node.has("$ref")) {
      String ref = node.get("$ref").asText();
      assertTrue(ref.startsWith("#/"), ref);
      assertFalse(spec.at(ref.substring(1)).isMissingNode(), "dangling " + ref);
    }
    node.forEach(this::checkRefs);
  }

  @Test
  void specAndRouterDescribeTheSameOperations() {
    Set<String> documented = new TreeSet<>();
    forEachOperation((method, path, op) -> documented.add(method.toUpperCase() + " " + path));
    Set<String> routed = new TreeSet<>();
    DemoApi.router(new DemoStore(DemoData.generate(DemoData.SEED)), new ObjectMapper()).routes()
        .forEach(r -> routed.add(r.method() + " " + r.template()));
    assertEquals(routed, documented);
  }

  @Test
  void everyDocumentedOperationIsServed() {
    Map<String, String> samples = Map.of("customerId", "2", "orderId", "3", "productId", "4", "ticketId", "5",
        "code", "200");
    forEachOperation((method, path, op) -> {
      String concrete = path;
      for (Map.Entry<String, String> e : samples.entrySet()) {
        concrete = concrete.replace("{" + e.getKey() + "}", e.getValue());
      }
      assertFalse(concrete.contains("{"), "no sample for " + path);
      StringBuilder query = new StringBuilder();
      for (JsonNode param : op.path("parameters")) {
        JsonNode p = param.has("$ref") ? spec.at(param.get("$ref").asText().substring(1)) : param;
        if (p.get("in").asText().equals("query") && p.has("example")) {
          query.append(query.length() == 0 ? "?" : "&").append(p.get("name").asText()).append('=')
              .append(p.get("example").asText());
        }
      }
      String body = method.equals("post") || method.equals("patch") ? "{}" : null;
      DemoHttp.Reply reply = http.send(method.toUpperCase(), concrete + query, body);
      String what = method.toUpperCase() + " " + concrete + query + " -> " + reply.status() + " " + reply.raw().body();
      assertNotEquals(405, reply.status(), what);
      assertNotEquals(401, reply.status(), what);
      assertTrue(reply.status() < 500 || path.endsWith("flaky"), what);
      if (reply.status() >= 400) {
        assertNotEquals("no_route", reply.errorCode(), what);
      }
      if (body != null) {
        assertEquals(422, reply.status(), "an empty body is a validation error: " + what);
      }
    });
  }

  @Test
  void everyListOperationDocumentsPaging() {
    forEachOperation((method, path, op) -> {
      if (op.get("operationId").asText().startsWith("list")) {
        assertTrue(op.get("parameters").toString().contains("#/components/parameters/PerPage"), path);
      }
    });
  }

  private interface OperationVisitor {
    void visit(String method, String path, JsonNode operation);
  }

  private void forEachOperation(OperationVisitor visitor) {
    for (Iterator<Map.Entry<String, JsonNode>> paths = spec.get("paths").fields(); paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
        Map.Entry<String, JsonNode> op = ops.next();
        if (METHODS.contains(op.getKey())) {
          visitor.visit(op.getKey(), path.getKey(), op.getValue());
        }
      }
    }
  }
}
