package dev.codemode.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Browsing areas (tags, else path groups), searching inside one, and the cold-build estimate. */
class AreasTest {
  @TempDir
  Path cache;

  @Test
  void tagsWithTheirDescriptionsElsePathGroups() throws SpecException {
    List<Area> tagged = Fixtures.load("ranking-rules.yaml").areas();
    assertEquals("widgets", tagged.get(0).name());
    assertEquals(3, tagged.get(0).operations());
    assertEquals("Widgets and their latches", tagged.get(0).summary());
    assertTrue(tagged.stream().anyMatch(a -> a.name().equals("droplets") && a.summary().equals("List droplet actions")),
        tagged.toString());
    List<String> groups = Fixtures.load("pointer-refs.yaml").areas().stream().map(Area::name).toList();
    assertEquals(List.of("keys", "droplets", "files"), groups);
  }

  @Test
  void anAreaRestrictsTheSearch() throws SpecException {
    try (SearchIndex index = SearchIndex.build(List.of(Fixtures.load("ranking-rules.yaml")),
        SearchIndex.Options.defaults().withSemantic(false).withCacheDir(null))) {
      List<SearchHit> hits = index.search(new SearchQuery("list", 10, null, null, null, "Rules"));
      assertTrue(!hits.isEmpty() && hits.stream().allMatch(h -> h.operation().tags().contains("rules")),
          hits.toString());
      assertEquals(3, index.search(new SearchQuery("", 10, null, null, null, "widgets")).size());
    }
  }

  @Test
  void theColdBuildEstimateCountsOperationsNotYetEmbedded() throws SpecException {
    List<ApiSpec> specs = List.of(Fixtures.load("ranking-rules.yaml"));
    SearchIndex.Options options = SearchIndex.Options.defaults().withCacheDir(cache);
    double eta = SearchIndex.semanticEtaSeconds(specs, options);
    assertTrue(eta > 0 && eta < 10, "eta " + eta);
    assertEquals(0, SearchIndex.semanticEtaSeconds(specs, options.withSemantic(false)));
  }
}
