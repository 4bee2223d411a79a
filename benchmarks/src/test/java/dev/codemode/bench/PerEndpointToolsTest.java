package dev.codemode.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The baseline generator: names, descriptions, parameters, bodies, and $ref inlining with the ancestor-path guard. */
class PerEndpointToolsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String SPEC = """
      {"openapi":"3.0.3","info":{"title":"t","version":"1"},
       "paths":{"/trees/{id}":{"parameters":[{"$ref":"#/components/parameters/Id"}],
         "put":{"operationId":"putTree","summary":"Replace a tree","description":"Whole tree.",
           "parameters":[{"name":"dry","in":"query","schema":{"type":"boolean"}}],
           "requestBody":{"required":true,"content":{"application/json":{"schema":{"$ref":"#/components/schemas/Pair"}}}}},
         "get":{"summary":"Get a tree"}}},
       "components":{"parameters":{"Id":{"name":"id","in":"path","required":true,"schema":{"type":"string"}}},
         "schemas":{"Node":{"type":"object","properties":{"children":{"type":"array","items":{"$ref":"#/components/schemas/Node"}}}},
           "Pair":{"type":"object","properties":{"left":{"$ref":"#/components/schemas/Node"},"right":{"$ref":"#/components/schemas/Node"}}}}}}
      """;

  @Test
  void buildsOneToolPerOperationWithInlinedSchemasAndACycleGuardOnTheAncestorPathOnly() throws Exception {
    List<ObjectNode> tools = PerEndpointTools.of(JSON.readTree(SPEC)).all();
    assertEquals(2, tools.size());
    JsonNode put = tools.get(1);
    assertEquals("putTree", put.get("name").asText());
    assertEquals("Replace a tree\n\nWhole tree.", put.get("description").asText());
    JsonNode props = put.at("/inputSchema/properties");
    assertEquals("string", props.at("/id/type").asText());
    assertEquals("boolean", props.at("/dry/type").asText());
    assertEquals(List.of("id", "requestBody"), JSON.convertValue(put.at("/inputSchema/required"), List.class));
    // Siblings sharing a schema are both expanded; the recursion stops where Node meets itself.
    for (String side : List.of("left", "right")) {
      JsonNode node = props.at("/requestBody/properties/" + side);
      assertEquals("array", node.at("/properties/children/type").asText());
      assertEquals("circular: Node", node.at("/properties/children/items/description").asText());
    }
    assertEquals("get_trees_id", tools.get(0).get("name").asText());
    assertTrue(Tokens.count(JSON.writeValueAsString(put)) > 50);
  }
}
