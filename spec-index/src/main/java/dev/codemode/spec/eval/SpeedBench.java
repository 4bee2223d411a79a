package dev.codemode.spec.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.codemode.spec.ApiSpec;
import dev.codemode.spec.SearchIndex;
import dev.codemode.spec.SearchQuery;
import dev.codemode.spec.SpecException;
import dev.codemode.spec.SpecLoader;
import dev.codemode.spec.internal.HybridIndex;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Measures, per spec: parse time, retained heap of the parsed spec and of its index, index build time lexical-only,
 * cold (embedding every operation) and from the on-disk cache, and query latency p50/p99 with and without the model.
 * Single-threaded; run it alone on the machine for meaningful numbers.
 */
final class SpeedBench {
  private static final int WARMUP = 50;

  private final PrintStream out;
  private final List<String> queries;

  SpeedBench(PrintStream out, List<String> queries) {
    this.out = out;
    this.queries = queries;
  }

  static void header(PrintStream out) {
    out.printf(Locale.ROOT, "%-28s %6s %8s %8s %8s %9s %9s %8s %8s %8s %8s%n", "spec", "ops", "parse ms", "heap MB",
        "lex ms", "cold ms", "cached ms", "idx MB", "lex p50", "lex p99", "hyb p50/p99 (ms)");
  }

  void run(Path specFile, ArrayNode json) throws SpecException, IOException {
    long heap0 = usedHeap();
    long t0 = System.nanoTime();
    ApiSpec spec = SpecLoader.load("bench", specFile.toString());
    long parseMs = (System.nanoTime() - t0) / 1_000_000;
    long heap1 = usedHeap();
    Path cache = Files.createTempDirectory("codemode-bench-cache");
    HybridIndex lexical = HybridIndex.build(List.of(spec), new SearchIndex.Options(false, null));
    long lexMs = lexical.buildStats().lexicalMillis();
    long t1 = System.nanoTime();
    HybridIndex cold = HybridIndex.build(List.of(spec), new SearchIndex.Options(true, cache));
    long coldMs = (System.nanoTime() - t1) / 1_000_000;
    cold.close();
    long t2 = System.nanoTime();
    HybridIndex cached = HybridIndex.build(List.of(spec), new SearchIndex.Options(true, cache));
    long cachedMs = (System.nanoTime() - t2) / 1_000_000;
    long heap2 = usedHeap();
    double[] lex = latencies(lexical);
    double[] hyb = latencies(cached);
    out.printf(Locale.ROOT, "%-28s %6d %8d %8.1f %8d %9d %9d %8.1f %8.2f %8.2f %8.2f/%.2f%n",
        specFile.getFileName(), spec.operations().size(), parseMs, mb(heap1 - heap0), lexMs, coldMs, cachedMs,
        mb(heap2 - heap1), lex[0], lex[1], hyb[0], hyb[1]);
    json.addObject().put("spec", specFile.getFileName().toString()).put("operations", spec.operations().size())
        .put("parseMs", parseMs).put("specHeapMB", mb(heap1 - heap0)).put("lexicalBuildMs", lexMs)
        .put("coldBuildMs", coldMs).put("cachedBuildMs", cachedMs).put("indexHeapMB", mb(heap2 - heap1))
        .put("lexicalP50Ms", lex[0]).put("lexicalP99Ms", lex[1]).put("hybridP50Ms", hyb[0])
        .put("hybridP99Ms", hyb[1]);
    lexical.close();
    cached.close();
    deleteTree(cache);
  }

  private double[] latencies(HybridIndex index) {
    for (int i = 0; i < WARMUP; i++) {
      index.search(SearchQuery.of(queries.get(i % queries.size()), 10));
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
