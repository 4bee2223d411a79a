package dev.codemode.spec.internal;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.codemode.spec.ApiSpec;
import dev.codemode.spec.SpecLoader;
import dev.langchain4j.data.segment.TextSegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One ONNX Runtime session setting per JVM: RSS after loading the model, after a batch of passages (64 per call, as
 * {@link Embedder} does) and after 40 queries, with the batch time and query p50. Not a test: run one JVM per variant,
 * interleaved, e.g. {@code BgeMemProbe github.json 512 arena=false pattern=false level=ALL_OPT}.
 */
final class BgeMemProbe {
  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[1]);
    if (args[0].endsWith(".txt")) { // passages then queries, one a line: keeps the spec out of this JVM's heap
      List<String> lines = Files.readAllLines(Path.of(args[0]));
      run(lines.subList(0, n), lines.subList(n, n + 40), args);
      return;
    }
    ApiSpec spec = SpecLoader.load("x", args[0]);
    if (args.length > 2 && args[2].startsWith("dump=")) {
      List<String> lines = new ArrayList<>();
      spec.operations().stream().map(o -> DocText.passage(o).replace('\n', ' ')).limit(n).forEach(lines::add);
      spec.operations().stream().map(o -> o.summary() == null ? o.operationId() : o.summary()).skip(n).limit(40)
          .forEach(lines::add);
      Files.write(Path.of(args[2].substring(5)), lines);
      return;
    }
    run(spec.operations().stream().map(DocText::passage).limit(n).toList(),
        spec.operations().stream().map(o -> o.summary() == null ? o.operationId() : o.summary()).skip(n).limit(40)
            .toList(), args);
  }

  private static void run(List<String> passages, List<String> queries, String[] args) throws Exception {
    boolean arena = true;
    boolean pattern = true;
    OptLevel level = OptLevel.ALL_OPT;
    boolean prepack = true;
    boolean trim = false;
    for (int i = 2; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      switch (kv[0]) {
        case "arena" -> arena = Boolean.parseBoolean(kv[1]);
        case "pattern" -> pattern = Boolean.parseBoolean(kv[1]);
        case "level" -> level = OptLevel.valueOf(kv[1]);
        case "prepack" -> prepack = Boolean.parseBoolean(kv[1]);
        case "trim" -> trim = Boolean.parseBoolean(kv[1]);
        default -> throw new IllegalArgumentException(args[i]);
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()));
    System.gc();
    long base = rss();
    long t0 = System.nanoTime();
    BgeModel model = new BgeModel(pool, new BgeModel.Tuning(arena, pattern, level, prepack));
    model.embed("warm up").content();
    double loadMs = (System.nanoTime() - t0) / 1e6;
    long afterLoad = rss();
    long b0 = System.nanoTime();
    for (int from = 0; from < passages.size(); from += 64) {
      List<TextSegment> batch = new ArrayList<>();
      passages.subList(from, Math.min(passages.size(), from + 64)).forEach(t -> batch.add(TextSegment.from(t)));
      model.embedAll(batch).content();
    }
    double batchMs = (System.nanoTime() - b0) / 1e6;
    long afterBatch = rss();
    double[] q = new double[queries.size()];
    for (int i = 0; i < q.length; i++) {
      long s = System.nanoTime();
      model.embed(Embedder.QUERY_PREFIX + queries.get(i)).content();
      q[i] = (System.nanoTime() - s) / 1e6;
    }
    Arrays.sort(q);
    System.gc();
    long afterQueries = rss();
    if (trim) {
      java.lang.management.ManagementFactory.getPlatformMBeanServer().invoke(
          new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "systemTrimNativeHeap",
          new Object[] {null}, new String[] {String[].class.getName()});
    }
    long trimmed = rss();
    System.out.printf("prepack=%s trimmed=%d ", prepack, trimmed);
    System.out.printf("arena=%s pattern=%s level=%s base=%d load=%d batch=%d queries=%d MiB (model %+d) load %.0f ms,"
        + " batch %d passages %.0f ms, query p50 %.1f ms%n", arena, pattern, level, base, afterLoad, afterBatch,
        afterQueries, afterQueries - base, loadMs, passages.size(), batchMs, q[q.length / 2]);
    pool.shutdownNow();
  }

  private static long rss() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
      }
    }
    return -1;
  }
}
