package dev.codemode.spec;

import java.nio.file.Path;
import java.util.List;

/**
 * Ranked search over the operations of one or more {@link ApiSpec}s: hybrid lexical (Lucene BM25 with
 * identifier-aware analysis) and semantic (an in-process embedding model) ranking. Built once at start-up;
 * {@link #search} is thread-safe and its cost does not grow with the size of the documents.
 *
 * <pre>{@code
 * SearchIndex index = SearchIndex.build(List.of(spec), SearchIndex.Options.defaults());
 * List<SearchHit> hits = index.search(SearchQuery.of("list repositories of a user", 5));
 * }</pre>
 */
public interface SearchIndex extends AutoCloseable {

  /** Hits in rank order, at most {@code query.limit()}. */
  List<SearchHit> search(SearchQuery query);

  /**
   * Whether even the best operation for this query fits it poorly (the API probably cannot do it, or it is phrased
   * far from anything the spec says), so the caller can say so. Judged by the embedding model; an index without it
   * answers false, and then only an empty result signals "nothing matched".
   */
  default boolean weak(SearchQuery query) {
    return false;
  }

  /**
   * A short note for every result while this index ranks less well than it soon will (lexical only while the
   * semantic index warms up, and for about how long); empty otherwise.
   */
  default java.util.Optional<String> note() {
    return java.util.Optional.empty();
  }

  /**
   * About how many seconds building the semantic index over {@code specs} will take on this machine: operations whose
   * embeddings are not cached times a measured rate per operation and core. 0 when all are cached or semantic is off.
   */
  static double semanticEtaSeconds(List<ApiSpec> specs, Options options) {
    return dev.codemode.spec.internal.Indexes.semanticEtaSeconds(specs, options);
  }

  /** The specs this index covers, in the order given. */
  List<ApiSpec> specs();

  @Override
  void close();

  /**
   * Index options. Defaults are written here only.
   *
   * @param semantic  use the embedding model (off for tiny machines: lexical only)
   * @param cacheDir  where the parsed specs, the lexical index and the embeddings are cached, keyed by content hash;
   *                  null disables the caches
   */
  record Options(boolean semantic, Path cacheDir) {
    public static Options defaults() {
      return new Options(true, Path.of(System.getProperty("user.home"), ".cache", "codemode"));
    }

    public Options withSemantic(boolean on) {
      return new Options(on, cacheDir);
    }

    public Options withCacheDir(Path dir) {
      return new Options(semantic, dir);
    }
  }

  /**
   * {@code lexical} (built with semantic off) with the semantic ranker added, sharing its lexical index instead of
   * building it again. The result takes {@code lexical} over: close only the result, never both.
   */
  static SearchIndex withSemantic(SearchIndex lexical, Options options) {
    return dev.codemode.spec.internal.Indexes.withSemantic(lexical, options);
  }

  /** Builds the index over the given specs. */
  static SearchIndex build(List<ApiSpec> specs, Options options) {
    return dev.codemode.spec.internal.Indexes.build(specs, options);
  }
}
