package dev.codemode.spec.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codemode.spec.Operation;
import dev.codemode.spec.SearchHit;
import dev.codemode.spec.SearchQuery;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Measures retrieval quality of one index on one task set, per ranking mode. Stateless apart from its output. */
final class QualityBench {
  private final PrintStream out;

  QualityBench(PrintStream out) {
    this.out = out;
  }

  static String key(Operation op, boolean byId) {
    return byId ? op.operationId() : op.method() + " " + op.path();
  }

  /** The keys a result shows: its operation and the variants listed with it. */
  static Set<String> keys(SearchHit hit, boolean byId) {
    Set<String> keys = new LinkedHashSet<>();
    keys.add(key(hit.operation(), byId));
    hit.variants().forEach(v -> keys.add(key(v, byId)));
    return keys;
  }

  Metrics measure(HybridIndex index, EvalSet set, HybridIndex.Mode mode, HybridIndex.Tuning tuning) {
    Metrics m = new Metrics();
    for (EvalSet.Task task : set.tasks()) {
      SearchQuery q = new SearchQuery(task.query(), 10, task.api(), null, null);
      List<Set<String>> ranked = index.search(q, mode, tuning).stream().map(h -> keys(h, set.byId())).toList();
      Set<String> gold = new HashSet<>(task.gold());
      m.addGroups(ranked, gold);
      if (Boolean.getBoolean("bench.misses") && mode == HybridIndex.Mode.HYBRID
          && ranked.stream().limit(5).noneMatch(k -> k.stream().anyMatch(gold::contains))) {
        out.println("  miss@5 [" + set.name() + "] " + task.query() + "\n     gold " + task.gold() + "\n     got  "
            + ranked.subList(0, Math.min(5, ranked.size())));
      }
    }
    return m;
  }

  /** Prints one table row per mode and records it under {@code json.<set>.<mode>}; returns the metrics per mode. */
  java.util.Map<HybridIndex.Mode, Metrics> report(HybridIndex index, EvalSet set, ObjectNode json, String group) {
    checkGold(index, set);
    ObjectNode setNode = json.putObject(set.name());
    setNode.put("group", group);
    java.util.Map<HybridIndex.Mode, Metrics> all = new java.util.EnumMap<>(HybridIndex.Mode.class);
    for (HybridIndex.Mode mode : HybridIndex.Mode.values()) {
      if (mode != HybridIndex.Mode.LEXICAL && !index.semantic()) {
        continue;
      }
      Metrics m = measure(index, set, mode, index.tuning());
      all.put(mode, m);
      row(out, group, set.name(), mode, m);
      setNode.putObject(name(mode)).put("tasks", m.tasks()).put("hit@1", m.hit1())
          .put("hit@5", m.hit5()).put("hit@10", m.hit10()).put("mrr", m.mrr()).put("recall@10", m.recall10());
    }
    return all;
  }

  static String name(HybridIndex.Mode mode) {
    return mode == HybridIndex.Mode.HYBRID ? "final" : mode.name().toLowerCase(Locale.ROOT);
  }

  static void row(PrintStream out, String group, String set, HybridIndex.Mode mode, Metrics m) {
    out.printf(Locale.ROOT, "%-8s %-13s %-9s %5d %7.3f %7.3f %7.3f %7.3f %9.3f%n", group, set, name(mode), m.tasks(),
        m.hit1(), m.hit5(), m.hit10(), m.mrr(), m.recall10());
  }

  static void header(PrintStream out) {
    out.printf(Locale.ROOT, "%-8s %-13s %-9s %5s %7s %7s %7s %7s %9s%n", "group", "set", "ranker", "tasks", "hit@1",
        "hit@5", "hit@10", "MRR", "recall@10");
  }

  /** Warns about gold operations the specs do not contain, which would silently cap the scores. */
  private void checkGold(HybridIndex index, EvalSet set) {
    Set<String> known = new HashSet<>();
    index.specs().forEach(s -> s.operations().forEach(op -> known.add(key(op, set.byId()))));
    for (EvalSet.Task t : set.tasks()) {
      for (String g : t.gold()) {
        if (!known.contains(g)) {
          out.println("  note: " + set.name() + " gold '" + g + "' is not an operation of the spec");
        }
      }
    }
  }
}
