package dev.codemode.server.skills;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Ranks saved skills for a search query: how much of the query their name, description and parameter names cover,
 * weighted by how reliably they have worked (a skill that keeps failing sinks, one never run is neutral). Plain
 * word overlap on purpose: skills are few and written by the model in the words it searches with. Stateless.
 */
public final class SkillRanker {
  /** Below this share of the query's words a skill is not offered at all. */
  static final double MIN_RELEVANCE = 0.34;
  private static final Set<String> STOP = Set.of("a", "an", "the", "of", "for", "to", "in", "on", "by", "and", "or",
      "with", "from", "all", "my", "me", "i", "is", "are", "get", "find", "list", "show", "what", "which", "how",
      "do", "does", "each", "per", "that", "this", "it");

  private static final java.util.regex.Pattern CAMEL = java.util.regex.Pattern.compile("([a-z0-9])([A-Z])");
  private static final java.util.regex.Pattern NON_WORD = java.util.regex.Pattern.compile("[^a-z0-9]+");
  /** Partial matches (not every query word) offered at most. */
  static final int MAX_PARTIAL = 2;
  /** The words of each skill version, computed once: a search over 1,000 skills then does no text analysis. */
  private static final java.util.Map<String, Set<String>[]> WORDS = new java.util.concurrent.ConcurrentHashMap<>();

  private SkillRanker() {}

  /** A skill with its score: relevance in [0, 1] times a reliability factor in [0.5, 1.5]. */
  public record Ranked(Skill skill, double relevance, double score) {}

  public static List<Ranked> rank(String query, List<Skill> skills, int limit) {
    List<String> terms = new ArrayList<>(new java.util.LinkedHashSet<>(words(query)));
    if (terms.isEmpty()) {
      return List.of();
    }
    List<Ranked> out = new ArrayList<>();
    for (Skill s : skills) {
      Set<String>[] w = wordsOf(s);
      double hit = 0;
      for (String t : terms) {
        hit += w[0].contains(t) ? 1.0 : w[1].contains(t) ? 0.8 : 0;
      }
      double relevance = hit / terms.size();
      if (relevance < MIN_RELEVANCE) {
        continue;
      }
      out.add(new Ranked(s, relevance, relevance * (0.5 + s.stats().reliability())));
    }
    out.sort(Comparator.comparingDouble(Ranked::score).reversed()
        .thenComparing(r -> r.skill().name()));
    List<Ranked> kept = new ArrayList<>();
    int partial = 0;
    for (Ranked r : out) {
      if (kept.size() == limit) {
        break;
      }
      if (r.relevance() < 0.99 && partial++ >= MAX_PARTIAL) {
        continue;
      }
      kept.add(r);
    }
    return kept;
  }

  @SuppressWarnings("unchecked")
  private static Set<String>[] wordsOf(Skill s) {
    String key = s.api() + '\u0000' + s.owner() + '\u0000' + s.name() + '\u0000' + s.version();
    Set<String>[] w = WORDS.get(key);
    if (w == null) {
      if (WORDS.size() > 50_000) {
        WORDS.clear();
      }
      Set<String> text = new HashSet<>(words(s.description()));
      text.addAll(words(s.params()));
      w = new Set[] {new HashSet<>(words(s.name())), text};
      WORDS.put(key, w);
    }
    return w;
  }

  /** Lower-cased words, identifiers split at camelCase, '_' and '-', a plural 's' dropped, stop words removed. */
  static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    if (text == null) {
      return out;
    }
    String split = CAMEL.matcher(text).replaceAll("$1 $2");
    for (String w : NON_WORD.split(split.toLowerCase(Locale.ROOT))) {
      if (w.isEmpty() || STOP.contains(w)) {
        continue;
      }
      out.add(stem(w));
    }
    return out;
  }

  private static String stem(String w) {
    if (w.length() > 4 && w.endsWith("ies")) {
      return w.substring(0, w.length() - 3) + "y";
    }
    if (w.length() > 3 && w.endsWith("s") && !w.endsWith("ss")) {
      return w.substring(0, w.length() - 1);
    }
    return w;
  }
}
