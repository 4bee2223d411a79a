package dev.codemode.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LexicalSearchTest {
  private static SearchIndex index;

  @BeforeAll
  static void build() throws SpecException {
    index = SearchIndex.build(List.of(
        SharedFiles.load("github", "specs/github-rest-3.0.json"),
        SharedFiles.load("cloudflare", "specs/cloudflare-3.0.json"),
        SharedFiles.load("stripe", "specs/stripe-3.0.json")),
        SearchIndex.Options.defaults().withSemantic(false).withCacheDir(null));
  }

  @AfterAll
  static void close() {
    index.close();
  }

  private static List<String> ids(SearchQuery q) {
    return index.search(q).stream().map(h -> h.operation().operationId()).toList();
  }

  @ParameterizedTest
  @CsvSource({
      "github, create an issue, issues/create, 3",
      "github, list pull requests of a repository, pulls/list, 5",
      "github, star a repository, activity/star-repo-for-authenticated-user, 5",
      "github, delete a branch protection rule, repos/delete-branch-protection, 5",
      "cloudflare, purge cached content of a zone, zone-purge, 5",
      "cloudflare, list DNS records, dns-records-for-a-zone-list-dns-records, 5",
      "stripe, create a refund, PostRefunds, 5",
  })
  void plainWordsFindTheOperation(String api, String query, String expected, int within) {
    List<String> ids = ids(new SearchQuery(query, within, api, null, null));
    assertTrue(ids.contains(expected), query + " -> " + ids);
  }

  @Test
  void exactOperationIdAndMethodPathRankFirst() {
    assertEquals("repos/get", ids(SearchQuery.of("repos/get", 5)).get(0));
    assertEquals("repos/get", ids(SearchQuery.of("GET /repos/{owner}/{repo}", 5)).get(0));
    assertEquals("repos/get", ids(SearchQuery.of("get /repos/octocat/hello-world", 5)).get(0));
    assertEquals("zone-purge", ids(SearchQuery.of("POST /zones/{zone_id}/purge_cache", 5)).get(0));
  }

  @Test
  void filtersRestrictApiTagAndMethod() {
    List<SearchHit> hits = index.search(new SearchQuery("delete", 20, "github", "ISSUES", "delete"));
    assertFalse(hits.isEmpty());
    hits.forEach(h -> {
      assertEquals("github", h.operation().api());
      assertEquals("DELETE", h.operation().method());
      assertTrue(h.operation().tags().stream().anyMatch(t -> t.equalsIgnoreCase("issues")));
    });
    assertTrue(index.search(new SearchQuery("issue", 5, "no-such-api", null, null)).isEmpty());
  }

  @Test
  void blankTextListsWhatTheFiltersAllow() {
    List<SearchHit> hits = index.search(new SearchQuery(" ", 500, "github", "gists", null));
    assertFalse(hits.isEmpty());
    assertTrue(hits.stream().allMatch(h -> h.operation().tags().contains("gists")));
  }

  @Test
  void searchIsThreadSafe() {
    List<String> expected = ids(SearchQuery.of("list repository webhooks", 10));
    IntStream.range(0, 64).parallel()
        .forEach(i -> assertEquals(expected, ids(SearchQuery.of("list repository webhooks", 10))));
  }
}
