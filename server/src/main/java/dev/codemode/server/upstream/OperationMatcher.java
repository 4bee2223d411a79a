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

  /**
   * The operation for this method and path (normalised, relative to the base URL, without query). Literal segments
   * compare after percent-decoding; when nothing matches exactly, they compare ignoring case (some servers route
   * that way, and the deny list must still apply), and a HEAD is matched as the GET it mirrors.
   */
  public Optional<Operation> match(String method, String path) {
    String[] segs = split(path);
    for (int i = 0; i < segs.length; i++) {
      segs[i] = decode(segs[i]);
    }
    String m = method.toUpperCase(Locale.ROOT);
    Optional<Operation> found = find(m, segs, false).or(() -> find(m, segs, true));
    return found.isPresent() || !m.equals("HEAD") ? found
        : find("GET", segs, false).or(() -> find("GET", segs, true));
  }

  private Optional<Operation> find(String method, String[] segs, boolean ignoreCase) {
    List<Template> candidates = byMethodAndLength.get(key(method, segs.length));
    if (candidates == null) {
      return Optional.empty();
    }
    for (Template t : candidates) {
      if (matches(t.segments(), segs, ignoreCase)) {
        return Optional.of(t.op());
      }
    }
    return Optional.empty();
  }

  private static String decode(String segment) {
    if (segment.indexOf('%') < 0) {
      return segment;
    }
    try {
      return java.net.URLDecoder.decode(segment.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return segment;
    }
  }

  private static boolean matches(String[] template, String[] actual, boolean ignoreCase) {
    for (int i = 0; i < template.length; i++) {
      String t = template[i];
      if (t.contains("{")) {
        int open = t.indexOf('{');
        int close = t.lastIndexOf('}');
        String prefix = t.substring(0, open);
        String suffix = close >= 0 ? t.substring(close + 1) : "";
        String a = actual[i];
        if (a.isEmpty() || !a.regionMatches(ignoreCase, 0, prefix, 0, prefix.length())
            || !a.regionMatches(ignoreCase, a.length() - suffix.length(), suffix, 0, suffix.length())
            || a.length() < prefix.length() + suffix.length() + 1) {
          return false;
        }
      } else if (ignoreCase ? !t.equalsIgnoreCase(actual[i]) : !t.equals(actual[i])) {
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
