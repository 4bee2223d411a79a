package dev.codemode.spec;

/**
 * The edit distance behind every "did you mean" (unknown operationIds, parameter and field names): insertions,
 * deletions, substitutions, and a swap of neighbours counted as one edit (optimal string alignment), so
 * {@code emial} is one edit from {@code email}. Stateless.
 *
 * <pre>{@code
 * EditDistance.between("emial", "email"); // 1
 * }</pre>
 */
public final class EditDistance {
  private EditDistance() {}

  /** Edits from {@code a} to {@code b}; O(|a| * |b|) time, O(|b|) memory. */
  public static int between(String a, String b) {
    int[] prevPrev = new int[b.length() + 1];
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1),
            prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          cur[j] = Math.min(cur[j], prevPrev[j - 2] + 1);
        }
      }
      int[] t = prevPrev;
      prevPrev = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
