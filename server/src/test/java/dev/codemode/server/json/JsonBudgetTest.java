package dev.codemode.server.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class JsonBudgetTest {

  private static JsonNode big(int n) {
    ArrayNode a = JsonBudget.mapper().createArrayNode();
    for (int i = 0; i < n; i++) {
      ObjectNode o = a.addObject();
      o.put("id", i);
      o.put("name", "customer number " + i);
      o.put("bio", "x".repeat(500));
      o.putObject("nested").putObject("deeper").put("v", i);
    }
    return a;
  }

  @Test
  void smallValuesPassUnchanged() {
    JsonNode v = big(2);
    JsonBudget.Cut cut = JsonBudget.fit(v, 100_000);
    assertFalse(cut.truncated());
    assertEquals(JsonBudget.compact(v), cut.json());
  }

  @Test
  void largeValuesAreCutToValidJsonWithinBudgetAndSayHowMuchWasLeftOut() throws Exception {
    for (int budget : new int[] {200, 1_000, 5_000, 20_000}) {
      JsonBudget.Cut cut = JsonBudget.fit(big(2_000), budget);
      assertTrue(cut.truncated());
      assertTrue(cut.json().length() <= budget, cut.json().length() + " > " + budget);
      JsonBudget.mapper().readTree(cut.json());
      assertTrue(cut.fullChars() > 1_000_000);
    }
    JsonBudget.Cut cut = JsonBudget.fit(big(2_000), 20_000);
    assertTrue(cut.json().contains("more items"), cut.json().substring(0, 200));
  }

  @Test
  void aHugeStringIsCutToo() throws Exception {
    JsonNode s = JsonBudget.mapper().getNodeFactory().textNode("\"quoted\" ".repeat(100_000));
    JsonBudget.Cut cut = JsonBudget.fit(s, 1_000);
    assertTrue(cut.json().length() <= 1_000);
    assertTrue(JsonBudget.mapper().readTree(cut.json()).isTextual());
  }
}
