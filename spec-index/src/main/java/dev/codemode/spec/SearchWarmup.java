package dev.codemode.spec;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds search in the background so that start-up (and the first {@code initialize} and {@code tools/list}) never
 * waits for it: first the lexical index (a search that comes before it waits for it), then, when semantic search is
 * on, the embeddings are added to that same lexical index (from the embedding cache near instant; a cold start on a
 * large spec embeds for seconds to minutes) and search switches to hybrid. If the model cannot be loaded, search stays
 * lexical and says so in the log. While it warms up, {@link #note()} says that results are lexical and for about how
 * long. Closing it closes whichever index serves, and one finished later. The caller supplies the thread (its name,
 * daemon or not); the work runs once on it. Thread-safe.
 *
 * <pre>{@code
 * SearchWarmup index = SearchWarmup.start(specs, options, r -> new Thread(r, "search-warmup").start());
 * index.search(query);          // waits for the lexical index, hybrid once upgraded() completes
 * }</pre>
 */
public final class SearchWarmup implements SearchIndex {
  private static final Logger LOG = LoggerFactory.getLogger(SearchWarmup.class);
  private final List<ApiSpec> specs;
  private final boolean semantic;
  private final CompletableFuture<SearchIndex> lexical = new CompletableFuture<>();
  private final CompletableFuture<Void> upgraded = new CompletableFuture<>();
  private volatile SearchIndex current;
  private volatile boolean closed;
  /** When the semantic index is expected to serve (System.nanoTime), for the note on lexical results. */
  private volatile long readyAtNanos = System.nanoTime();
  private volatile boolean semanticServing;

  private SearchWarmup(List<ApiSpec> specs, Options options) {
    this.specs = List.copyOf(specs);
    this.semantic = options.semantic();
  }

  /**
   * Hands the build to {@code runner} at once and returns; lexical when built, hybrid later when
   * {@code options.semantic()}. {@code runner} should run it on a thread of its own (it may take minutes).
   */
  public static SearchWarmup start(List<ApiSpec> specs, Options options, Executor runner) {
    SearchWarmup w = new SearchWarmup(specs, options);
    runner.execute(() -> w.warmUp(options));
    return w;
  }

  private void warmUp(Options options) {
    long t0 = System.nanoTime();
    SearchIndex lex;
    try {
      if (semantic) {
        readyAtNanos = System.nanoTime() + (long) (SearchIndex.semanticEtaSeconds(specs, options) * 1e9);
      }
      lex = SearchIndex.build(specs, options.withSemantic(false));
    } catch (RuntimeException e) {
      LOG.warn("search index could not be built: {}", e.toString());
      lexical.completeExceptionally(e);
      upgraded.complete(null);
      return;
    }
    synchronized (this) {
      if (closed) {
        lex.close();
        lexical.complete(lex);
        upgraded.complete(null);
        return;
      }
      current = lex;
    }
    lexical.complete(lex);
    LOG.info("lexical search ready in {} ms{}", (System.nanoTime() - t0) / 1_000_000,
        semantic ? "; semantic search is warming up" : "");
    if (!semantic) {
      upgraded.complete(null);
      return;
    }
    long t1 = System.nanoTime();
    try {
      SearchIndex hybrid = SearchIndex.withSemantic(lex, options); // takes the lexical index over
      synchronized (this) {
        if (closed) {
          hybrid.close();
          return;
        }
        current = hybrid;
        semanticServing = true;
      }
      LOG.info("semantic search ready in {} ms", (System.nanoTime() - t1) / 1_000_000);
    } catch (RuntimeException | LinkageError e) {
      LOG.warn("semantic search unavailable, staying lexical: {}", e.getMessage());
    } finally {
      upgraded.complete(null);
    }
  }

  /** Completes when the hybrid index serves (or failed and search stays lexical, or semantic is off). */
  public CompletableFuture<Void> upgraded() {
    return upgraded;
  }

  /** Completes when the lexical index serves. */
  public CompletableFuture<SearchIndex> lexical() {
    return lexical;
  }

  private SearchIndex current() {
    SearchIndex c = current;
    return c != null ? c : lexical.join();
  }

  @Override
  public List<SearchHit> search(SearchQuery query) {
    return current().search(query);
  }

  /** While the semantic index warms up: that results are lexical for now, and for about how long. */
  @Override
  public Optional<String> note() {
    if (!semantic || semanticServing || upgraded.isDone()) {
      return current().note();
    }
    long left = Math.max(1, (readyAtNanos - System.nanoTime() + 999_999_999L) / 1_000_000_000L);
    return Optional.of("Word matching only for now: semantic ranking is warming up, ready in about " + left
        + " s; search again then if these miss.");
  }

  @Override
  public boolean weak(SearchQuery query) {
    return current().weak(query);
  }

  @Override
  public List<ApiSpec> specs() {
    return specs;
  }

  @Override
  public synchronized void close() {
    closed = true;
    SearchIndex c = current;
    if (c != null) {
      c.close();
    }
  }
}
