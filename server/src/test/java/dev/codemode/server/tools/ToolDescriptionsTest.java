package dev.codemode.server.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.server.upstream.FakeSpec;
import dev.codemode.spec.ApiSpec;
import dev.codemode.spec.Operation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The front page is built from the loaded API: its own operations in the examples, its title said once. */
class ToolDescriptionsTest {
  private static Operation op(String id, String method, String path, Operation.Parameter... params) {
    return new Operation("api", id, method, path, "", "", List.of(), List.of(params), null, null, false);
  }

  private static Operation.Parameter p(String name, String in, boolean required, String type) {
    return new Operation.Parameter(name, in, required, type, "");
  }

  private static ApiSpec titled(String title, List<Operation> ops) {
    FakeSpec base = new FakeSpec(ops, Map.of());
    return new ApiSpec() {
      public String name() { return base.name(); }
      public String title() { return title; }
      public String location() { return base.location(); }
      public java.util.Optional<String> serverUrl() { return base.serverUrl(); }
      public List<Operation> operations() { return ops; }
      public java.util.Optional<Operation> operation(String id) { return base.operation(id); }
      public Map<String, dev.codemode.spec.SecurityScheme> securitySchemes() { return Map.of(); }
      public List<String> warnings() { return List.of(); }
      public String contentHash() { return "0"; }
      public String detailJson(String id, int budget) { return base.detailJson(id, budget); }
      public java.util.Optional<String> nodeJson(String ptr, int budget) { return base.nodeJson(ptr, budget); }
    };
  }

  @Test
  void theExamplesNameTheApisOwnReadOperationsWithArgumentsOfTheirType() {
    ApiSpec pets = titled("Swagger Petstore", List.of(
        op("addPet", "POST", "/pets"),
        op("showPetById", "GET", "/pets/{petId}", p("petId", "path", true, "integer")),
        op("listPets", "GET", "/pets", p("limit", "query", false, "integer"),
            p("status", "query", true, "\"available\"|\"sold\""))));
    String d = ToolDescriptions.execute(List.of(pets), 30, true, false);
    assertTrue(d.contains("api.call('listPets', {status: 'available', limit: 100})"), d);
    assertTrue(d.contains("api.call('showPetById', {petId: 1}), api.call('showPetById', {petId: 2})"), d);
    assertFalse(d.contains("listOrders"), d);
    assertTrue(ToolDescriptions.search(List.of(pets)).contains("the Swagger Petstore API"));
  }

  @Test
  void aTitleEndingInApiIsNotSaidTwice() {
    ApiSpec demo = titled("Demo Store API", List.of(op("listOrders", "GET", "/orders")));
    String s = ToolDescriptions.search(List.of(demo));
    assertTrue(s.contains("the Demo Store API to use"), s);
    assertFalse(s.contains("API API"), s);
  }

  @Test
  void anApiWithoutReadsStillGetsAnExampleAndNoParallelLine() {
    ApiSpec writes = titled("Hooks", List.of(op("sendHook", "POST", "/hooks")));
    String d = ToolDescriptions.execute(List.of(writes), 30, true, false);
    assertTrue(d.contains("api.call('sendHook', {})"), d);
    assertFalse(d.contains("Parallel:"), d);
  }

  @Test
  void theOutputSchemaListsEveryFieldExecuteReturns() {
    @SuppressWarnings("unchecked")
    Map<String, Object> props = (Map<String, Object>) ToolDescriptions.executeOutput().get("properties");
    assertEquals(List.of("result", "logs", "logsDropped", "calls", "requests", "truncated", "bytesIn", "bytesOut",
        "error", "kind"), List.copyOf(props.keySet()));
  }
}
