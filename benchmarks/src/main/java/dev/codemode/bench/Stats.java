package dev.codemode.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;

/** Percentiles of a sample of durations, in milliseconds. Example: {@code Stats.of(nanos).json()}. */
record Stats(int n, double p50, double p90, double p99, double mean) {
  static Stats of(long[] nanos) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    double mean = Arrays.stream(s).average().orElse(0) / 1e6;
    return new Stats(s.length, pct(s, 50), pct(s, 90), pct(s, 99), mean);
  }

  /** Nearest-rank percentile. */
  private static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
  }

  ObjectNode json() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("n", n);
    o.put("p50ms", round(p50));
    o.put("p90ms", round(p90));
    o.put("p99ms", round(p99));
    o.put("meanMs", round(mean));
    return o;
  }

  static double round(double v) {
    return v >= 100 ? Math.round(v) : Math.round(v * 100) / 100.0;
  }
}
