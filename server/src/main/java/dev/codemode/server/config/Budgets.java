package dev.codemode.server.config;

/**
 * How many characters of compact JSON each tool result may take. Immutable; defaults in {@link #defaults()} only.
 *
 * <pre>{@code
 * Budgets b = Budgets.defaults().withMaxOutputChars(20_000);
 * b.searchChars();   // 12000: search results and detail views stay small whatever --max-output says
 * }</pre>
 *
 * @param maxOutputChars budget of one tool result ({@code --max-output})
 * @param maxSearchChars budget of one search result or detail view, when below {@code maxOutputChars}
 * @param envelopeChars  characters of an execute result kept for the fields around {@code result} (calls, bytes,
 *                       the truncation note)
 * @param logsPercent    share of an execute result that captured console output may take, in percent
 */
public record Budgets(int maxOutputChars, int maxSearchChars, int envelopeChars, int logsPercent) {

  public static Budgets defaults() {
    return new Budgets(100_000, 12_000, 600, 20);
  }

  public Budgets withMaxOutputChars(int chars) {
    return new Budgets(chars, maxSearchChars, envelopeChars, logsPercent);
  }

  /** The budget of a search result: the smaller of the two. */
  public int searchChars() {
    return Math.min(maxOutputChars, maxSearchChars);
  }

  /** The characters console output may take in one execute result. */
  public int logChars() {
    return (int) ((long) maxOutputChars * logsPercent / 100);
  }
}
