package dev.codemode.spec.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Things a query names ("movies directed by Sofia Coppola", "poster of 2 Broke Girls", "play my playlist 'My Rock'"):
 * quoted strings, e-mail addresses and host names, and runs of capitalised words (joined by short lower-case
 * connectors such as "and the", led by a number) that contain at least one word the API's own text never uses. The
 * word opening the query counts only as part of a longer run. Such names are rarely in any operation's text; the
 * agent has to look them up first, which is what {@link HybridIndex} uses this for. Stateless and thread-safe.
 */
final class Mentions {
  private static final Pattern QUOTED = Pattern.compile("[\"'\u201c\u2018]([^\"'\u201d\u2019]{2,80})[\"'\u201d\u2019]");
  /** E-mail addresses and host names ("jane@example.com", "blog.example.com"): values the API stores, not words. */
  private static final Pattern VALUE = Pattern.compile(
      "(?<![\\w.@-])(?:[\\w.+-]+@)?(?:[a-z0-9-]+\\.)+(?:com|org|net|io|dev|app|co|uk|de|fr|info|biz|ai)(?![\\w-])",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}.'\u2019&-]*");
  private static final Pattern BREAK = Pattern.compile("[.!?;:,()]");
  private static final Pattern SENTENCE_END = Pattern.compile("[.!?]");
  private static final Set<String> CONNECTORS = Set.of("and", "the", "of", "a", "an", "in", "on", "de", "la", "le",
      "von", "van", "der", "da", "del", "du", "&");

  private Mentions() {}

  /**
   * The names in {@code query}, in order.
   *
   * @param known whether a word, as written (an identifier like "CreateOrder" is split into its words by the
   *              caller's analysis), occurs in the API's text; a capitalised run made only of such words, like "TV"
   *              or "Pull Requests", is vocabulary, not a name
   */
  static List<String> of(String query, Predicate<String> known) {
    List<String> out = new ArrayList<>();
    Matcher q = QUOTED.matcher(query);
    StringBuilder rest = new StringBuilder(query);
    while (q.find()) {
      String inner = q.group(1).strip();
      // An apostrophe inside a word ("Schwimmer's") is not a quote.
      boolean possessive = q.start() > 0 && Character.isLetter(query.charAt(q.start() - 1));
      if (!possessive && !inner.isEmpty()) {
        out.add(inner);
        for (int i = q.start(); i < q.end(); i++) {
          rest.setCharAt(i, ' ');
        }
      }
    }
    Matcher v = VALUE.matcher(rest);
    while (v.find()) {
      out.add(v.group());
      for (int i = v.start(); i < v.end(); i++) {
        rest.setCharAt(i, ' ');
      }
    }
    List<String> tokens = new ArrayList<>();
    List<Boolean> sentenceStart = new ArrayList<>();
    Matcher t = TOKEN.matcher(rest);
    int last = 0;
    boolean start = true;
    while (t.find()) {
      String between = rest.substring(last, t.start());
      if (BREAK.matcher(between).find()) {
        tokens.add(null); // punctuation breaks a run
        sentenceStart.add(false);
        start = SENTENCE_END.matcher(between).find();
      }
      tokens.add(stripPossessive(t.group()));
      sentenceStart.add(start);
      start = false;
      last = t.end();
    }
    int i = 0;
    while (i < tokens.size()) {
      if (!startsRun(tokens, i)) {
        i++;
        continue;
      }
      int j = i;
      int end = i; // exclusive end of the last capitalised word
      while (j < tokens.size() && tokens.get(j) != null) {
        String w = tokens.get(j);
        if (capitalised(w) || (j == i && isNumber(w))) {
          end = j + 1;
        } else if (!CONNECTORS.contains(w.toLowerCase(Locale.ROOT))) {
          break;
        }
        j++;
      }
      List<String> run = tokens.subList(i, end);
      boolean soloOpener = run.size() == 1 && sentenceStart.get(i);
      long capitals = run.stream().filter(Mentions::capitalised).count();
      if (!soloOpener && capitals > 0 && run.stream().anyMatch(w -> capitalised(w) && !known.test(w))) {
        out.add(String.join(" ", run));
      }
      i = Math.max(end, i + 1);
    }
    return out;
  }

  private static boolean startsRun(List<String> tokens, int i) {
    String w = tokens.get(i);
    if (w == null) {
      return false;
    }
    if (capitalised(w)) {
      return true;
    }
    return isNumber(w) && i + 1 < tokens.size() && tokens.get(i + 1) != null && capitalised(tokens.get(i + 1));
  }

  private static boolean capitalised(String w) {
    return w != null && !w.isEmpty() && Character.isUpperCase(w.charAt(0)) && !w.equals("I");
  }

  private static boolean isNumber(String w) {
    return w != null && w.chars().allMatch(Character::isDigit);
  }

  private static String stripPossessive(String w) {
    if (w.endsWith("'s") || w.endsWith("\u2019s")) {
      return w.substring(0, w.length() - 2);
    }
    if (w.endsWith("'") || w.endsWith("\u2019")) {
      return w.substring(0, w.length() - 1);
    }
    return w;
  }
}
