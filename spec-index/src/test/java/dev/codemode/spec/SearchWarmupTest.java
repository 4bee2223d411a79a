package dev.codemode.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The background build: nothing is built before the caller's runner runs it, then search is lexical at once; while the
 * semantic part would still be warming up the note says so; a warm-up closed before it ran closes what it builds and
 * never loads the model. The runner here is a list the test runs by hand, so each state is seen for certain.
 */
class SearchWarmupTest {
  private static final SearchIndex.Options LEXICAL = SearchIndex.Options.defaults().withSemantic(false)
      .withCacheDir(null);

  private static List<ApiSpec> specs() throws SpecException {
    return List.of(Fixtures.load("ranking-rules.yaml"));
  }

  @Test
  void buildsOnTheCallersRunnerThenServesLexically() throws Exception {
    List<Runnable> queued = new ArrayList<>();
    try (SearchWarmup index = SearchWarmup.start(specs(), LEXICAL, queued::add)) {
      assertEquals(1, queued.size(), "one task handed to the runner");
      assertFalse(index.lexical().isDone(), "nothing is built before the runner runs it");
      assertEquals("api", index.specs().get(0).name());
      Thread t = new Thread(queued.get(0), "test-warmup");
      t.start();
      SearchIndex lexical = index.lexical().get(30, TimeUnit.SECONDS);
      t.join(30_000);
      assertTrue(index.upgraded().isDone(), "semantic off: nothing more to wait for");
      List<SearchHit> hits = index.search(SearchQuery.of("list firewall rules of a zone", 3));
      assertEquals("zoneRulesList", hits.get(0).operation().operationId());
      assertEquals(lexical.search(SearchQuery.of("widget latch", 3)).size(),
          index.search(SearchQuery.of("widget latch", 3)).size());
      assertTrue(index.note().isEmpty(), index.note().toString());
    }
  }

  @Test
  void whileSemanticWarmsUpTheNoteSaysLexicalForAboutHowLong(@TempDir Path cache) throws Exception {
    List<Runnable> queued = new ArrayList<>();
    SearchWarmup index = SearchWarmup.start(specs(), SearchIndex.Options.defaults().withCacheDir(cache), queued::add);
    String note = index.note().orElseThrow();
    assertTrue(note.startsWith("Word matching only for now") && note.matches(".*ready in about \\d+ s.*"), note);
    index.close();
    queued.get(0).run(); // closed before it ran: builds the lexical index, closes it, stops before the model
    assertTrue(index.lexical().isDone() && index.upgraded().isDone());
    SearchIndex built = index.lexical().join();
    assertThrows(RuntimeException.class, () -> built.search(SearchQuery.of("widget latch", 3)),
        "the index built after close() is closed too");
  }
}
