package dev.codemode.spec.json;

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

  @Test
  void aResultOfAnyDepthIsReadAndCutAtTheDepthLimitWithoutRecursingIntoIt() throws Exception {
    int depth = 200_000;
    String json = "[".repeat(depth) + "]".repeat(depth);
    JsonBudget.Tamed t = JsonBudget.tame(JsonBudget.parseDeep(json), JsonBudget.MAX_DEPTH);
    assertTrue(t.cutDeep() && t.changed());
    String text = JsonBudget.compact(t.value());
    assertTrue(text.endsWith("\"…[array of 1]\"" + "]".repeat(JsonBudget.MAX_DEPTH)), text);
    assertEquals(JsonBudget.MAX_DEPTH + 1, text.chars().filter(c -> c == '[').count(), "64 arrays and the marker");
  }

  @Test
  void loneSurrogatesInStringsAndKeysBecomeReplacementCharactersAndPairsStay() throws Exception {
    String text = "{\"a\":\"x\\ud800y\",\"\\udc00\":[\"\\ud83d\\ude00\",\"\\udfff\"]}";
    assertEquals("{\"a\":\"x\uFFFDy\",\"\uFFFD\":[\"\uD83D\uDE00\",\"\uFFFD\"]}",
        JsonBudget.compact(JsonBudget.parseDeep(text)), "escaped lone surrogates are read as U+FFFD");
    ObjectNode v = JsonBudget.mapper().createObjectNode();
    v.put("a", "x\uD800y");
    v.putArray("\uDC00").add("\uD83D\uDE00").add("\uDFFF");
    JsonBudget.Tamed t = JsonBudget.tame(v, JsonBudget.MAX_DEPTH);
    assertTrue(t.changed());
    assertFalse(t.cutDeep());
    assertEquals("x\uFFFDy", t.value().get("a").asText());
    assertEquals("\uD83D\uDE00", t.value().get("\uFFFD").get(0).asText());
    assertEquals("\uFFFD", t.value().get("\uFFFD").get(1).asText());
    assertEquals("[\"\\\\ud800\",\"\uFFFD\"]", JsonBudget.compact(JsonBudget.parseDeep("[\"\\\\ud800\",\"\\ud800\"]")),
        "an escaped backslash before 'ud800' is text, not an escape");
    String plain = "no surrogates \uD83D\uDE00";
    assertTrue(JsonBudget.wellFormed(plain) == plain, "well-formed text is not copied");
  }

  @Test
  void clipSaysHowMuchWasCutAndNeverSplitsAPair() {
    assertEquals("abc", JsonBudget.clip("abc", 3));
    assertEquals("ab…(+1 chars)", JsonBudget.clip("abc", 2));
    String s = "a\uD83D\uDE00b";
    assertEquals("a…(+3 chars)", JsonBudget.clip(s, 2));
  }

  @Test
  void tooWideEvenAtTheLeanestShapeBecomesAPreviewThatEndsWithTheMarker() throws Exception {
    ObjectNode wide = JsonBudget.mapper().createObjectNode();
    for (int i = 0; i < 2; i++) {
      wide.put("a-key-far-longer-than-the-budget-" + "k".repeat(200) + i, i);
    }
    for (int budget : new int[] {2, 10, 60, 150}) {
      JsonBudget.Cut cut = JsonBudget.fit(wide, budget);
      assertTrue(cut.truncated() && cut.json().length() <= budget, budget + ": " + cut.json());
      assertTrue(JsonBudget.mapper().readTree(cut.json()).isTextual(), cut.json());
    }
    String preview = JsonBudget.fit(wide, 150).json();
    assertTrue(preview.startsWith("\"{\\\"a-key-far") && preview.matches(".*…\\(\\+\\d+ chars\\)\"$"), preview);
  }

  @Test
  void inOrderKeepsTheLeadingFieldsWholeAndEndsWithTheSameMarker() throws Exception {
    ObjectNode doc = JsonBudget.mapper().createObjectNode();
    doc.put("operationId", "listOrders").put("method", "GET");
    doc.set("items", big(50));
    for (int i = 0; i < 20; i++) {
      doc.put("extra" + i, "y".repeat(100));
    }
    for (int budget : new int[] {2, 20, 100, 1_000, 5_000}) {
      String json = JsonBudget.fitInOrder(doc, budget);
      assertTrue(json.length() <= budget, json.length() + " > " + budget);
      assertTrue(JsonBudget.mapper().readTree(json).isObject(), json);
    }
    JsonNode cut = JsonBudget.mapper().readTree(JsonBudget.fitInOrder(doc, 5_000));
    assertEquals("listOrders", cut.get("operationId").asText());
    assertEquals("GET", cut.get("method").asText());
    assertEquals("20 more keys", cut.get(JsonBudget.MARK).asText(), cut.toString());
    JsonNode items = cut.get("items");
    assertTrue(items.get(items.size() - 1).asText().matches("…\\d+ more items"), items.toString());
    String text = JsonBudget.fitInOrder(JsonBudget.mapper().getNodeFactory().textNode("z".repeat(5_000)), 100);
    assertTrue(text.length() <= 100 && text.endsWith("…(+" + (5_000 - (text.length() - 16)) + " chars)\""), text);
    assertEquals(JsonBudget.compact(doc), JsonBudget.fitInOrder(doc, 1_000_000), "what fits is not touched");
  }
}
