package dev.codemode.spec.internal;

import dev.codemode.spec.Operation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Groups operations that are one idea offered several times: the same method and path below a scope (account, zone,
 * organisation, signed-in user... from {@code scopes.txt}: {@code GET /accounts/{id}/rules} and
 * {@code GET /zones/{id}/rules}), and a deprecated operation with the same method and summary as a current one.
 * Search shows one result per family and lists the others as its variants. Immutable and thread-safe.
 */
final class Families {
  private static final Set<String> SCOPES = Set.copyOf(WordLists.lines("scopes.txt"));
  private static final java.util.regex.Pattern VERSION = java.util.regex.Pattern.compile("v\\d+(\\.\\d+)?|api");

  /** Per operation ordinal: the ordinals of its family (itself included, document order); a singleton if none. */
  private final int[][] members;

  Families(List<Operation> ops) {
    int[] parent = new int[ops.size()];
    for (int i = 0; i < parent.length; i++) {
      parent[i] = i;
    }
    Map<String, Integer> byPath = new HashMap<>();
    Map<String, Integer> bySummary = new HashMap<>();
    for (int i = 0; i < ops.size(); i++) {
      Operation op = ops.get(i);
      String key = key(op);
      if (key != null) {
        Integer first = byPath.putIfAbsent(op.api() + " " + key, i);
        if (first != null) {
          union(parent, first, i);
        }
      }
    }
    // A deprecated copy joins the current operation with the same method and summary.
    for (int i = 0; i < ops.size(); i++) {
      Operation op = ops.get(i);
      if (!op.deprecated() && !op.summary().isBlank()) {
        bySummary.putIfAbsent(summaryKey(op), i);
      }
    }
    for (int i = 0; i < ops.size(); i++) {
      Operation op = ops.get(i);
      Integer current = op.deprecated() && !op.summary().isBlank() ? bySummary.get(summaryKey(op)) : null;
      if (current != null) {
        union(parent, current, i);
      }
    }
    Map<Integer, List<Integer>> groups = new HashMap<>();
    for (int i = 0; i < ops.size(); i++) {
      groups.computeIfAbsent(find(parent, i), k -> new ArrayList<>()).add(i);
    }
    members = new int[ops.size()][];
    for (List<Integer> g : groups.values()) {
      int[] arr = g.stream().mapToInt(Integer::intValue).toArray();
      for (int i : arr) {
        members[i] = arr;
      }
    }
  }

  /** The family of operation {@code i}, itself included. */
  int[] of(int i) {
    return members[i];
  }

  /**
   * {@code METHOD rest} where rest is the path after its leading scope segments (each scope word with the parameters
   * after it, and a version segment), parameters written as {}; null when nothing but scopes is left, or when no scope
   * was stripped (then the operation has no variants by path).
   */
  static String key(Operation op) {
    String[] segs = op.path().split("/");
    int i = 0;
    while (i < segs.length && (segs[i].isEmpty() || VERSION.matcher(segs[i].toLowerCase(Locale.ROOT)).matches())) {
      i++;
    }
    boolean stripped = false;
    while (i < segs.length && SCOPES.contains(segs[i].toLowerCase(Locale.ROOT))) {
      stripped = true;
      i++;
      while (i < segs.length && isParam(segs[i])) {
        i++;
      }
    }
    StringBuilder rest = new StringBuilder();
    boolean literal = false;
    for (; i < segs.length; i++) {
      boolean param = isParam(segs[i]);
      literal |= !param;
      rest.append('/').append(param ? "{}" : segs[i]);
    }
    return stripped && literal ? op.method() + " " + rest : null;
  }

  private static boolean isParam(String seg) {
    return seg.startsWith("{") && seg.endsWith("}");
  }

  private static String summaryKey(Operation op) {
    return op.api() + " " + op.method() + " " + op.summary().toLowerCase(Locale.ROOT)
        .replaceAll("\\(?deprecated\\)?", "").replaceAll("[^a-z0-9]+", " ").strip();
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  private static void union(int[] parent, int a, int b) {
    int ra = find(parent, a);
    int rb = find(parent, b);
    if (ra != rb) {
      parent[Math.max(ra, rb)] = Math.min(ra, rb);
    }
  }

  /** Number of families with more than one member (for the logs and the benchmark). */
  int grouped() {
    Set<int[]> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (int[] m : members) {
      if (m.length > 1) {
        seen.add(m);
      }
    }
    return seen.size();
  }
}
