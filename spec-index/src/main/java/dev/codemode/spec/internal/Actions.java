package dev.codemode.spec.internal;

import dev.codemode.spec.Operation;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The action a query asks for (read, create, update, delete) and the action an operation performs, from the verb
 * classes in {@code verbs.txt} (general English and HTTP semantics). An operation's action comes from the first
 * listed verb of its summary, else the first or last word of its operationId ({@code reactions_add},
 * {@code getTasksForProject}), else
 * from its method, so RPC-style APIs that POST everything are judged by their words. Immutable and thread-safe.
 */
final class Actions {
  enum Action { READ, CREATE, UPDATE, DELETE }

  private static final Map<String, Action> WORDS = load("read", "create", "update", "delete");
  /** Words that make a query a question (read) when they open it. */
  private static final Map<String, Action> QUESTIONS = load("question");

  private Actions() {}

  private static Map<String, Action> load(String... classes) {
    Map<String, Action> out = new HashMap<>();
    for (String line : WordLists.lines("verbs.txt")) {
      int colon = line.indexOf(':');
      String name = line.substring(0, colon).strip();
      if (!List.of(classes).contains(name)) {
        continue;
      }
      Action a = name.equals("question") ? Action.READ : Action.valueOf(name.toUpperCase(Locale.ROOT));
      for (String w : line.substring(colon + 1).strip().split("\\s+")) {
        out.putIfAbsent(w, a);
      }
    }
    return Map.copyOf(out);
  }

  /** The action of the first listed verb or question word of {@code text}, or null. */
  static Action ofQuery(String text) {
    List<String> words = words(text);
    Action question = words.isEmpty() ? null : QUESTIONS.get(words.get(0));
    return question != null ? question : firstVerb(words);
  }

  /** The operation's action: its summary's verb, else its operationId's, else its method's. */
  static Action of(Operation op) {
    List<String> summary = words(op.summary());
    Action a = summary.isEmpty() ? null : verb(summary, 0);
    List<String> id = words(Words.split(op.operationId()));
    if (a == null && !id.isEmpty()) {
      // ids put the verb first (getTasksForProject) or last (reactions_add); a noun inside (widgetLockPut) is no verb
      a = verb(id, 0);
      if (a == null) {
        a = verb(id, id.size() - 1);
      }
    }
    return a != null ? a : switch (op.method()) {
      case "GET", "HEAD" -> Action.READ;
      case "DELETE" -> Action.DELETE;
      case "PUT", "PATCH" -> Action.UPDATE;
      default -> Action.CREATE;
    };
  }

  /** How well an operation doing {@code op} fits a query asking for {@code query}: 1 fits, -1 conflicts, 0 neither. */
  static int fit(Action query, Action op) {
    if (query == null || op == null) {
      return 0;
    }
    if (query == op) {
      return 1;
    }
    boolean writes = query != Action.READ && query != Action.DELETE;
    boolean opWrites = op != Action.READ && op != Action.DELETE;
    return writes && opWrites ? 0 : -1;
  }

  private static Action firstVerb(List<String> words) {
    for (int i = 0; i < words.size(); i++) {
      Action a = verb(words, i);
      if (a != null) {
        return a;
      }
    }
    return null;
  }

  /** The action of the word at {@code i} (or of it with the next word, "tear down"), trying simple inflections. */
  private static Action verb(List<String> words, int i) {
    if (i + 1 < words.size()) {
      Action two = WORDS.get(words.get(i) + "-" + words.get(i + 1));
      if (two != null) {
        return two;
      }
    }
    String w = words.get(i);
    Action a = WORDS.get(w);
    if (a == null && w.length() > 4 && w.endsWith("s")) {
      a = WORDS.get(w.substring(0, w.length() - 1));
    }
    if (a == null && w.length() > 5 && w.endsWith("es")) {
      a = WORDS.get(w.substring(0, w.length() - 2));
    }
    if (a == null && w.length() > 5 && w.endsWith("ing")) {
      String stem = w.substring(0, w.length() - 3);
      a = WORDS.getOrDefault(stem, WORDS.get(stem + "e"));
    }
    return a;
  }

  private static List<String> words(String text) {
    return List.of(text.toLowerCase(Locale.ROOT).replace("'s ", " ").split("[^a-z]+")).stream()
        .filter(w -> !w.isEmpty()).toList();
  }
}
