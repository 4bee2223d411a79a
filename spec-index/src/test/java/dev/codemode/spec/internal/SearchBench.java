package dev.codemode.spec.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codemode.spec.SearchIndex;
import dev.codemode.spec.SharedFiles;
import dev.codemode.spec.SpecLoader;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The search benchmark (test sources, so the index stays package-private): quality (hit@1/5/10, MRR, recall@10 for
 * the lexical, semantic and final ranking) per task set, split into the sets the settings were chosen on ("tuned") and
 * the sets only reported ("held-out", see {@link #HELD_OUT}); then speed per spec in {@code <data>/specs}. Prints
 * tables and writes {@code target/search-bench.json}. {@code <data>} is the repository's {@code test-data/} unless
 * another folder of the same layout is given first.
 *
 * <pre>
 * ./mvnw -q -pl spec-index test-compile exec:java -Dexec.args="[DATA_DIR] [--quality-only | --speed-only] [--lexical]
 *     [--no-big] [--tuned-only] [--sweep] [--cold-sample N] [--out file.json]"
 * </pre>
 */
public final class SearchBench {
  /** Written down before tuning: these sets are never used to choose a setting. */
  static final Set<String> HELD_OUT = Set.of("digitalocean", "box", "heldout");

  private SearchBench() {}

  public static void main(String[] args) throws Exception {
    // A folder given first (laid out as test-data/), else the repository's test-data/ (from the root or the module).
    Path data = args.length > 0 && !args[0].startsWith("--") ? Path.of(args[0])
        : Files.isDirectory(Path.of("test-data", "specs")) ? Path.of("test-data") : SharedFiles.dir();
    List<String> flags = List.of(args);
    Path out = flags.contains("--out") ? Path.of(flags.get(flags.indexOf("--out") + 1))
        : (Files.isDirectory(Path.of("spec-index")) ? Path.of("spec-index/target/search-bench.json")
            : Path.of("target/search-bench.json"));
    Path cache = Path.of(System.getProperty("user.home"), ".cache", "codemode");
    PrintStream console = System.out;
    ObjectNode json = new ObjectMapper().createObjectNode();

    Path rb = data.resolve("search-eval/restbench");
    Path big = data.resolve("search-eval/bigapis");
    SearchIndex.Options options = SearchIndex.Options.defaults().withCacheDir(cache)
        .withSemantic(!flags.contains("--lexical"));
    boolean quality = !flags.contains("--speed-only");
    // While choosing settings: the held-out sets are not even run, so nobody looks at them by accident.
    boolean tunedOnly = flags.contains("--tuned-only");
    DocText.withParameters = flags.contains("--passage-fields");
    List<EvalSet> sets = new ArrayList<>();
    List<HybridIndex> indexes = new ArrayList<>();
    sets.add(EvalSet.read("tmdb", rb.resolve("tmdb.json"), "tmdb"));
    sets.add(EvalSet.read("spotify", rb.resolve("spotify.json"), "spotify"));
    if (quality) {
      indexes.add(one("tmdb", SharedFiles.resolve(rb, "tmdb_oas.json"), options));
      indexes.add(one("spotify", SharedFiles.resolve(rb, "spotify_oas.json"), options));
      for (String api : List.of("slack", "asana", "digitalocean", "box")) {
        if (tunedOnly && HELD_OUT.contains(api)) {
          continue;
        }
        sets.add(EvalSet.jsonl(api, big.resolve(api + "-tasks.jsonl"), api));
        indexes.add(one(api, SharedFiles.resolve(data, "specs/" + api + ".json"), options));
      }
      if (!flags.contains("--no-big")) {
        HybridIndex three = HybridIndex.build(List.of(
            SpecLoader.load("github", SharedFiles.resolve(data, "specs/github-rest-3.0.json").toString()),
            SpecLoader.load("stripe", SharedFiles.resolve(data, "specs/stripe-3.0.json").toString()),
            SpecLoader.load("cloudflare", SharedFiles.resolve(data, "specs/cloudflare-3.0.json").toString())),
            options);
        sets.add(EvalSet.resource("bigdev", "/eval/bigdev.json"));
        indexes.add(three);
        if (!tunedOnly) {
          sets.add(EvalSet.resource("heldout", "/eval/heldout.json"));
          indexes.add(three);
        }
      }
      QualityBench bench = new QualityBench(console);
      console.println();
      console.println("Search quality (a hit = a gold operation in the top k, as a result or a variant listed in one)");
      QualityBench.header(console);
      ObjectNode q = json.putObject("quality");
      Map<String, Map<HybridIndex.Mode, List<Metrics>>> groups = new LinkedHashMap<>();
      for (String group : List.of("tuned", "held-out")) {
        for (int i = 0; i < sets.size(); i++) {
          String g = HELD_OUT.contains(sets.get(i).name()) ? "held-out" : "tuned";
          if (!g.equals(group)) {
            continue;
          }
          Map<HybridIndex.Mode, Metrics> m = bench.report(indexes.get(i), sets.get(i), q, g);
          m.forEach((mode, metrics) -> groups.computeIfAbsent(g, k -> new EnumMap<>(HybridIndex.Mode.class))
              .computeIfAbsent(mode, k -> new ArrayList<>()).add(metrics));
        }
      }
      console.println("Means over the sets of each group (each set weighs the same):");
      groups.forEach((g, byMode) -> byMode.forEach((mode, list) -> {
        double h1 = list.stream().mapToDouble(Metrics::hit1).average().orElse(0);
        double h5 = list.stream().mapToDouble(Metrics::hit5).average().orElse(0);
        double h10 = list.stream().mapToDouble(Metrics::hit10).average().orElse(0);
        double mrr = list.stream().mapToDouble(Metrics::mrr).average().orElse(0);
        double min5 = list.stream().mapToDouble(Metrics::hit5).min().orElse(0);
        console.printf(Locale.ROOT, "%-8s %-13s %-9s %5s %7.3f %7.3f %7.3f %7.3f   (lowest hit@5 %.3f)%n", g, "MEAN",
            QualityBench.name(mode), "", h1, h5, h10, mrr, min5);
        q.with("means").with(g).putObject(QualityBench.name(mode)).put("hit@1", h1).put("hit@5", h5)
            .put("hit@10", h10).put("mrr", mrr).put("minHit@5", min5);
      }));
      if (indexes.get(0).semantic() && !flags.contains("--no-big") && !tunedOnly) {
        new WeakCalibration(console).run(indexes, sets);
      }
      if (flags.contains("--sweep")) {
        new Sweep(console, bench).run(indexes, sets, Sweep.grid());
      }
    }
    indexes.stream().distinct().forEach(HybridIndex::close);
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
      try (Stream<Path> files = Files.list(data.resolve("specs"))) {
        // Microsoft Graph (11,422 operations, when a data folder has it) is a scale test of its own; the repository's
        // test-data keeps the other big specs gzipped, and the loader reads them as they are.
        specs = files.filter(f -> !f.getFileName().toString().startsWith("msgraph")).sorted()
            .filter(f -> !flags.contains("--specs") || flags.get(flags.indexOf("--specs") + 1).contains(
                f.getFileName().toString().replaceAll("[-.].*", ""))).toList();
      }
      for (Path spec : specs) {
        speed.run(spec, s);
      }
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(out.toFile(), json);
    console.printf(Locale.ROOT, "%nResults written to %s%n", out.toAbsolutePath());
  }

  /** The file, else its gzip copy (the repository's test-data keeps big specs compressed; the loader unpacks). */
  private static HybridIndex one(String name, Path spec, SearchIndex.Options options) throws Exception {
    return HybridIndex.build(List.of(SpecLoader.load(name, spec.toString())), options);
  }
}
