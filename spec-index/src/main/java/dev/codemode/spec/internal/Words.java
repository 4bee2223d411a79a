package dev.codemode.spec.internal;

import java.util.regex.Pattern;

/**
 * Splits identifiers into words: camelCase, PascalCase, snake_case, kebab-case, dotted names, path segments and
 * {@code {param}} names ({@code /repos/{owner}/pullRequests} becomes {@code repos owner pull Requests}). Stateless.
 */
final class Words {
  private static final Pattern CAMEL = Pattern.compile("(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])");
  private static final Pattern SEPARATORS = Pattern.compile("[^\\p{L}\\p{N}]+");

  private Words() {}

  /** Words of {@code text} separated by single spaces (case kept). */
  public static String split(String text) {
    if (text == null || text.isEmpty()) {
      return "";
    }
    String spaced = SEPARATORS.matcher(text).replaceAll(" ");
    return CAMEL.matcher(spaced).replaceAll(" ").strip();
  }
}
