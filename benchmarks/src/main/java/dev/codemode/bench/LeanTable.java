package dev.codemode.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The #14 target table: one row per figure, one cell per server jar (a number, or {@code failed: reason}), the issue's
 * "now" and target columns, and the ratio of each jar to the first. Not thread-safe; the benchmark fills it from one
 * thread. Renders to JSON ({@link #json()}) and Markdown ({@link #markdown()}); {@link #fromJson} reads it back.
 *
 * <pre>{@code LeanTable t = new LeanTable(List.of("before", "after"));
 * t.row("trivial", "trivial execute p50, stdio", "ms", "6.4 ms", "<= 4 ms", 4.0, true).put("before", 6.1);}</pre>
 */
final class LeanTable {
  final List<String> jars;
  private final Map<String, Row> rows = new LinkedHashMap<>();

  LeanTable(List<String> jars) {
    this.jars = List.copyOf(jars);
  }

  /**
   * One figure. {@code limit} is the target bound ({@code null}: informational, no target); {@code lowerIsBetter}
   * says which side of it meets the target and how the ratio reads.
   */
  static final class Row {
    final String key;
    final String what;
    final String unit;
    final String now;
    final String target;
    final Double limit;
    final boolean lowerIsBetter;
    final Map<String, Object> cells = new LinkedHashMap<>();

    Row(String key, String what, String unit, String now, String target, Double limit, boolean lowerIsBetter) {
      this.key = key;
      this.what = what;
      this.unit = unit;
      this.now = now;
      this.target = target;
      this.limit = limit;
      this.lowerIsBetter = lowerIsBetter;
    }

    Row put(String jar, double value) {
      cells.put(jar, value);
      return this;
    }

    /** Records why this jar has no figure; the text is cut to one short line. */
    Row fail(String jar, String reason) {
      String r = String.valueOf(reason).replaceAll("\\s+", " ").trim();
      cells.put(jar, "failed: " + (r.length() > 120 ? r.substring(0, 120) + "..." : r));
      return this;
    }

    /** The figure of {@code jar}, or null when it failed or was not measured. */
    Double value(String jar) {
      return cells.get(jar) instanceof Double d ? d : null;
    }

    boolean meets(double v) {
      return limit != null && (lowerIsBetter ? v <= limit : v >= limit);
    }
  }

  /** The row {@code key}, created with these columns on first use. */
  Row row(String key, String what, String unit, String now, String target, Double limit, boolean lowerIsBetter) {
    return rows.computeIfAbsent(key, k -> new Row(key, what, unit, now, target, limit, lowerIsBetter));
  }

  Row get(String key) {
    return rows.get(key);
  }

  List<Row> rows() {
    return new ArrayList<>(rows.values());
  }

  /** {@code value(jar) / value(first jar)}, or null when either is missing or the first is 0. */
  Double ratio(Row r, String jar) {
    Double base = r.value(jars.get(0));
    Double v = r.value(jar);
    return base == null || v == null || base == 0 ? null : v / base;
  }

  /** Median of the values, or NaN for none. Even counts average the two middle values. */
  static double median(double... values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] s = values.clone();
    Arrays.sort(s);
    int m = s.length / 2;
    return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
  }

  static String format(double v, String unit) {
    if (Double.isNaN(v)) {
      return "-";
    }
    return switch (unit) {
      case "MiB", "calls/s", "errors", "count" -> String.format(Locale.ROOT, "%,d", Math.round(v));
      case "s" -> String.format(Locale.ROOT, "%,.1f", v);
      default -> Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%,d", Math.round(v))
          : String.format(Locale.ROOT, "%.2f", v);
    };
  }

  ObjectNode json() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    ArrayNode js = o.putArray("jars");
    jars.forEach(js::add);
    ArrayNode rs = o.putArray("rows");
    for (Row r : rows.values()) {
      ObjectNode n = rs.addObject();
      n.put("key", r.key);
      n.put("what", r.what);
      n.put("unit", r.unit);
      n.put("now", r.now);
      n.put("target", r.target);
      if (r.limit != null) {
        n.put("limit", r.limit);
      }
      n.put("lowerIsBetter", r.lowerIsBetter);
      ObjectNode cells = n.putObject("values");
      ObjectNode ratios = n.putObject("ratios");
      for (String j : jars) {
        Object c = r.cells.get(j);
        if (c instanceof Double d) {
          cells.put(j, Stats.round(d));
          Double ratio = ratio(r, j);
          if (ratio != null && !j.equals(jars.get(0))) {
            ratios.put(j, Math.round(ratio * 1000) / 1000.0);
          }
        } else if (c != null) {
          cells.put(j, c.toString());
        }
      }
    }
    return o;
  }

  static LeanTable fromJson(JsonNode o) {
    List<String> jars = new ArrayList<>();
    o.path("jars").forEach(j -> jars.add(j.asText()));
    LeanTable t = new LeanTable(jars);
    for (JsonNode n : o.path("rows")) {
      Row r = t.row(n.path("key").asText(), n.path("what").asText(), n.path("unit").asText(), n.path("now").asText(),
          n.path("target").asText(), n.has("limit") ? n.get("limit").asDouble() : null,
          n.path("lowerIsBetter").asBoolean(true));
      n.path("values").fields().forEachRemaining(e -> {
        if (e.getValue().isNumber()) {
          r.put(e.getKey(), e.getValue().asDouble());
        } else {
          r.cells.put(e.getKey(), e.getValue().asText());
        }
      });
    }
    return t;
  }

  /**
   * | what | issue "now" | jar1 | jar2 | jar2/jar1 | target |, a figure that meets its target marked ✓. A ratio reads
   * after/before whatever the direction; below 1 is smaller.
   */
  String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("| what | issue: now |");
    jars.forEach(j -> md.append(' ').append(j).append(" |"));
    for (String j : jars.subList(1, jars.size())) {
      md.append(' ').append(j).append('/').append(jars.get(0)).append(" |");
    }
    md.append(" target |\n|---|---:|");
    md.append("---:|".repeat(jars.size() * 2 - 1));
    md.append("---:|\n");
    for (Row r : rows.values()) {
      md.append("| ").append(r.what).append(" (").append(r.unit).append(") | ").append(r.now).append(" |");
      for (String j : jars) {
        Object c = r.cells.get(j);
        String cell = c instanceof Double d ? format(d, r.unit) + (r.meets(d) ? " ✓" : "") : c == null ? "-" : c.toString();
        md.append(' ').append(cell).append(" |");
      }
      for (String j : jars.subList(1, jars.size())) {
        Double ratio = ratio(r, j);
        md.append(' ').append(ratio == null ? "-" : String.format(Locale.ROOT, "%.2f×", ratio)).append(" |");
      }
      md.append(' ').append(r.target).append(" |\n");
    }
    return md.toString();
  }
}
