package dev.codemode.spec.internal;

import java.util.List;
import java.util.Set;

/**
 * Retrieval quality over a set of tasks: hit@1/5/10 (any gold operation in the top k), MRR of the best-ranked gold
 * operation, and recall@10 over all gold operations. Not thread-safe; one per measured configuration.
 */
public final class Metrics {
  private int tasks;
  private double hit1;
  private double hit5;
  private double hit10;
  private double reciprocalRank;
  private double recall10;

  /** Adds one task: {@code ranked} are "METHOD /path" keys in rank order. */
  public void add(List<String> ranked, Set<String> gold) {
    addGroups(ranked.stream().map(Set::of).toList(), gold);
  }

  /**
   * Adds one task: each result in rank order with the keys it shows (the operation and the variants listed with it;
   * a gold variant listed in a result counts as found at that result's rank).
   */
  public void addGroups(List<Set<String>> ranked, Set<String> gold) {
    tasks++;
    int first = -1;
    int found10 = 0;
    for (int i = 0; i < ranked.size(); i++) {
      long found = ranked.get(i).stream().filter(gold::contains).count();
      if (found > 0) {
        if (first < 0) {
          first = i;
        }
        if (i < 10) {
          found10 += (int) found;
        }
      }
    }
    if (first >= 0) {
      hit1 += first < 1 ? 1 : 0;
      hit5 += first < 5 ? 1 : 0;
      hit10 += first < 10 ? 1 : 0;
      reciprocalRank += 1.0 / (first + 1);
    }
    recall10 += gold.isEmpty() ? 0 : found10 / (double) gold.size();
  }

  public int tasks() {
    return tasks;
  }

  public double hit1() {
    return tasks == 0 ? 0 : hit1 / tasks;
  }

  public double hit5() {
    return tasks == 0 ? 0 : hit5 / tasks;
  }

  public double hit10() {
    return tasks == 0 ? 0 : hit10 / tasks;
  }

  public double mrr() {
    return tasks == 0 ? 0 : reciprocalRank / tasks;
  }

  public double recall10() {
    return tasks == 0 ? 0 : recall10 / tasks;
  }
}
