package dev.codemode.spec.internal;

import dev.codemode.spec.Operation;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The text an operation is searched by: one string per lexical field and one passage for the embedding model.
 * {@link #VERSION} names the passage format; change it whenever {@link #passage} changes so cached embeddings are
 * recomputed. Stateless and thread-safe.
 */
final class DocText {
  static final String VERSION = "p4-v1";
  private static final int PASSAGE_DESCRIPTION_CHARS = 240;

  private DocText() {}

  static String summary(Operation op) {
    return op.summary();
  }

  static String operationId(Operation op) {
    return Words.split(op.operationId());
  }

  static String path(Operation op) {
    return op.method().toLowerCase(Locale.ROOT) + " " + Words.split(op.path());
  }

  static String tags(Operation op) {
    return Words.split(String.join(" ", op.tags()));
  }

  static String description(Operation op) {
    return op.description();
  }

  static String parameters(Operation op) {
    StringBuilder sb = new StringBuilder();
    for (Operation.Parameter p : op.parameters()) {
      sb.append(Words.split(p.name())).append(' ');
    }
    return sb.toString();
  }

  static String body(Operation op) {
    return op.requestBody() == null ? "" : Words.split(String.join(" ", op.requestBody().fieldNames()));
  }

  /**
   * The passage embedded for semantic search: summary, method and path, tags, operationId words, then the start of the
   * description (cut at a sentence end). Chosen on RestBench over a description-first variant, which lost 6 points of
   * semantic hit@5 on TMDB while gaining 3 on Spotify.
   */
  static String passage(Operation op) {
    return withParameters ? richPassage(op) : plainPassage(op);
  }

  /** Benchmark switch (same package): passages with parameter and body field names. See the README for figures. */
  static volatile boolean withParameters = false;

  private static String richPassage(Operation op) {
    StringBuilder names = new StringBuilder();
    int n = 0;
    for (Operation.Parameter p : op.parameters()) {
      if (!p.in().equals("header") && !p.in().equals("cookie") && n++ < 12) {
        names.append(n == 1 ? "" : ", ").append(Words.split(p.name()).toLowerCase(Locale.ROOT));
      }
    }
    if (op.requestBody() != null) {
      for (String f : op.requestBody().fieldNames()) {
        if (n++ < 12) {
          names.append(n == 1 ? "" : ", ").append(Words.split(f).toLowerCase(Locale.ROOT));
        }
      }
    }
    String base = plainPassage(op);
    return names.length() == 0 ? base : base + ". Fields: " + names;
  }

  private static String plainPassage(Operation op) {
    Set<String> parts = new LinkedHashSet<>();
    if (!op.summary().isEmpty()) {
      parts.add(op.summary().strip());
    }
    parts.add(op.method() + " " + op.path());
    if (!op.tags().isEmpty()) {
      parts.add(String.join(", ", op.tags()));
    }
    String id = Words.split(op.operationId()).toLowerCase(Locale.ROOT);
    if (!id.isEmpty()) {
      parts.add(id);
    }
    String description = plain(op.description());
    if (!description.isEmpty() && !description.equalsIgnoreCase(op.summary())) {
      parts.add(cut(description, PASSAGE_DESCRIPTION_CHARS));
    }
    return String.join(". ", parts);
  }

  private static String cut(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int dot = text.lastIndexOf(". ", max);
    return dot > max / 2 ? text.substring(0, dot + 1) : text.substring(0, max);
  }

  /** Description without markdown links, HTML tags and runs of white space. */
  static String plain(String text) {
    return text.replaceAll("\\[([^\\]]*)]\\([^)]*\\)", "$1").replaceAll("<[^>]+>", " ").replaceAll("\\s+", " ")
        .strip();
  }
}
