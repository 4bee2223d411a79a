package dev.codemode.spec.internal;

import dev.codemode.spec.Operation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises queries that name an operation exactly: an operationId ({@code repos/get}), {@code METHOD /path} with the
 * template or a concrete path ({@code GET /repos/octocat/hello}), or a bare path. Those operations rank first.
 * Immutable and thread-safe.
 */
final class ExactMatcher {
  private static final Pattern METHOD_PATH = Pattern.compile(
      "(?i)^\\s*(get|put|post|delete|patch|head|options|trace)\\s+(/\\S*)\\s*$");
  private static final Pattern BARE_PATH = Pattern.compile("^\\s*(/\\S*)\\s*$");

  private final List<Operation> operations;
  private final Map<String, List<Integer>> byId = new HashMap<>();
  private final Pattern[] templates;

  ExactMatcher(List<Operation> operations) {
    this.operations = operations;
    this.templates = new Pattern[operations.size()];
    for (int i = 0; i < operations.size(); i++) {
      Operation op = operations.get(i);
      byId.computeIfAbsent(op.operationId().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(i);
      templates[i] = template(op.path());
    }
  }

  private static Pattern template(String path) {
    StringBuilder re = new StringBuilder();
    Matcher m = Pattern.compile("\\{[^}]*}").matcher(path);
    int last = 0;
    while (m.find()) {
      re.append(Pattern.quote(path.substring(last, m.start()))).append("[^/]+");
      last = m.end();
    }
    re.append(Pattern.quote(path.substring(last)));
    return Pattern.compile(re + "/?");
  }

  /** Ordinals named exactly by the query, best first (template equality before concrete-path matches). */
  List<Integer> match(String text) {
    String trimmed = text.strip();
    List<Integer> ids = byId.get(trimmed.toLowerCase(Locale.ROOT));
    if (ids != null) {
      return ids;
    }
    String method = null;
    String path;
    Matcher mp = METHOD_PATH.matcher(trimmed);
    if (mp.matches()) {
      method = mp.group(1).toUpperCase(Locale.ROOT);
      path = mp.group(2);
    } else {
      Matcher bp = BARE_PATH.matcher(trimmed);
      if (!bp.matches()) {
        return List.of();
      }
      path = bp.group(1);
    }
    String p = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    List<Integer> equal = new ArrayList<>();
    List<Integer> concrete = new ArrayList<>();
    for (int i = 0; i < operations.size(); i++) {
      Operation op = operations.get(i);
      if (method != null && !method.equals(op.method())) {
        continue;
      }
      if (op.path().equals(p) || stripSlash(op.path()).equals(stripSlash(p))) {
        equal.add(i);
      } else if (templates[i].matcher(p).matches()) {
        concrete.add(i);
      }
    }
    concrete.sort(java.util.Comparator.comparingLong(i -> operations.get(i).path().chars().filter(c -> c == '{').count()));
    equal.addAll(concrete);
    return equal;
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") && s.length() > 1 ? s.substring(0, s.length() - 1) : s;
  }
}
