package dev.codemode.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Comparator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DetailViewTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static ApiSpec github;
  private static ApiSpec stripe;

  @BeforeAll
  static void load() throws SpecException {
    github = SharedFiles.load("github", "specs/github-rest-3.0.json");
    stripe = SharedFiles.load("stripe", "specs/stripe-3.0.json");
  }

  @Test
  void siblingReuseIsExpandedButTrueCycleIsMarked() throws Exception {
    ApiSpec spec = Fixtures.load("circular-refs.yaml");
    JsonNode view = JSON.readTree(spec.detailJson("getTree", 10_000));
    JsonNode props = view.path("response").path("schema").path("properties");
    assertEquals("string", props.path("home").path("properties").path("street").path("type").asText());
    assertEquals("string", props.path("work").path("properties").path("street").path("type").asText());
    assertFalse(view.toString().contains("#/components/schemas/Address"), view.toString());
    assertEquals("#/components/schemas/Node",
        props.path("root").path("properties").path("children").path("items").path("$circular").asText());
  }

  @Test
  void largestOperationsStayValidJsonUnderBudget() throws Exception {
    for (ApiSpec spec : new ApiSpec[] {github, stripe}) {
      // Candidates by a cheap proxy (many parameters and body fields), then the largest full view among them.
      Operation largest = spec.operations().stream()
          .sorted(Comparator.comparingInt((Operation op) -> op.parameters().size()
              + (op.requestBody() == null ? 0 : op.requestBody().fieldNames().size())).reversed())
          .limit(25)
          .max(Comparator.comparingInt(op -> spec.detailJson(op.operationId(), 200_000).length())).orElseThrow();
      assertTrue(spec.detailJson(largest.operationId(), 200_000).length() > 12_000, largest.operationId());
      for (int budget : new int[] {200, 1_000, 4_000, 12_000}) {
        String json = spec.detailJson(largest.operationId(), budget);
        assertTrue(json.length() <= budget, spec.name() + " " + largest.operationId() + " " + json.length());
        JsonNode node = JSON.readTree(json);
        assertTrue(node.isObject());
      }
      JsonNode rich = JSON.readTree(spec.detailJson(largest.operationId(), 12_000));
      assertEquals(largest.operationId(), rich.path("operationId").asText());
    }
  }

  @Test
  void detailViewHasTheEssentials() throws Exception {
    JsonNode view = JSON.readTree(github.detailJson("issues/create", 8_000));
    assertEquals("POST", view.path("method").asText());
    assertEquals("/repos/{owner}/{repo}/issues", view.path("path").asText());
    assertTrue(view.path("parameters").isArray());
    assertTrue(view.path("requestBody").path("schema").path("properties").has("title"), view.toString());
    assertEquals("201", view.path("response").path("status").asText());
  }

  @Test
  void unknownOperationSuggestsClosest() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> github.detailJson("issues/craete", 1000));
    assertTrue(e.getMessage().contains("issues/create"), e.getMessage());
  }

  @Test
  void nodeJsonResolvesPointerUnderBudget() throws Exception {
    String json = github.nodeJson("/components/schemas/repository", 3_000).orElseThrow();
    assertTrue(json.length() <= 3_000);
    JSON.readTree(json);
    assertTrue(github.nodeJson("/components/schemas/no-such-thing", 3_000).isEmpty());
  }
}
