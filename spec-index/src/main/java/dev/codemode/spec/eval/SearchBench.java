package dev.codemode.spec.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codemode.spec.SearchIndex;
import dev.codemode.spec.SpecLoader;
import dev.codemode.spec.internal.HybridIndex;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The search benchmark: quality (hit@k, MRR, recall@10 for lexical, semantic and hybrid ranking) on RestBench TMDB and
 * Spotify and on the held-out set in {@code eval/heldout.json}; then speed per spec in {@code <shared>/specs}. Prints
 * tables and writes {@code target/search-bench.json}.
 *
 * <pre>
 * java -cp ... dev.codemode.spec.eval.SearchBench /work/shared [--quality-only | --speed-only] [--restbench-only] [--sweep] [--cold-sample N] [--out file.json]
 * </pre>
 */
public final class SearchBench {
  private SearchBench() {}

  public static void main(String[] args) throws Exception {
    Path shared = Path.of(args.length > 0 && !args[0].startsWith("--") ? args[0] : "../shared");
    List<String> flags = List.of(args);
    Path out = flags.contains("--out") ? Path.of(flags.get(flags.indexOf("--out") + 1))
        : (Files.isDirectory(Path.of("spec-index")) ? Path.of("spec-index/target/search-bench.json")
            : Path.of("target/search-bench.json"));
    Path cache = Path.of(System.getProperty("user.home"), ".cache", "codemode");
    PrintStream console = System.out;
    ObjectNode json = new ObjectMapper().createObjectNode();

    Path rb = shared.resolve("search-eval/restbench");
    SearchIndex.Options options = SearchIndex.Options.defaults().withCacheDir(cache);
    List<EvalSet> sets = new ArrayList<>();
    List<HybridIndex> indexes = new ArrayList<>();
    boolean quality = !flags.contains("--speed-only");
    sets.add(EvalSet.read("tmdb", rb.resolve("tmdb.json"), "tmdb"));
    sets.add(EvalSet.read("spotify", rb.resolve("spotify.json"), "spotify"));
    if (quality) {
      indexes.add(HybridIndex.build(List.of(SpecLoader.load("tmdb", rb.resolve("tmdb_oas.json").toString())),
          options));
      indexes.add(HybridIndex.build(List.of(SpecLoader.load("spotify", rb.resolve("spotify_oas.json").toString())),
          options));
    }
    if (!flags.contains("--restbench-only")) {
      sets.add(EvalSet.resource("heldout", "/eval/heldout.json"));
      sets.add(EvalSet.resource("bigdev", "/eval/bigdev.json"));
    }
    if (quality && !flags.contains("--restbench-only")) {
      HybridIndex big = HybridIndex.build(List.of(
          SpecLoader.load("github", shared.resolve("specs/github-rest-3.0.json").toString()),
          SpecLoader.load("stripe", shared.resolve("specs/stripe-3.0.json").toString()),
          SpecLoader.load("cloudflare", shared.resolve("specs/cloudflare-3.0.json").toString())), options);
      indexes.add(big); // heldout
      indexes.add(big); // bigdev
    }
    if (quality) {
      QualityBench bench = new QualityBench(console);
      console.println();
      console.println("Search quality (a hit = any gold operation in the top k)");
      QualityBench.header(console);
      ObjectNode q = json.putObject("quality");
      for (int i = 0; i < sets.size(); i++) {
        bench.report(indexes.get(i), sets.get(i), q);
      }
      if (indexes.get(0).semantic()) {
        new WeakCalibration(console).run(indexes, sets);
      }
      if (flags.contains("--sweep")) {
        new Sweep(console, bench).run(indexes, sets);
      }
    }
    indexes.forEach(HybridIndex::close);
    if (!flags.contains("--quality-only")) {
      List<String> queries = new ArrayList<>();
      sets.forEach(set -> set.tasks().forEach(t -> queries.add(t.query())));
      int sample = flags.contains("--cold-sample") ? Integer.parseInt(flags.get(flags.indexOf("--cold-sample") + 1))
          : 0;
      SpeedBench speed = new SpeedBench(console, queries.subList(0, Math.min(queries.size(), 100)), cache, sample);
      double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      console.println();
      console.printf(Locale.ROOT, "Machine: %d cores, load average %.1f when the speed run started%n",
          Runtime.getRuntime().availableProcessors(), load);
      json.put("cores", Runtime.getRuntime().availableProcessors()).put("loadAverage", load);
      console.println("Speed (heap = retained after GC; latency in ms over " + Math.min(queries.size(), 100)
          + " queries, top 10" + (sample > 0 ? "; * = cold build estimated from " + sample + " operations" : "")
          + ")");
      SpeedBench.header(console);
      ArrayNode s = json.putArray("speed");
      List<Path> specs;
      try (Stream<Path> files = Files.list(shared.resolve("specs"))) {
        specs = files.sorted().toList();
      }
      for (Path spec : specs) {
        speed.run(spec, s);
      }
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(out.toFile(), json);
    console.printf(Locale.ROOT, "%nResults written to %s%n", out.toAbsolutePath());
  }
}
