package dev.codemode.server.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codemode.spec.ApiSpec;
import dev.codemode.spec.SearchHit;
import dev.codemode.spec.SearchIndex;
import dev.codemode.spec.SearchQuery;
import dev.codemode.spec.SpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The search tool over the real (lexical) index: browsing areas, searching inside one, variants, the warm-up note. */
class SearchBrowseTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SPEC = """
      openapi: 3.0.3
      info: {title: Browse, version: "1"}
      tags:
        - {name: firewall, description: Rules that block or allow traffic. More text here.}
        - {name: dns}
      paths:
        /accounts/{account_id}/firewall/rules:
          get: {operationId: accountRules, summary: List firewall rules of an account, tags: [firewall]}
        /zones/{zone_id}/firewall/rules:
          get: {operationId: zoneRules, summary: List firewall rules of a zone, tags: [firewall]}
        /zones/{zone_id}/dns_records:
          get: {operationId: dnsRecords, summary: List DNS records, tags: [dns]}
          post: {operationId: dnsCreate, summary: Create a DNS record, tags: [dns]}
      """;
  private static SearchIndex index;

  @BeforeAll
  static void build() throws Exception {
    Path file = Files.createTempFile("browse", ".yaml");
    Files.writeString(file, SPEC);
    ApiSpec spec = SpecLoader.load("api", file.toString());
    index = SearchIndex.build(List.of(spec), SearchIndex.Options.defaults().withSemantic(false).withCacheDir(null));
  }

  @AfterAll
  static void close() {
    index.close();
  }

  private static JsonNode run(SearchIndex idx, Map<String, Object> args) throws Exception {
    ToolOutput out = new SearchTool(idx, 8_000).run(args);
    JsonNode n = JSON.readTree(out.json());
    assertEquals(out.isError(), n.has("error") || out.isError(), out.json());
    return n;
  }

  @Test
  void noQueryListsTheAreasCompactly() throws Exception {
    for (Map<String, Object> args : List.<Map<String, Object>>of(Map.of(), Map.of("areas", true))) {
      JsonNode areas = run(index, args).get("areas");
      assertEquals(2, areas.size(), areas.toString());
      assertEquals("firewall", areas.get(0).get("name").asText());
      assertEquals(2, areas.get(0).get("operations").asInt());
      assertEquals("Rules that block or allow traffic.", areas.get(0).get("summary").asText());
      assertTrue(areas.get(1).get("summary").asText().contains("List DNS records"), areas.toString());
    }
  }

  @Test
  void anAreaNarrowsTheSearch() throws Exception {
    JsonNode results = run(index, Map.of("query", "list", "area", "DNS")).get("results");
    assertTrue(results.size() >= 1, results.toString());
    results.forEach(r -> assertTrue(r.get("operationId").asText().startsWith("dns"), results.toString()));
    ToolOutput unknown = new SearchTool(index, 8_000).run(Map.of("query", "list", "area", "billing"));
    assertTrue(unknown.isError() && unknown.json().contains("areas"), unknown.json());
  }

  @Test
  void variantsAreListedInOneResult() throws Exception {
    JsonNode results = run(index, Map.of("query", "list firewall rules")).get("results");
    assertEquals(1, results.findValues("variants").size(), results.toString());
    JsonNode first = results.get(0);
    String other = first.get("operationId").asText().equals("accountRules") ? "zoneRules" : "accountRules";
    assertEquals("[\"" + other + "\"]", first.get("variants").toString());
    results.forEach(r -> assertFalse(r.get("operationId").asText().equals(other), "the variant has no place of its own"));
  }

  @Test
  void whileWarmingUpEachResultSaysItIsLexicalForNow() throws Exception {
    SearchIndex warming = new SearchIndex() {
      @Override
      public List<SearchHit> search(SearchQuery query) {
        return index.search(query);
      }

      @Override
      public Optional<String> note() {
        return Optional.of("Word matching only for now: ready in about 12 s");
      }

      @Override
      public List<ApiSpec> specs() {
        return index.specs();
      }

      @Override
      public void close() {}
    };
    assertEquals("Word matching only for now: ready in about 12 s",
        run(warming, Map.of("query", "dns records")).get("note").asText());
    assertFalse(run(index, Map.of("query", "dns records")).has("note"));
  }
}
