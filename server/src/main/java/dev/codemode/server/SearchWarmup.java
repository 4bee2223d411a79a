package dev.codemode.server;

import dev.codemode.spec.ApiSpec;
import dev.codemode.spec.SearchHit;
import dev.codemode.spec.SearchIndex;
import dev.codemode.spec.SearchQuery;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the search indexes in the background so that start-up never waits for them: first the lexical index (a
 * second or two on GitHub's 1,223 operations, overlapping the sandbox and MCP server start), then, when enabled, the
 * hybrid (semantic) index, which replaces it when ready (embedding a large spec cold takes minutes on a small machine;
 * from the embedding cache the switch is near instant). A search that arrives before the lexical index waits for it.
 * If the model cannot be loaded, search stays lexical and says so in the log. Thread-safe.
 *
 * <pre>{@code
 * SearchIndex index = SearchWarmup.start(specs, options);   // lexical soon, hybrid later
 * }</pre>
 */
final class SearchWarmup implements SearchIndex {
  private static final Logger LOG = LoggerFactory.getLogger(SearchWarmup.class);
  /** How long a search waits for the first index before it fails (GitHub's takes 1-2 s). */
  private static final long FIRST_INDEX_WAIT_SECONDS = 120;
  private final List<ApiSpec> specs;
  private final CompletableFuture<Void> lexicalReady = new CompletableFuture<>();
  private final CompletableFuture<Void> upgraded = new CompletableFuture<>();
  private volatile SearchIndex current;
  private boolean closed;

  private SearchWarmup(List<ApiSpec> specs, Options options) {
    this.specs = List.copyOf(specs);
    Thread t = new Thread(() -> build(options), "codemode-search-index");
    t.setDaemon(true);
    t.start();
  }

  /** Starts building; returns at once. */
  static SearchWarmup start(List<ApiSpec> specs, Options options) {
    return new SearchWarmup(specs, options);
  }

  private void build(Options options) {
    long t0 = System.nanoTime();
    try {
      if (!install(SearchIndex.build(specs, options.withSemantic(false)))) {
        return;
      }
      LOG.info("lexical search ready in {} ms{}", (System.nanoTime() - t0) / 1_000_000,
          options.semantic() ? "; semantic search is warming up in the background" : "");
      lexicalReady.complete(null);
    } catch (RuntimeException | Error e) {
      LOG.error("the search index could not be built: {}", e.toString());
      lexicalReady.completeExceptionally(e);
      upgraded.complete(null);
      return;
    }
    if (!options.semantic()) {
      upgraded.complete(null);
      return;
    }
    long t1 = System.nanoTime();
    try {
      if (install(SearchIndex.build(specs, options))) {
        LOG.info("semantic search ready in {} ms", (System.nanoTime() - t1) / 1_000_000);
      }
    } catch (RuntimeException | Error e) {
      LOG.warn("semantic search unavailable, staying lexical: {}", e.getMessage());
    } finally {
      upgraded.complete(null);
    }
  }

  /** Makes {@code index} the one that answers; false (and closes it) when this was closed meanwhile. */
  private synchronized boolean install(SearchIndex index) {
    if (closed) {
      index.close();
      return false;
    }
    SearchIndex old = current;
    current = index;
    if (old != null) {
      old.close();
    }
    return true;
  }

  /** Completes when the hybrid index serves (or failed and search stays lexical). */
  CompletableFuture<Void> upgraded() {
    return upgraded;
  }

  private SearchIndex ready() {
    SearchIndex index = current;
    if (index != null) {
      return index;
    }
    try {
      lexicalReady.get(FIRST_INDEX_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the search index was being built", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the search index could not be built: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("the search index is still being built; try again shortly", e);
    }
    return current;
  }

  @Override
  public List<SearchHit> search(SearchQuery query) {
    return ready().search(query);
  }

  @Override
  public boolean weak(SearchQuery query) {
    return ready().weak(query);
  }

  @Override
  public List<ApiSpec> specs() {
    return specs;
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (current != null) {
      current.close();
    }
  }
}
