package dev.codemode.server.upstream;

import dev.codemode.spec.Operation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the operation a raw {@code METHOD /path} request corresponds to, so that {@code api.request} gets the same
 * credentials and policy as {@code api.call}. Built once per API; lookups are thread-safe and allocation-light.
 *
 * <pre>{@code
 * OperationMatcher m = new OperationMatcher(spec.operations());
 * m.match("GET", "/pets/42")   // the getPetById operation
 * }</pre>
 */
public final class OperationMatcher {
  private record Template(Operation op, String[] segments, int literals) {}

  private final Map<String, List<Template>> byMethodAndLength = new HashMap<>();

  public OperationMatcher(List<Operation> operations) {
    for (Operation op : operations) {
      String[] segs = split(op.path());
      int literals = 0;
      for (String s : segs) {
        if (!s.contains("{")) {
          literals++;
        }
      }
      byMethodAndLength.computeIfAbsent(key(op.method(), segs.length), k -> new ArrayList<>())
          .add(new Template(op, segs, literals));
    }
    // Prefer the most literal template: /users/me before /users/{id}.
    byMethodAndLength.values().forEach(l -> l.sort(Comparator.comparingInt(Template::literals).reversed()));
  }

  /** The operation for this method and path (path relative to the base URL, without query). */
  public Optional<Operation> match(String method, String path) {
    String[] segs = split(path);
    List<Template> candidates = byMethodAndLength.get(key(method.toUpperCase(Locale.ROOT), segs.length));
    if (candidates == null) {
      return Optional.empty();
    }
    for (Template t : candidates) {
      if (matches(t.segments(), segs)) {
        return Optional.of(t.op());
      }
    }
    return Optional.empty();
  }

  private static boolean matches(String[] template, String[] actual) {
    for (int i = 0; i < template.length; i++) {
      String t = template[i];
      if (t.contains("{")) {
        int open = t.indexOf('{');
        int close = t.lastIndexOf('}');
        String prefix = t.substring(0, open);
        String suffix = close >= 0 ? t.substring(close + 1) : "";
        String a = actual[i];
        if (a.isEmpty() || !a.startsWith(prefix) || !a.endsWith(suffix)
            || a.length() < prefix.length() + suffix.length() + 1) {
          return false;
        }
      } else if (!t.equals(actual[i])) {
        return false;
      }
    }
    return true;
  }

  private static String key(String method, int length) {
    return method + ' ' + length;
  }

  private static String[] split(String path) {
    String p = path;
    int q = p.indexOf('?');
    if (q >= 0) {
      p = p.substring(0, q);
    }
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    while (p.endsWith("/") && !p.isEmpty()) {
      p = p.substring(0, p.length() - 1);
    }
    return p.isEmpty() ? new String[0] : p.split("/", -1);
  }
}
