package dev.codemode.spec.internal;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** Grid over fusion settings, printing mean hit@5/hit@10/MRR per set, to choose general defaults. */
final class Sweep {
  private final PrintStream out;
  private final QualityBench quality;

  Sweep(PrintStream out, QualityBench quality) {
    this.out = out;
    this.quality = quality;
  }

  void run(List<HybridIndex> indexes, List<EvalSet> sets) {
    out.println();
    out.println("Fusion sweep (hit@5 / hit@10 / MRR per set)");
    for (double k : new double[] {5, 20, 60}) {
      for (double lex : new double[] {0.1, 0.25, 0.4, 0.6, 1.0}) {
        HybridIndex.Tuning t = HybridIndex.Tuning.defaults().withFusion(k, lex);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "k=%-4.0f lex=%.1f ", k, lex));
        for (int i = 0; i < sets.size(); i++) {
          Metrics m = quality.measure(indexes.get(i), sets.get(i), HybridIndex.Mode.HYBRID, t);
          line.append(String.format(Locale.ROOT, " %s %.3f/%.3f/%.3f", sets.get(i).name(), m.hit5(), m.hit10(),
              m.mrr()));
        }
        out.println(line);
      }
    }
  }
}
