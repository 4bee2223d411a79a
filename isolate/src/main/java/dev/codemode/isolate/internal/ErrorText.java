package dev.codemode.isolate.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SourceSection;

/**
 * Turns GraalJS errors into text for the model: positions in the user's own lines (1-based, as they wrote them),
 * the offending line, and only the script's own stack frames (never the wrapper, the prelude or Java). Stateless.
 */
final class ErrorText {
  /** A line or column of more than 9 digits is no position in a script (a forged frame): it is left as text. */
  private static final Pattern POS = Pattern.compile(Pattern.quote(JsEngine.SCRIPT_NAME) + ":(\\d{1,9}):(\\d{1,9})\\b");
  private static final int MAX_FRAMES = 12;
  private static final int MAX_LINE = 200;
  /** setup.js cuts a described error to this many chars before it leaves the context. */
  static final int MAX_DESCRIBED = 16_384;
  /** The message part of an error text (the lines above its stack frames). */
  static final int MAX_HEAD = 4_000;

  private ErrorText() {}

  static String syntax(PolyglotException e, String code) {
    String[] lines = code.split("\n", -1);
    String first = clip(firstLine(e.getMessage()), MAX_HEAD);
    // "SyntaxError: script.js:2:8 Expected an operand but found ;" -> keep the description only.
    String what = first.replaceFirst("^SyntaxError:\\s*", "").replaceFirst(POS.pattern() + "\\s*", "");
    SourceSection loc = e.getSourceLocation();
    if (loc == null || !loc.isAvailable()) {
      return "SyntaxError: " + what;
    }
    int line = loc.getStartLine();
    int col = loc.getStartColumn() - (line == 1 ? JsEngine.WRAP_PREFIX.length() : 0);
    if (line > lines.length) {
      return "SyntaxError at the end of the script: " + what + " (an unclosed bracket, brace or string?)";
    }
    col = Math.max(1, col);
    String src = clip(lines[line - 1]);
    return "SyntaxError at line " + line + ", column " + col + ": " + what + "\n"
        + "  " + line + " | " + src + "\n"
        + "  " + " ".repeat(String.valueOf(line).length()) + " | " + " ".repeat(Math.min(col - 1, src.length())) + "^";
  }

  /**
   * A thrown value described by setup.js ("Name: message\n    at ..." or "Uncaught ..."), at most about
   * {@link #MAX_HEAD} plus {@link #MAX_FRAMES} short lines. The text is the script's own, so it may be forged: should
   * it still confuse the mapping, the message comes back cut and unmapped rather than failing the execution.
   */
  static String runtime(String described, String code) {
    if (described == null) {
      return "The script failed.";
    }
    try {
      return mapped(described, code);
    } catch (RuntimeException e) {
      return clip(described, MAX_HEAD);
    }
  }

  private static String mapped(String described, String code) {
    String[] lines = code.split("\n", -1);
    String[] parts = described.split("\n");
    StringBuilder head = new StringBuilder();
    StringBuilder frames = new StringBuilder();
    int firstUserLine = -1;
    int kept = 0;
    boolean inFrames = false;
    for (String p : parts) {
      if (p.startsWith("    at ")) {
        inFrames = true;
        Matcher m = POS.matcher(p);
        if (!m.find() || kept >= MAX_FRAMES) {
          continue;
        }
        int line = Integer.parseInt(m.group(1));
        int col = Integer.parseInt(m.group(2)) - (line == 1 ? JsEngine.WRAP_PREFIX.length() : 0);
        if (line < 1 || line > lines.length || col < 1) {
          continue; // the wrapper's own frame
        }
        String mapped = POS.matcher(p).replaceAll(mr -> {
          int l = Integer.parseInt(mr.group(1));
          int c = Integer.parseInt(mr.group(2)) - (l == 1 ? JsEngine.WRAP_PREFIX.length() : 0);
          return Matcher.quoteReplacement("line " + l + ":" + Math.max(1, c));
        });
        frames.append('\n').append(clip(mapped, MAX_LINE));
        if (firstUserLine < 0) {
          firstUserLine = line;
        }
        kept++;
      } else if (!inFrames && head.length() <= MAX_HEAD) {
        if (head.length() > 0) {
          head.append('\n');
        }
        head.append(p);
      }
    }
    StringBuilder out = new StringBuilder(head.length() == 0 ? "The script threw an error." : clip(head.toString(),
        MAX_HEAD));
    out.append(frames);
    if (firstUserLine > 0) {
      out.append("\nat line ").append(firstUserLine).append(": ").append(clip(lines[firstUserLine - 1].strip()));
    }
    return out.toString();
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static String clip(String s) {
    return s.length() <= MAX_LINE ? s : s.substring(0, MAX_LINE) + "...";
  }

  /** {@code s} cut to {@code max} chars (never inside a surrogate pair), saying how much was cut. */
  static String clip(String s, int max) {
    if (s == null || s.length() <= max) {
      return s;
    }
    int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
    return s.substring(0, end) + "…(+" + (s.length() - end) + " chars)";
  }
}
