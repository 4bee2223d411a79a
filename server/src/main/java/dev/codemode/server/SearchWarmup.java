package dev.codemode.server;

import dev.codemode.spec.ApiSpec;
import dev.codemode.spec.SearchHit;
import dev.codemode.spec.SearchIndex;
import dev.codemode.spec.SearchQuery;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves search at once from the lexical index, while the hybrid (semantic) index is built in the background, then
 * switches to it. A cold start on a large spec (embedding GitHub's 1,223 operations takes seconds to minutes on a
 * small machine) therefore never delays the first tools/list answer; from the embedding cache the switch is near
 * instant. If the model cannot be loaded, search stays lexical and says so in the log. Thread-safe.
 *
 * <pre>{@code
 * SearchIndex index = SearchWarmup.start(specs, options);   // lexical now, hybrid soon
 * }</pre>
 */
final class SearchWarmup implements SearchIndex {
  private static final Logger LOG = LoggerFactory.getLogger(SearchWarmup.class);
  private final List<ApiSpec> specs;
  private volatile SearchIndex current;
  private volatile boolean closed;
  private final CompletableFuture<Void> upgraded;
  /** When the semantic index is expected to serve (System.nanoTime), for the note on lexical results. */
  private final long readyAtNanos;
  private volatile boolean semanticServing;

  private SearchWarmup(List<ApiSpec> specs, SearchIndex lexical, Options options) {
    this.specs = specs;
    this.current = lexical;
    this.readyAtNanos = System.nanoTime() + (long) (SearchIndex.semanticEtaSeconds(specs, options) * 1e9);
    this.upgraded = CompletableFuture.runAsync(() -> {
      long t0 = System.nanoTime();
      SearchIndex hybrid = SearchIndex.build(specs, options);
      synchronized (this) {
        if (closed) {
          hybrid.close();
          return;
        }
        SearchIndex old = current;
        current = hybrid;
        this.semanticServing = true;
        old.close();
      }
      LOG.info("semantic search ready in {} ms", (System.nanoTime() - t0) / 1_000_000);
    }, r -> {
      Thread t = new Thread(r, "codemode-search-warmup");
      t.setDaemon(true);
      t.start();
    }).exceptionally(e -> {
      LOG.warn("semantic search unavailable, staying lexical: {}", e.getMessage());
      return null;
    });
  }

  /** Lexical now; hybrid when {@code options.semantic()} and the model loads. */
  static SearchIndex start(List<ApiSpec> specs, Options options) {
    SearchIndex lexical = SearchIndex.build(specs, options.withSemantic(false));
    if (!options.semantic()) {
      return lexical;
    }
    return new SearchWarmup(specs, lexical, options);
  }

  /** Completes when the hybrid index serves (or failed and search stays lexical). */
  CompletableFuture<Void> upgraded() {
    return upgraded;
  }

  @Override
  public List<SearchHit> search(SearchQuery query) {
    return current.search(query);
  }

  /** While the semantic index warms up: that results are lexical for now, and for about how long. */
  @Override
  public java.util.Optional<String> note() {
    if (semanticServing || upgraded.isDone()) {
      return current.note();
    }
    long left = Math.max(1, (readyAtNanos - System.nanoTime() + 999_999_999L) / 1_000_000_000L);
    return java.util.Optional.of("Word matching only for now: semantic ranking is warming up, ready in about " + left
        + " s; search again then if these miss.");
  }

  @Override
  public boolean weak(SearchQuery query) {
    return current.weak(query);
  }

  @Override
  public List<ApiSpec> specs() {
    return specs;
  }

  @Override
  public synchronized void close() {
    closed = true;
    current.close();
  }
}
