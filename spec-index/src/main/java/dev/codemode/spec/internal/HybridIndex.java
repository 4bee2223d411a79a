package dev.codemode.spec.internal;

import dev.codemode.spec.ApiSpec;
import dev.codemode.spec.Operation;
import dev.codemode.spec.SearchHit;
import dev.codemode.spec.SearchIndex;
import dev.codemode.spec.SearchQuery;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.IntPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link SearchIndex}: Lucene BM25 ({@link LexicalIndex}) and, when enabled, dense retrieval with an in-process
 * embedding model ({@link Embedder}, vectors cached on disk by {@link EmbeddingCache}), fused by weighted reciprocal
 * rank. Exact operationIds and {@code METHOD /path} queries rank first. Immutable after build; {@link #search} is
 * thread-safe.
 *
 * <pre>{@code
 * HybridIndex index = HybridIndex.build(List.of(spec), SearchIndex.Options.defaults());
 * List<SearchHit> hits = index.search(SearchQuery.of("create an issue", 5));
 * }</pre>
 */
final class HybridIndex implements SearchIndex {
  private static final Logger LOG = LoggerFactory.getLogger(HybridIndex.class);

  /** Which rankers answer; {@link #HYBRID} is what {@link #search(SearchQuery)} uses when the model is loaded. */
  public enum Mode { LEXICAL, SEMANTIC, HYBRID }

  /**
   * Ranking settings, chosen on the tuning sets (spec-index README) as general settings (never per query).
   *
   * @param rrfK        reciprocal-rank constant: larger flattens the rank curve
   * @param lexical     weight of the lexical ranking
   * @param semantic    weight of the semantic ranking
   * @param candidates  how deep each ranker's list is read
   * @param lookupRank  when the query names something unknown to the API, the rank (1-based) lookup operations are
   *                    moved up to; 0 = off
   * @param lookups     how many lookup operations are moved up
   * @param actionFit   score factor 1 + this for an operation whose action (read, create, update, delete) is the
   *                    query's ({@link Actions})
   * @param actionClash score factor 1 - this for an operation whose action contradicts the query's (both doubled
   *                    when the lexical ranker serves alone: chosen separately per ranker, see the README)
   * @param deprecated  score factor of a deprecated operation
   * @param families    one result per family of variants ({@link Families}), the others listed with it
   */
  public record Tuning(double rrfK, double lexical, double semantic, int candidates, int lookupRank, int lookups,
      double actionFit, double actionClash, double deprecated, boolean families) {
    public static Tuning defaults() {
      return new Tuning(20, 0.2, 1.0, 100, 2, 2, 0.05, 0.2, 0.5, true);
    }

    /** The same with other fusion weights. */
    public Tuning withFusion(double rrfK, double lexical) {
      return new Tuning(rrfK, lexical, semantic, candidates, lookupRank, lookups, actionFit, actionClash, deprecated,
          families);
    }

    /** The same with lookups promoted to {@code rank} (0 = off). */
    public Tuning withLookups(int rank, int count) {
      return new Tuning(rrfK, lexical, semantic, candidates, rank, count, actionFit, actionClash, deprecated,
          families);
    }

    /** The same with other action factors (0, 0 = off). */
    public Tuning withActions(double fit, double clash) {
      return new Tuning(rrfK, lexical, semantic, candidates, lookupRank, lookups, fit, clash, deprecated, families);
    }

    /** The same with another deprecated factor (1 = off). */
    public Tuning withDeprecated(double factor) {
      return new Tuning(rrfK, lexical, semantic, candidates, lookupRank, lookups, actionFit, actionClash, factor,
          families);
    }

    /** The same with families on or off. */
    public Tuning withFamilies(boolean on) {
      return new Tuning(rrfK, lexical, semantic, candidates, lookupRank, lookups, actionFit, actionClash, deprecated,
          on);
    }
  }

  private final List<ApiSpec> specs;
  private final List<Operation> operations;
  private final LexicalIndex lexical;
  private final VectorIndex vectors;
  private final Embedder embedder;
  private final ExactMatcher exact;
  private final Tuning tuning;
  private final BuildStats stats;
  /** Per operation: finds things by name or free text (GET with a string q/query/search/name/... query parameter). */
  private final boolean[] lookup;
  /** Per operation: the action it performs. */
  private final Actions.Action[] action;
  private final Families families;
  /** Most variants listed with one result. */
  static final int MAX_VARIANTS = 8;

  /** How the build went, for the benchmark and the logs. */
  public record BuildStats(long lexicalMillis, long embeddingMillis, int embedded, int fromCache) {}

  private HybridIndex(List<ApiSpec> specs, List<Operation> operations, LexicalIndex lexical, VectorIndex vectors,
      Embedder embedder, Tuning tuning, BuildStats stats) {
    this.specs = specs;
    this.operations = operations;
    this.lexical = lexical;
    this.vectors = vectors;
    this.embedder = embedder;
    this.exact = new ExactMatcher(operations);
    this.tuning = tuning;
    this.stats = stats;
    this.lookup = new boolean[operations.size()];
    this.action = new Actions.Action[operations.size()];
    for (int i = 0; i < lookup.length; i++) {
      lookup[i] = isLookup(operations.get(i));
      action[i] = Actions.of(operations.get(i));
    }
    this.families = new Families(operations);
  }

  /**
   * Below this {@link #matchStrength} a result is a weak match (see {@link #weak}). Calibrated by the benchmark on the
   * RestBench, bigdev and held-out tasks: against their own API 0.9% fall below it, against another API (which cannot
   * do them) 38%. Chosen to be rarely wrong rather than to catch everything: a false "weak" would make an agent doubt
   * a right answer.
   */
  public static final double WEAK_BELOW = 0.08;
  /** Lookups are chosen among this many best-fused operations (unrelated lookups stay where they are). */
  private static final int LOOKUP_DEPTH = 50;
  private static final Set<String> LOOKUP_PARAMS = Set.of("q", "query", "search", "term", "keyword", "keywords",
      "name", "text", "title");

  static boolean isLookup(Operation op) {
    if (!op.method().equals("GET")) {
      return false;
    }
    for (Operation.Parameter p : op.parameters()) {
      if (p.in().equals("query") && LOOKUP_PARAMS.contains(p.name().toLowerCase(Locale.ROOT))
          && (p.type().isEmpty() || p.type().equals("string"))) {
        return true;
      }
    }
    return false;
  }

  public static HybridIndex build(List<ApiSpec> specs, SearchIndex.Options options) {
    return build(specs, options, Tuning.defaults());
  }

  public static HybridIndex build(List<ApiSpec> specs, SearchIndex.Options options, Tuning tuning) {
    Objects.requireNonNull(specs, "specs");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(tuning, "tuning");
    List<ApiSpec> copy = List.copyOf(specs);
    Set<String> names = new java.util.HashSet<>();
    for (ApiSpec spec : copy) {
      if (!names.add(spec.name())) {
        throw new IllegalArgumentException("Two specs are named '" + spec.name() + "'; give each --spec a distinct"
            + " name= prefix.");
      }
    }
    List<Operation> ops = new ArrayList<>();
    copy.forEach(s -> ops.addAll(s.operations()));
    long t0 = System.nanoTime();
    Path cached = LexicalCache.dir(options.cacheDir(), copy);
    LexicalIndex lexical = new LexicalIndex(ops, cached);
    if (!lexical.fromCache()) {
      LexicalCache.write(lexical.directory(), cached);
    }
    long t1 = System.nanoTime();
    return withVectors(copy, List.copyOf(ops), lexical, options, tuning, (t1 - t0) / 1_000_000);
  }

  /**
   * This lexical-only index with the semantic ranker added: the Lucene index is shared, not built again. The result
   * takes this index over: close only the result.
   */
  public HybridIndex withSemantic(SearchIndex.Options options) {
    return withVectors(specs, operations, lexical, options.withSemantic(true), tuning, stats.lexicalMillis());
  }

  private static HybridIndex withVectors(List<ApiSpec> copy, List<Operation> ops, LexicalIndex lexical,
      SearchIndex.Options options, Tuning tuning, long lexicalMillis) {
    long t1 = System.nanoTime();
    VectorIndex vectors = null;
    Embedder embedder = null;
    int embedded = 0;
    int cached = 0;
    if (options.semantic()) {
      embedder = Embedder.shared();
      EmbeddingCache cache = new EmbeddingCache(options.cacheDir());
      float[][] all = new float[ops.size()][];
      int offset = 0;
      for (ApiSpec spec : copy) {
        List<String> passages = spec.operations().stream().map(DocText::passage).toList();
        Path file = options.cacheDir() == null ? null
            : EmbeddingCache.file(options.cacheDir(), spec.name(), spec.contentHash(), passages);
        float[][] v = file == null ? null : cache.read(file, passages.size()).orElse(null);
        if (v == null) {
          long s = System.nanoTime();
          v = embedder.passages(passages);
          embedded += v.length;
          LOG.info("Embedded {} operations of {} in {} ms", v.length, spec.name(), (System.nanoTime() - s) / 1_000_000);
          if (file != null) {
            cache.write(file, v);
          }
        } else {
          cached += v.length;
        }
        System.arraycopy(v, 0, all, offset, v.length);
        offset += v.length;
      }
      vectors = new VectorIndex(all);
    }
    long t2 = System.nanoTime();
    BuildStats stats = new BuildStats(lexicalMillis, (t2 - t1) / 1_000_000, embedded, cached);
    LOG.info("Search index over {} operations: lexical {} ms, semantic {} ms ({} embedded, {} from cache)",
        ops.size(), stats.lexicalMillis(), stats.embeddingMillis(), embedded, cached);
    return new HybridIndex(copy, ops, lexical, vectors, embedder, tuning, stats);
  }

  /** Forgets cached query vectors, so a benchmark measures real query embedding. */
  public void clearQueryCache() {
    if (embedder != null) {
      embedder.clearRecentQueries();
    }
  }

  /**
   * Embeds the passages of the first {@code sample} operations of {@code spec} and returns seconds per operation
   * (for the benchmark's cold-build estimate; loads the model).
   */
  public static double embeddingSecondsPerOperation(ApiSpec spec, int sample) {
    List<String> passages = spec.operations().stream().limit(sample).map(DocText::passage).toList();
    return Embedder.shared().secondsPerPassage(passages);
  }

  /** Whether {@code spec}'s embeddings are in {@code cacheDir} for the current model and passage format. */
  public static boolean isCached(ApiSpec spec, Path cacheDir) {
    List<String> passages = spec.operations().stream().map(DocText::passage).toList();
    return java.nio.file.Files.isRegularFile(EmbeddingCache.file(cacheDir, spec.name(), spec.contentHash(), passages));
  }

  public Tuning tuning() {
    return tuning;
  }

  public BuildStats buildStats() {
    return stats;
  }

  public boolean semantic() {
    return vectors != null;
  }

  @Override
  public List<ApiSpec> specs() {
    return specs;
  }

  @Override
  public List<SearchHit> search(SearchQuery query) {
    return search(query, vectors == null ? Mode.LEXICAL : Mode.HYBRID);
  }

  /** Ranks with the given rankers; {@link Mode#SEMANTIC} and {@link Mode#HYBRID} need a semantic index. */
  public List<SearchHit> search(SearchQuery query, Mode mode) {
    return search(query, mode, tuning);
  }

  /** As {@link #search(SearchQuery, Mode)} with other fusion settings (for tuning in the benchmark). */
  public List<SearchHit> search(SearchQuery query, Mode mode, Tuning tuning) {
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(tuning, "tuning");
    if (mode != Mode.LEXICAL && vectors == null) {
      throw new IllegalStateException("This index was built with semantic=false; use Mode.LEXICAL");
    }
    IntPredicate accept = filter(query);
    Map<Integer, Double> fused = new HashMap<>();
    if (mode != Mode.SEMANTIC) {
      // Areas are not a Lucene field: read the whole list and keep the area's operations.
      List<LexicalIndex.Hit> hits = lexical.search(query.text(),
          query.area() == null ? tuning.candidates() : operations.size(), query.api(), query.tag(), query.method());
      if (query.area() != null) {
        hits = hits.stream().filter(h -> accept.test(h.ordinal())).limit(tuning.candidates()).toList();
      }
      addRanks(fused, hits, mode == Mode.LEXICAL ? 1.0 : tuning.lexical(), tuning.rrfK());
    }
    if (mode != Mode.LEXICAL && !query.text().isBlank()) {
      float[] q = embedder.query(query.text());
      addRanks(fused, vectors.search(q, tuning.candidates(), accept), mode == Mode.SEMANTIC ? 1.0 : tuning.semantic(),
          tuning.rrfK());
    }
    if (query.text().isBlank()) {
      // No words: list what the filters allow, in document order (e.g. every operation tagged "issues").
      for (int i = 0; i < operations.size(); i++) {
        if (accept.test(i)) {
          fused.put(i, 0.0);
        }
      }
    }
    adjust(fused, query.text(), mode == Mode.LEXICAL ? tuning.withActions(2 * tuning.actionFit(),
        2 * tuning.actionClash()) : tuning);
    List<Map.Entry<Integer, Double>> ranked = new ArrayList<>(fused.entrySet());
    ranked.sort((a, b) -> {
      int c = Double.compare(b.getValue(), a.getValue());
      return c != 0 ? c : Integer.compare(a.getKey(), b.getKey());
    });
    if (tuning.lookupRank() > 0 && !query.text().isBlank()) {
      promoteLookups(query.text(), ranked, mode, tuning);
    }
    Set<Integer> order = new LinkedHashSet<>();
    for (int i : exact.match(query.text())) {
      if (accept.test(i)) {
        order.add(i);
      }
    }
    Set<Integer> exactHits = Set.copyOf(order);
    double top = ranked.isEmpty() ? 0 : ranked.get(0).getValue();
    Map<Integer, Double> scores = new HashMap<>();
    for (Map.Entry<Integer, Double> e : ranked) {
      order.add(e.getKey());
      scores.put(e.getKey(), e.getValue());
    }
    List<Integer> rankOf = new ArrayList<>(order);
    List<SearchHit> out = new ArrayList<>();
    Set<Integer> shown = new java.util.HashSet<>();
    for (int i : rankOf) {
      if (out.size() >= query.limit()) {
        break;
      }
      if (shown.contains(i)) {
        continue;
      }
      int head = i;
      List<Operation> variants = List.of();
      if (tuning.families()) {
        int[] family = families.of(i);
        if (family.length > 1) {
          head = familyHead(i, family, rankOf, accept);
          variants = variants(head, family, rankOf, accept);
          for (int m : family) {
            shown.add(m);
          }
        }
      }
      shown.add(head);
      double score = exactHits.contains(head) ? top + 1.0 : scores.getOrDefault(head, 0.0);
      out.add(new SearchHit(operations.get(head), score, variants));
    }
    return out;
  }

  /** Action fit and deprecation as score factors on the fused ranking (see {@link Tuning}). */
  private void adjust(Map<Integer, Double> fused, String text, Tuning tuning) {
    Actions.Action wanted = tuning.actionFit() == 0 && tuning.actionClash() == 0 ? null : Actions.ofQuery(text);
    if (wanted == null && tuning.deprecated() == 1.0) {
      return;
    }
    for (Map.Entry<Integer, Double> e : fused.entrySet()) {
      int i = e.getKey();
      double f = 1.0;
      int fit = Actions.fit(wanted, action[i]);
      f *= fit > 0 ? 1 + tuning.actionFit() : fit < 0 ? 1 - tuning.actionClash() : 1.0;
      if (operations.get(i).deprecated()) {
        f *= tuning.deprecated();
      }
      e.setValue(e.getValue() * f);
    }
  }

  /** The member shown for a family: the best-ranked one that is not deprecated, else {@code first}. */
  private int familyHead(int first, int[] family, List<Integer> rankOf, IntPredicate accept) {
    if (!operations.get(first).deprecated()) {
      return first;
    }
    for (int i : rankOf) {
      if (!operations.get(i).deprecated() && contains(family, i) && accept.test(i)) {
        return i;
      }
    }
    for (int i : family) {
      if (!operations.get(i).deprecated() && accept.test(i)) {
        return i;
      }
    }
    return first;
  }

  /** The family's other members the filters allow: ranked ones in rank order, then the rest in document order. */
  private List<Operation> variants(int head, int[] family, List<Integer> rankOf, IntPredicate accept) {
    Set<Integer> picked = new LinkedHashSet<>();
    for (int i : rankOf) {
      if (i != head && contains(family, i)) {
        picked.add(i);
      }
    }
    for (int i : family) {
      if (i != head && accept.test(i)) {
        picked.add(i);
      }
    }
    return picked.stream().limit(MAX_VARIANTS).map(operations::get).toList();
  }

  private static boolean contains(int[] family, int i) {
    for (int m : family) {
      if (m == i) {
        return true;
      }
    }
    return false;
  }

  /**
   * A query that names something the API's text never mentions ("movies directed by Sofia Coppola", "a poster of
   * 2 Broke Girls") needs an operation that finds that thing by name before anything can be done with it. The lookup
   * operations that best fit both the name and the whole query are moved up to {@code tuning.lookupRank()} (with the
   * lexical ranker alone: the best-ranked lookups). General, not per query: RestBench TMDB hit@5 0.81 -> 0.91 at the
   * same fusion settings (spec-index README).
   */
  private void promoteLookups(String text, List<Map.Entry<Integer, Double>> ranked, Mode mode, Tuning tuning) {
    List<String> names = Mentions.of(text, lexical::knows);
    if (names.isEmpty()) {
      return;
    }
    Set<Integer> chosen = new LinkedHashSet<>();
    if (mode == Mode.LEXICAL) {
      for (Map.Entry<Integer, Double> e : ranked) {
        if (chosen.size() < tuning.lookups() && lookup[e.getKey()]) {
          chosen.add(e.getKey());
        }
      }
    } else {
      List<Integer> near = new ArrayList<>();
      for (int r = 0; r < Math.min(LOOKUP_DEPTH, ranked.size()); r++) {
        int i = ranked.get(r).getKey();
        if (lookup[i]) { // ranked holds only operations the filters allow
          near.add(i);
        }
      }
      float[] q = embedder.query(text);
      List<List<Integer>> perName = new ArrayList<>();
      // With no more lookups near than are promoted, all of them move up: the name's own embedding is not needed.
      for (String name : near.size() <= tuning.lookups() ? List.of("") : names) {
        float[] v = name.isEmpty() ? null : embedder.name(name);
        Map<Integer, Double> score = new HashMap<>();
        for (int i : near) {
          score.put(i, (v == null ? 0 : vectors.dot(i, v)) + vectors.dot(i, q));
        }
        List<Integer> candidates = new ArrayList<>(near);
        candidates.sort((x, y) -> Double.compare(score.get(y), score.get(x)));
        perName.add(candidates);
      }
      for (int c = 0; chosen.size() < tuning.lookups() && c < tuning.lookups(); c++) {
        for (List<Integer> candidates : perName) {
          if (c < candidates.size() && chosen.size() < tuning.lookups()) {
            chosen.add(candidates.get(c));
          }
        }
      }
    }
    int at = tuning.lookupRank() - 1;
    for (int op : chosen) {
      int current = -1;
      for (int r = 0; r < ranked.size(); r++) {
        if (ranked.get(r).getKey() == op) {
          current = r;
          break;
        }
      }
      if (current >= 0 && current <= at) {
        continue;
      }
      Map.Entry<Integer, Double> entry = current >= 0 ? ranked.remove(current) : Map.entry(op, 0.0);
      ranked.add(Math.min(at, ranked.size()), entry);
      at++;
    }
  }

  /**
   * How far the best operation the filters allow stands out for this query: its cosine similarity minus the mean
   * cosine over all allowed operations ({@code NaN} without the model or for a blank query). The raw best cosine
   * separates answerable from unanswerable queries poorly (bge-small cosines are compressed into 0.4-0.9 and some
   * queries are close to everything); the margin over the query's own background does much better (see the
   * benchmark's weak-match calibration).
   */
  public double matchStrength(SearchQuery query) {
    if (vectors == null || query.text().isBlank()) {
      return Double.NaN;
    }
    float[] q = embedder.query(query.text());
    IntPredicate accept = filter(query);
    double top = Double.NEGATIVE_INFINITY;
    double sum = 0;
    int n = 0;
    for (int i = 0; i < operations.size(); i++) {
      if (accept.test(i)) {
        double d = vectors.dot(i, q);
        top = Math.max(top, d);
        sum += d;
        n++;
      }
    }
    if (n == 0) {
      return Double.NaN;
    }
    double mean = sum / n;
    return top - mean;
  }

  @Override
  public boolean weak(SearchQuery query) {
    if (query.text().isBlank() || !exact.match(query.text()).isEmpty()) {
      return false;
    }
    double strength = matchStrength(query);
    return !Double.isNaN(strength) && strength < WEAK_BELOW;
  }

  private static void addRanks(Map<Integer, Double> fused, List<LexicalIndex.Hit> hits, double weight, double k) {
    for (int rank = 0; rank < hits.size(); rank++) {
      fused.merge(hits.get(rank).ordinal(), weight / (k + rank + 1), Double::sum);
    }
  }

  private IntPredicate filter(SearchQuery q) {
    String method = q.method() == null ? null : q.method().toUpperCase(Locale.ROOT);
    String tag = q.tag();
    String api = q.api();
    String area = q.area();
    if (method == null && tag == null && api == null && area == null) {
      return i -> true;
    }
    return i -> {
      Operation op = operations.get(i);
      return (api == null || api.equals(op.api())) && (method == null || method.equals(op.method()))
          && (tag == null || op.tags().stream().anyMatch(t -> t.equalsIgnoreCase(tag)))
          && (area == null || dev.codemode.spec.Area.contains(area, op));
    };
  }

  @Override
  public void close() {
    lexical.close();
  }
}
