package dev.codemode.server.tools;

import dev.codemode.server.upstream.ApiGateway;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a script before it runs, so that a typo on line 9 does not fail after lines 1-8 already read or wrote
 * upstream: every literal operationId in {@code api.call('...')}, {@code apis.NAME.call('...')} or
 * {@code apis['NAME'].call('...')} must exist (else the error lists the closest ones). Syntax needs no check here: the
 * sandbox parses the whole script before running any of it. A regex scan, so it costs microseconds; ids built at run
 * time are checked when called. Stateless and thread-safe.
 *
 * <pre>{@code
 * String problem = Preflight.check(code, gateways);   // null when the script may run
 * }</pre>
 */
final class Preflight {
  private static final Pattern CALL = Pattern.compile(
      "\\b(?:api|apis\\s*\\.\\s*([A-Za-z_$][\\w$]*)|apis\\s*\\[\\s*['\"]([^'\"]+)['\"]\\s*])\\s*\\.\\s*call\\s*\\(\\s*"
          + "(['\"`])([^'\"`$\\\\\\n]{1,200})\\3\\s*[,)]");
  private static final int MAX_REPORTED = 3;

  private Preflight() {}

  /** Null when every literal operationId exists; else what is wrong, per line, with the closest ids. */
  static String check(String code, Map<String, ApiGateway> gateways) {
    String scanned = withoutComments(code);
    List<String> problems = new ArrayList<>();
    Matcher m = CALL.matcher(scanned);
    while (m.find() && problems.size() < MAX_REPORTED) {
      String apiName = m.group(1) != null ? m.group(1) : m.group(2);
      String id = m.group(4);
      List<ApiGateway> candidates = apiName == null ? List.copyOf(gateways.values())
          : gateways.containsKey(apiName) ? List.of(gateways.get(apiName)) : List.of();
      if (candidates.isEmpty() || candidates.stream().anyMatch(g -> g.spec().operation(id).isPresent())) {
        continue;
      }
      problems.add("line " + line(code, m.start()) + ": " + ApiGateway.unknownOperation(candidates.get(0).spec(), id));
    }
    return problems.isEmpty() ? null : "The script was not run: " + String.join(" ", problems);
  }



  private static int line(String code, int offset) {
    int n = 1;
    for (int i = 0; i < offset; i++) {
      if (code.charAt(i) == '\n') {
        n++;
      }
    }
    return n;
  }

  /**
   * The code with comments blanked (newlines kept, so offsets and line numbers stay), in one linear pass: the script
   * is untrusted, so no backtracking regex over it. Strings and template literals are skipped so that a URL's
   * {@code //} is not taken for a comment.
   */
  static String withoutComments(String code) {
    char[] out = code.toCharArray();
    int i = 0;
    int n = out.length;
    while (i < n) {
      char c = out[i];
      if (c == '\'' || c == '"' || c == '`') {
        i++;
        while (i < n && out[i] != c && (c == '`' || out[i] != '\n')) {
          i += out[i] == '\\' ? 2 : 1;
        }
        i++;
      } else if (c == '/' && i + 1 < n && out[i + 1] == '/') {
        while (i < n && out[i] != '\n') {
          out[i++] = ' ';
        }
      } else if (c == '/' && i + 1 < n && out[i + 1] == '*') {
        out[i++] = ' ';
        out[i++] = ' ';
        while (i < n && !(out[i] == '*' && i + 1 < n && out[i + 1] == '/')) {
          if (out[i] != '\n') {
            out[i] = ' ';
          }
          i++;
        }
        for (int k = 0; k < 2 && i < n; k++) {
          out[i++] = ' ';
        }
      } else {
        i++;
      }
    }
    return new String(out);
  }
}
