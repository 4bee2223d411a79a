package dev.codemode.server.tools;

import dev.codemode.server.upstream.ApiGateway;
import dev.codemode.spec.ApiSpec;
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
          + "(['\"`])([^'\"`$\\\\\\n]{1,200})\\3");
  private static final Pattern BLOCK_COMMENT = Pattern.compile("/\\*.*?\\*/", Pattern.DOTALL);
  private static final Pattern LINE_COMMENT = Pattern.compile("(^|[\\s;{}])//[^\\n]*");
  private static final int MAX_REPORTED = 3;

  private Preflight() {}

  /** Null when every literal operationId exists; else what is wrong, per line, with the closest ids. */
  static String check(String code, Map<String, ApiGateway> gateways) {
    String scanned = LINE_COMMENT.matcher(BLOCK_COMMENT.matcher(code).replaceAll(m -> blank(m.group())))
        .replaceAll(m -> m.group(1) + blank(m.group().substring(m.group(1).length())));
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
      problems.add("line " + line(code, m.start()) + ": " + unknown(candidates.get(0).spec(), id));
    }
    return problems.isEmpty() ? null : "The script was not run: " + String.join(" ", problems);
  }

  private static String unknown(ApiSpec spec, String id) {
    try {
      spec.detailJson(id, 100);
      return "unknown operation '" + id + "'.";
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
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

  /** Keeps offsets and line numbers: every character but newlines becomes a space. */
  private static String blank(String s) {
    return Matcher.quoteReplacement(s.replaceAll("[^\\n]", " "));
  }
}
