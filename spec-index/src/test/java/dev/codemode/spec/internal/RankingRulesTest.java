package dev.codemode.spec.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.spec.Fixtures;
import dev.codemode.spec.SearchHit;
import dev.codemode.spec.SearchIndex;
import dev.codemode.spec.SearchQuery;
import dev.codemode.spec.SpecException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each ranking rule on a small fixture spec (lexical ranker, no model): its effect, and that it stays quiet. */
class RankingRulesTest {
  private static HybridIndex index;
  private static final HybridIndex.Tuning ON = HybridIndex.Tuning.defaults();

  @BeforeAll
  static void build() throws SpecException {
    index = HybridIndex.build(List.of(Fixtures.load("ranking-rules.yaml")),
        SearchIndex.Options.defaults().withSemantic(false).withCacheDir(null));
  }

  @AfterAll
  static void close() {
    index.close();
  }

  private static List<SearchHit> hits(String query, HybridIndex.Tuning tuning) {
    return index.search(SearchQuery.of(query, 5), HybridIndex.Mode.LEXICAL, tuning);
  }

  private static String first(String query, HybridIndex.Tuning tuning) {
    return hits(query, tuning).get(0).operation().operationId();
  }

  @Test
  void theQuerysActionPicksTheMethod() {
    assertEquals("widgetLatchPut", first("enable the widget latch", ON));
    assertEquals("widgetLatchDelete", first("remove the widget latch", ON));
    assertEquals("widgetLatchGet", first("show me the widget latch", ON));
    assertEquals("widgetLatchGet", first("is the widget latch on?", ON));
    // Without the rule the three tie and document order decides.
    assertEquals("widgetLatchGet", first("remove the widget latch", ON.withActions(0, 0)));
  }

  @Test
  void aQueryWithoutAnActionIsUntouched() {
    List<String> with = hits("widget latch", ON).stream().map(h -> h.operation().operationId()).toList();
    List<String> without = hits("widget latch", ON.withActions(0, 0)).stream().map(h -> h.operation().operationId())
        .toList();
    assertEquals(without, with);
  }

  @Test
  void verbClassesComeFromWordsBeforeMethods() {
    assertEquals(Actions.Action.READ, Actions.ofQuery("Which channels am I in?"));
    assertEquals(Actions.Action.DELETE, Actions.ofQuery("please tear down the old servers"));
    assertEquals(Actions.Action.READ, Actions.ofQuery("give me every channel"));
    assertNull(Actions.ofQuery("thumbs-up for the release"));
    // "when" opens no question in the middle of a sentence
    assertEquals(Actions.Action.CREATE, Actions.ofQuery("send a note to our server when a file lands"));
    assertEquals(Actions.Action.UPDATE, Actions.ofQuery("Enable two-factor login"));
  }

  @Test
  void oneResultPerFamilyWithTheOthersAsVariants() {
    List<SearchHit> hits = hits("list firewall rules", ON);
    SearchHit top = hits.get(0);
    List<String> family = new java.util.ArrayList<>(List.of(top.operation().operationId()));
    top.variants().forEach(v -> family.add(v.operationId()));
    assertEquals(java.util.Set.of("accountRulesList", "zoneRulesList", "userRulesList"), java.util.Set.copyOf(family));
    assertTrue(hits.stream().skip(1).map(h -> h.operation().operationId()).noneMatch(family::contains), hits.toString());
    assertTrue(hits.stream().anyMatch(h -> h.operation().operationId().equals("ruleGet")), "a different idea stays");
    // Off: the three levels take three places.
    assertEquals(3, hits("list firewall rules", ON.withFamilies(false)).stream()
        .filter(h -> h.operation().operationId().endsWith("RulesList")).count());
  }

  @Test
  void sameTailUnderAnotherResourceIsNoFamily() {
    List<SearchHit> hits = hits("list actions", ON).stream()
        .filter(h -> h.operation().operationId().endsWith("Actions")).toList();
    assertEquals(2, hits.size(), hits.toString());
    assertTrue(hits.stream().allMatch(h -> h.variants().isEmpty()), hits.toString());
  }

  @Test
  void aDeprecatedCopyIsListedUnderItsReplacement() {
    // The old path matches the query's words better, but the current operation is the result.
    SearchHit top = hits("list gadgets v1", ON).get(0);
    assertEquals("gadgetsList", top.operation().operationId());
    assertEquals(List.of("gadgetsListOld"), top.variants().stream().map(o -> o.operationId()).toList());
  }

  @Test
  void aDeprecatedOperationRanksBelowAnEqualCurrentOne() {
    assertEquals("gizmosReport", first("gizmo report legacy", ON));
    assertEquals("gizmosLegacy", first("gizmo report legacy", ON.withDeprecated(1.0)));
  }

  @Test
  void familiesNeedAScopeSegment() {
    assertFalse(new Families(index.specs().get(0).operations()).of(0).length > 1, "widget latch is alone");
  }
}
