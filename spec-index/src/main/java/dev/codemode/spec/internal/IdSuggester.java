package dev.codemode.spec.internal;

import dev.codemode.spec.EditDistance;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Suggests the known ids closest to an unknown one, by edit distance and shared words. Stateless, thread-safe. */
final class IdSuggester {
  /** Only this much of an unknown id is compared: the cost is its length times each known id's. */
  private static final int MAX_WANTED = 128;

  private IdSuggester() {}

  static List<String> closest(String wantedId, Collection<String> known, int max) {
    String wanted = wantedId.length() > MAX_WANTED ? wantedId.substring(0, MAX_WANTED) : wantedId;
    String w = wanted.toLowerCase(Locale.ROOT);
    Set<String> wantedWords = words(wanted);
    return known.stream()
        .map(id -> new Object[] {id, score(w, wantedWords, id)})
        .sorted(Comparator.comparingDouble(a -> (double) a[1]))
        .limit(max)
        .map(a -> (String) a[0])
        .toList();
  }

  private static double score(String wanted, Set<String> wantedWords, String id) {
    String lower = id.toLowerCase(Locale.ROOT);
    double distance = EditDistance.between(wanted, lower) / (double) Math.max(1, Math.max(wanted.length(), lower.length()));
    Set<String> words = words(id);
    Set<String> common = new HashSet<>(words);
    common.retainAll(wantedWords);
    Set<String> union = new HashSet<>(words);
    union.addAll(wantedWords);
    double overlap = union.isEmpty() ? 0 : common.size() / (double) union.size();
    return distance - overlap;
  }

  private static Set<String> words(String id) {
    return new HashSet<>(Arrays.asList(Words.split(id).toLowerCase(Locale.ROOT).split(" ")));
  }
}
