package dev.codemode.spec.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.codemode.spec.ApiSpec;
import dev.codemode.spec.SearchIndex;
import dev.codemode.spec.SearchQuery;
import dev.codemode.spec.SpecException;
import dev.codemode.spec.SpecLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Measures, per spec: parse time, retained heap of the parsed spec and of its indexes, lexical build time, cold build
 * time (embedding every operation; with {@code --cold-sample N} estimated from N operations, for busy machines),
 * build time from the on-disk cache, and query latency p50/p99 with and without the model. In sample mode, specs whose
 * embeddings are not cached yet get no cached-build and hybrid-latency figures (-1) rather than a long embedding run. Single-threaded; run it
 * alone on the machine for meaningful numbers.
 */
final class SpeedBench {
  private static final int WARMUP = 30;
  private static final int LEXICAL_WARMUP_PASSES = 20;

  private final PrintStream out;
  private final List<String> queries;
  private final Path cacheDir;
  private final int coldSample;

  /** {@code coldSample} 0 means a full cold build. */
  SpeedBench(PrintStream out, List<String> queries, Path cacheDir, int coldSample) {
    this.out = out;
    this.queries = queries;
    this.cacheDir = cacheDir;
    this.coldSample = coldSample;
  }

  static void header(PrintStream out) {
    out.printf(Locale.ROOT, "%-28s %5s %8s %7s %6s %9s %9s %7s %7s %7s %15s%n", "spec", "ops", "parse ms", "heap MB",
        "lex ms", "cold ms", "cached ms", "idx MB", "lex p50", "lex p99", "hybrid p50/p99");
  }

  void run(Path specFile, ArrayNode json) throws SpecException, IOException {
    String name = specFile.getFileName().toString().replaceAll("-.*", "");
    long heap0 = usedHeap();
    long t0 = System.nanoTime();
    ApiSpec spec = SpecLoader.load(name, specFile.toString());
    long parseMs = (System.nanoTime() - t0) / 1_000_000;
    long heap1 = usedHeap();
    HybridIndex lexical = HybridIndex.build(List.of(spec), new SearchIndex.Options(false, null));
    long lexMs = lexical.buildStats().lexicalMillis();
    int ops = spec.operations().size();
    long coldMs;
    double coldCpuSeconds = -1;
    boolean estimated = coldSample > 0 && ops > coldSample;
    if (estimated) {
      coldMs = lexMs + Math.round(HybridIndex.embeddingSecondsPerOperation(spec, coldSample) * 1000 * ops);
    } else {
      Path fresh = Files.createTempDirectory("codemode-bench-cache");
      long t1 = System.nanoTime();
      long cpu1 = processCpuNanos();
      HybridIndex.build(List.of(spec), new SearchIndex.Options(true, fresh)).close();
      coldMs = (System.nanoTime() - t1) / 1_000_000;
      coldCpuSeconds = (processCpuNanos() - cpu1) / 1e9;
      out.printf(Locale.ROOT, "  %s: cold build %d ms wall, %.1f CPU s (all threads; model load included if first),"
          + " load average %.1f%n", name, coldMs, coldCpuSeconds,
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      deleteTree(fresh);
    }
    long cachedMs = -1;
    HybridIndex cached = null;
    if (!estimated || HybridIndex.isCached(spec, cacheDir)) {
      HybridIndex.build(List.of(spec), new SearchIndex.Options(true, cacheDir)).close(); // fills the cache if needed
      long t2 = System.nanoTime();
      cached = HybridIndex.build(List.of(spec), new SearchIndex.Options(true, cacheDir));
      cachedMs = (System.nanoTime() - t2) / 1_000_000;
    }
    long heap2 = usedHeap();
    double[] lex = latencies(lexical);
    double[] hyb = {-1, -1};
    if (cached != null) {
      cached.clearQueryCache();
      hyb = latencies(cached);
    }
    out.printf(Locale.ROOT, "%-28s %5d %8d %7.1f %6d %8d%s %9d %7.1f %7.2f %7.2f %7.1f/%.1f%n",
        specFile.getFileName(), ops, parseMs, mb(heap1 - heap0), lexMs, coldMs, estimated ? "*" : " ", cachedMs,
        mb(heap2 - heap1), lex[0], lex[1], hyb[0], hyb[1]);
    json.addObject().put("spec", specFile.getFileName().toString()).put("operations", ops)
        .put("parseMs", parseMs).put("specHeapMB", mb(heap1 - heap0)).put("lexicalBuildMs", lexMs)
        .put("coldBuildMs", coldMs).put("coldBuildCpuSeconds", coldCpuSeconds).put("coldEstimatedFromSample", estimated ? coldSample : 0)
        .put("cachedBuildMs", cachedMs).put("indexHeapMB", mb(heap2 - heap1))
        .put("lexicalP50Ms", lex[0]).put("lexicalP99Ms", lex[1]).put("hybridP50Ms", hyb[0])
        .put("hybridP99Ms", hyb[1]);
    lexical.close();
    if (cached != null) {
      cached.close();
    }
  }

  private double[] latencies(HybridIndex index) {
    // The lexical path and result building warm up on the measured queries themselves (JIT); the model on other text,
    // and the query cache is emptied after, so every measured query is embedded for real.
    for (int pass = 0; pass < LEXICAL_WARMUP_PASSES; pass++) {
      for (String q : queries) {
        index.search(SearchQuery.of(q, 10), HybridIndex.Mode.LEXICAL);
      }
    }
    if (index.semantic()) {
      for (int i = 0; i < WARMUP; i++) {
        index.search(SearchQuery.of("warm up " + queries.get(i % queries.size()), 10));
      }
      index.clearQueryCache();
    }
    double[] ms = new double[queries.size()];
    for (int i = 0; i < queries.size(); i++) {
      long t = System.nanoTime();
      index.search(SearchQuery.of(queries.get(i), 10));
      ms[i] = (System.nanoTime() - t) / 1e6;
    }
    Arrays.sort(ms);
    return new double[] {ms[ms.length / 2], ms[Math.min(ms.length - 1, (int) Math.ceil(ms.length * 0.99) - 1)]};
  }

  /** CPU time of the whole process (every thread, ONNX Runtime's included). */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  static long usedHeap() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static double mb(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      for (Path p : files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
