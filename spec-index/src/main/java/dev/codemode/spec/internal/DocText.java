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
  static final String VERSION = "p5-v1";
  private static final int PASSAGE_DESCRIPTION_CHARS = 120;

  private DocText() {}

  static String summary(Operation op) {
    return lead(op);
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

  /** The operation's summary, else the first sentence of its description (RPC-style specs often have no summary). */
  static String lead(Operation op) {
    return op.summary().isBlank() ? firstSentence(plain(op.description())) : op.summary();
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
   * The passage embedded for semantic search: what the operation does (its {@link #lead}), its tags, its
   * operationId words, then up to {@value #PASSAGE_DESCRIPTION_CHARS} more characters of description (cut at a sentence
   * end). No method and path. Chosen on the tuned sets (spec-index README) over the p4 passage (summary, method and
   * path, tags, id words, 240 characters of description): tuned mean hit@5 0.732 -> 0.753, with a third fewer tokens
   * to embed (Cloudflare mean 55 -> 33), which a cold build's time is proportional to.
   */
  static String passage(Operation op) {
    return withParameters ? richPassage(op) : leadPassage(op);
  }

  /** Benchmark switch (same package): passages with parameter and body field names. See the README for figures. */
  static volatile boolean withParameters = false;

  private static String leadPassage(Operation op) {
    String description = plain(op.description());
    String lead = lead(op).strip();
    Set<String> parts = new LinkedHashSet<>();
    if (!lead.isEmpty()) {
      parts.add(lead);
    }
    if (!op.tags().isEmpty()) {
      parts.add(String.join(", ", op.tags()));
    }
    String id = Words.split(op.operationId()).toLowerCase(Locale.ROOT);
    if (!id.isEmpty()) {
      parts.add(id);
    }
    String rest = !lead.isEmpty() && description.startsWith(lead) ? description.substring(lead.length()).strip()
        : description;
    if (!rest.isEmpty() && !rest.equalsIgnoreCase(lead)) {
      parts.add(cut(rest, PASSAGE_DESCRIPTION_CHARS));
    }
    return String.join(". ", parts);
  }

  /** The first sentence of plain text (at most 200 characters). */
  static String firstSentence(String text) {
    int dot = text.indexOf(". ");
    String s = dot < 0 ? text : text.substring(0, dot + 1);
    return cut(s, 200);
  }

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
    String base = leadPassage(op);
    return names.length() == 0 ? base : base + ". Fields: " + names;
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
