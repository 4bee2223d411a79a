package dev.codemode.server.upstream;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds many fixed strings in one pass over a text (the secrets and their encodings in a response body of up to the
 * size cap), so the cost does not grow with the number of forms. Needles of four or more characters are found by their
 * first four characters packed into a key, behind a bit filter; shorter ones by {@link String#indexOf}. Immutable
 * and thread-safe.
 */
final class Needles {
  private static final int K = 4;
  private static final int FILTER_BITS = 1 << 16;

  /** A match: {@code [start, end)} of needle {@code index}. */
  record Match(int start, int end, int index) {}

  private final List<String> needles;
  private final List<Integer> shortOnes = new ArrayList<>();
  private final Map<Long, int[]> byKey = new HashMap<>();
  private final long[] filter = new long[FILTER_BITS / 64];

  Needles(Collection<String> list) {
    this.needles = List.copyOf(list);
    Map<Long, List<Integer>> keys = new HashMap<>();
    for (int i = 0; i < needles.size(); i++) {
      String n = needles.get(i);
      if (n.length() < K) {
        shortOnes.add(i);
      } else {
        long key = 0;
        for (int j = 0; j < K; j++) {
          key = (key << 16) | n.charAt(j);
        }
        keys.computeIfAbsent(key, x -> new ArrayList<>()).add(i);
        int h = slot(key);
        filter[h >>> 6] |= 1L << h;
      }
    }
    keys.forEach((k, v) -> byKey.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
  }

  boolean isEmpty() {
    return needles.isEmpty();
  }

  String get(int index) {
    return needles.get(index);
  }

  private static int slot(long key) {
    return (int) ((key * 0x9E3779B97F4A7C15L) >>> 48);
  }

  boolean containsAny(String hay) {
    return scan(hay, null);
  }

  /** Every match, in order of start (all needles that match at a position). */
  List<Match> matches(String hay) {
    List<Match> out = new ArrayList<>();
    scan(hay, out);
    out.sort((a, b) -> a.start() != b.start() ? Integer.compare(a.start(), b.start())
        : Integer.compare(b.end(), a.end()));
    return out;
  }

  private boolean scan(String hay, List<Match> out) {
    for (int i : shortOnes) {
      String n = needles.get(i);
      for (int at = hay.indexOf(n); at >= 0; at = hay.indexOf(n, at + 1)) {
        if (out == null) {
          return true;
        }
        out.add(new Match(at, at + n.length(), i));
      }
    }
    if (byKey.isEmpty()) {
      return out != null && !out.isEmpty();
    }
    long key = 0;
    int len = hay.length();
    for (int i = 0; i < len; i++) {
      key = (key << 16) | hay.charAt(i);
      if (i < K - 1) {
        continue;
      }
      int h = slot(key);
      if ((filter[h >>> 6] & (1L << h)) == 0) {
        continue;
      }
      int[] candidates = byKey.get(key);
      if (candidates == null) {
        continue;
      }
      int start = i - K + 1;
      for (int c : candidates) {
        String n = needles.get(c);
        if (hay.startsWith(n, start)) {
          if (out == null) {
            return true;
          }
          out.add(new Match(start, start + n.length(), c));
        }
      }
    }
    return out != null && !out.isEmpty();
  }
}
