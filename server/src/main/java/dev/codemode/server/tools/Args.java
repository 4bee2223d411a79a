package dev.codemode.server.tools;

import java.util.Map;

/** Reads tool arguments, which come from the model and may have any shape. */
final class Args {
  private Args() {}

  static String string(Map<String, Object> args, String name) {
    Object v = args == null ? null : args.get(name);
    if (v == null) {
      return null;
    }
    String s = v.toString();
    return s.isBlank() ? null : s;
  }

  static int integer(Map<String, Object> args, String name, int dflt) {
    Object v = args == null ? null : args.get(name);
    if (v instanceof Number n) {
      return n.intValue();
    }
    if (v != null) {
      try {
        return Integer.parseInt(v.toString().trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " must be an integer, was '" + v + "'");
      }
    }
    return dflt;
  }
}
