package dev.codemode.spec.internal;

import dev.codemode.spec.SearchQuery;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Calibrates the "weak match" threshold: the best cosine of each task against its own API (should not be weak) and
 * against another API that cannot do it (should be), and the error rates of a range of thresholds.
 */
final class WeakCalibration {
  /** Which API's index answers a task it was not written for. */
  private static final Map<String, String> OTHER = Map.of("github", "stripe", "stripe", "cloudflare", "cloudflare",
      "github");

  private final PrintStream out;

  WeakCalibration(PrintStream out) {
    this.out = out;
  }

  void run(List<HybridIndex> indexes, List<EvalSet> sets) {
    List<Double> own = new ArrayList<>();
    List<Double> other = new ArrayList<>();
    for (int i = 0; i < sets.size(); i++) {
      EvalSet set = sets.get(i);
      for (EvalSet.Task t : set.tasks()) {
        own.add(indexes.get(i).matchStrength(new SearchQuery(t.query(), 1, t.api(), null, null)));
        if (t.api() != null && OTHER.containsKey(t.api())) {
          other.add(indexes.get(i).matchStrength(new SearchQuery(t.query(), 1, OTHER.get(t.api()), null, null)));
        } else if (sets.size() > 1 && (set.name().equals("tmdb") || set.name().equals("spotify"))) {
          // TMDB tasks against Spotify and back
          int j = set.name().equals("tmdb") ? indexOf(sets, "spotify") : indexOf(sets, "tmdb");
          if (j >= 0) {
            other.add(indexes.get(j).matchStrength(new SearchQuery(t.query(), 1, null, null, null)));
          }
        }
      }
    }
    double[] a = own.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double[] b = other.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    out.println();
    out.printf(Locale.ROOT, "Weak-match calibration: match strength (best cosine - mean cosine) of %d tasks on"
        + " their own API (p5 %.3f, p25 %.3f, p50 %.3f) and %d on another API (p50 %.3f, p75 %.3f, p95 %.3f)%n",
        a.length, q(a, 0.05), q(a, 0.25), q(a, 0.5), b.length, q(b, 0.5), q(b, 0.75), q(b, 0.95));
    for (double th = 0.05; th <= 0.1301; th += 0.01) {
      double t = th;
      long falseWeak = Arrays.stream(a).filter(x -> x < t).count();
      long missed = Arrays.stream(b).filter(x -> x >= t).count();
      out.printf(Locale.ROOT, "  weak below %.3f: %5.1f%% of answerable tasks flagged, %5.1f%% of unanswerable not"
          + " flagged%s%n", t, 100.0 * falseWeak / a.length, 100.0 * missed / b.length,
          Math.abs(t - HybridIndex.WEAK_BELOW) < 1e-9 ? "   <- default" : "");
    }
  }

  private static int indexOf(List<EvalSet> sets, String name) {
    for (int i = 0; i < sets.size(); i++) {
      if (sets.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private static double q(double[] sorted, double p) {
    return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))];
  }
}
