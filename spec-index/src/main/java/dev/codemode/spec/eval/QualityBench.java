package dev.codemode.spec.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codemode.spec.SearchHit;
import dev.codemode.spec.SearchQuery;
import dev.codemode.spec.internal.HybridIndex;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Measures retrieval quality of one index on one task set, per ranking mode. Stateless apart from its output. */
final class QualityBench {
  private final PrintStream out;

  QualityBench(PrintStream out) {
    this.out = out;
  }

  static String key(SearchHit hit) {
    return hit.operation().method() + " " + hit.operation().path();
  }

  Metrics measure(HybridIndex index, EvalSet set, HybridIndex.Mode mode, HybridIndex.Tuning tuning) {
    Metrics m = new Metrics();
    for (EvalSet.Task task : set.tasks()) {
      SearchQuery q = new SearchQuery(task.query(), 10, task.api(), null, null);
      List<String> ranked = index.search(q, mode, tuning).stream().map(QualityBench::key).toList();
      Set<String> gold = new HashSet<>(task.gold());
      m.add(ranked, gold);
      if (Boolean.getBoolean("bench.misses") && mode == HybridIndex.Mode.HYBRID
          && ranked.stream().limit(5).noneMatch(gold::contains)) {
        out.println("  miss@5 [" + set.name() + "] " + task.query() + "\n     gold " + task.gold() + "\n     got  "
            + ranked.subList(0, Math.min(5, ranked.size())));
      }
    }
    return m;
  }

  /** Prints one table row per mode and records it under {@code json.<set>.<mode>}. */
  void report(HybridIndex index, EvalSet set, ObjectNode json) {
    checkGold(index, set);
    ObjectNode setNode = json.putObject(set.name());
    for (HybridIndex.Mode mode : HybridIndex.Mode.values()) {
      if (mode != HybridIndex.Mode.LEXICAL && !index.semantic()) {
        continue;
      }
      Metrics m = measure(index, set, mode, HybridIndex.Tuning.defaults());
      out.printf(Locale.ROOT, "%-10s %-9s %5d %7.3f %7.3f %7.3f %7.3f %9.3f%n", set.name(),
          mode.name().toLowerCase(Locale.ROOT), m.tasks(), m.hit1(), m.hit5(), m.hit10(), m.mrr(), m.recall10());
      setNode.putObject(mode.name().toLowerCase(Locale.ROOT)).put("tasks", m.tasks()).put("hit@1", m.hit1())
          .put("hit@5", m.hit5()).put("hit@10", m.hit10()).put("mrr", m.mrr()).put("recall@10", m.recall10());
    }
  }

  static void header(PrintStream out) {
    out.printf(Locale.ROOT, "%-10s %-9s %5s %7s %7s %7s %7s %9s%n", "set", "ranker", "tasks", "hit@1", "hit@5",
        "hit@10", "MRR", "recall@10");
  }

  /** Warns about gold operations the specs do not contain, which would silently cap the scores. */
  private void checkGold(HybridIndex index, EvalSet set) {
    Set<String> known = new HashSet<>();
    index.specs().forEach(s -> s.operations().forEach(op -> known.add(op.method() + " " + op.path())));
    for (EvalSet.Task t : set.tasks()) {
      for (String g : t.gold()) {
        if (!known.contains(g)) {
          out.println("  note: " + set.name() + " gold '" + g + "' is not an operation of the spec");
        }
      }
    }
  }
}
