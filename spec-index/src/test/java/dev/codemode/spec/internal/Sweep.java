package dev.codemode.spec.internal;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Grid over ranking settings: per configuration and ranker, hit@5 per set and the mean hit@5 / hit@10 / MRR of the
 * tuned group (which chooses) and of the held-out group (which is only reported).
 */
final class Sweep {
  private final PrintStream out;
  private final QualityBench quality;

  Sweep(PrintStream out, QualityBench quality) {
    this.out = out;
    this.quality = quality;
  }

  static Map<String, HybridIndex.Tuning> grid() {
    HybridIndex.Tuning d = HybridIndex.Tuning.defaults();
    Map<String, HybridIndex.Tuning> g = new LinkedHashMap<>();
    g.put("defaults", d);
    g.put("lookups off", d.withLookups(0, 0));
    for (double[] a : new double[][] {{0.1, 0.3}, {0.2, 0.5}, {0.0, 0.3}, {0.1, 0.5}, {0.05, 0.2}, {0.3, 0.7}}) {
      g.put("actions " + a[0] + "/" + a[1], d.withActions(a[0], a[1]));
    }
    g.put("rules off", d.withActions(0, 0).withFamilies(false).withDeprecated(1.0));
    g.put("families off", d.withFamilies(false));
    g.put("deprecated off", d.withDeprecated(1.0));
    for (double[] f : new double[][] {{20, 0.1}, {20, 0.05}, {20, 0.3}, {60, 0.2}, {60, 0.3}, {10, 0.2}}) {
      g.put("fusion k" + (int) f[0] + " lex" + f[1], d.withFusion(f[0], f[1]));
    }
    g.put("deprecated .5", d.withDeprecated(0.5));
    g.put("deprecated .8", d.withDeprecated(0.8));
    String only = System.getProperty("bench.grid");
    if (only != null) {
      g.keySet().retainAll(List.of(only.split(",")));
    }
    return g;
  }

  void run(List<HybridIndex> indexes, List<EvalSet> sets, Map<String, HybridIndex.Tuning> grid) {
    out.println();
    out.println("Sweep (hit@5 per set; means of hit@5/hit@10/MRR per group; held-out is reported, never chosen on)");
    for (HybridIndex.Mode mode : List.of(HybridIndex.Mode.HYBRID, HybridIndex.Mode.LEXICAL)) {
      if (mode != HybridIndex.Mode.LEXICAL && !indexes.get(0).semantic()) {
        continue;
      }
      grid.forEach((name, t) -> {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-7s %-16s", QualityBench.name(mode),
            name));
        double[][] sums = new double[2][4];
        for (int i = 0; i < sets.size(); i++) {
          Metrics m = quality.measure(indexes.get(i), sets.get(i), mode, t);
          int g = SearchBench.HELD_OUT.contains(sets.get(i).name()) ? 1 : 0;
          sums[g][0] += m.hit5();
          sums[g][1] += m.hit10();
          sums[g][2] += m.mrr();
          sums[g][3]++;
          line.append(String.format(Locale.ROOT, " %s %.2f", sets.get(i).name(), m.hit5()));
        }
        for (int g = 0; g < 2; g++) {
          double n = Math.max(1, sums[g][3]);
          line.append(String.format(Locale.ROOT, " | %s %.3f/%.3f/%.3f", g == 0 ? "TUNED" : "HELD", sums[g][0] / n,
              sums[g][1] / n, sums[g][2] / n));
        }
        out.println(line);
      });
    }
  }
}
