package dev.codemode.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One area of an API for browsing: a tag, or for operations without tags a path group (the first path segment that is
 * not a version or a parameter, up to a '.', so {@code /v2/droplets/{id}} is in "droplets" and
 * {@code /reactions.add} in "reactions"). Immutable.
 *
 * @param name       the tag or path group
 * @param operations how many operations it holds
 * @param summary    the tag's description (first sentence), else the summaries of its first operations; may be empty
 */
public record Area(String name, int operations, String summary) {
  private static final Pattern VERSION = Pattern.compile("v\\d+(\\.\\d+)?|api");
  private static final int SUMMARY_CHARS = 100;

  public Area {
    Objects.requireNonNull(name, "name");
    summary = summary == null ? "" : summary;
  }

  /** The areas an operation is in: its tags, else its path group. */
  public static List<String> of(Operation op) {
    return op.tags().isEmpty() ? List.of(pathGroup(op.path())) : op.tags();
  }

  /** Whether {@code op} is in the area named {@code name} (case-insensitive). */
  public static boolean contains(String name, Operation op) {
    for (String a : of(op)) {
      if (a.equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  /** The areas of {@code spec} in document order, described by {@code tagDescriptions} where a tag has one. */
  public static List<Area> all(List<Operation> operations, Map<String, String> tagDescriptions) {
    Map<String, List<Operation>> groups = new LinkedHashMap<>();
    for (Operation op : operations) {
      for (String a : of(op)) {
        groups.computeIfAbsent(a, k -> new ArrayList<>()).add(op);
      }
    }
    List<Area> out = new ArrayList<>();
    groups.forEach((name, ops) -> {
      String described = tagDescriptions.getOrDefault(name, "");
      String summary = described.isBlank() ? fromOperations(ops) : firstSentence(described);
      out.add(new Area(name, ops.size(), cut(summary)));
    });
    return out;
  }

  static String pathGroup(String path) {
    for (String seg : path.split("/")) {
      String s = seg.contains(".") && !seg.startsWith(".") ? seg.substring(0, seg.indexOf('.')) : seg;
      if (!s.isEmpty() && !s.startsWith("{") && !VERSION.matcher(s.toLowerCase(Locale.ROOT)).matches()) {
        return s;
      }
    }
    return "/";
  }

  private static String fromOperations(List<Operation> ops) {
    List<String> parts = new ArrayList<>();
    for (Operation op : ops) {
      String s = op.summary().isBlank() ? op.operationId() : op.summary();
      if (!parts.contains(s)) {
        parts.add(s);
      }
      if (parts.size() == 3) {
        break;
      }
    }
    return String.join("; ", parts);
  }

  private static String firstSentence(String text) {
    String t = text.replaceAll("\\[([^\\]]*)]\\([^)]*\\)", "$1").replaceAll("<[^>]+>", " ").replaceAll("\\s+", " ")
        .strip();
    int dot = t.indexOf(". ");
    return dot > 0 ? t.substring(0, dot + 1) : t;
  }

  private static String cut(String s) {
    return s.length() <= SUMMARY_CHARS ? s : s.substring(0, SUMMARY_CHARS - 1) + "…";
  }
}
