package dev.codemode.spec.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** JSON pointers as written in {@code $ref}s. Stateless. */
final class JsonPointers {
  private JsonPointers() {}

  /**
   * A pointer taken from a URI fragment is percent-encoded ({@code ~1v2~1keys~1%7Bid%7D}); this decodes it (leaving
   * {@code ~0}/{@code ~1} escapes for {@link com.fasterxml.jackson.core.JsonPointer}). A literal '+' stays a '+'.
   */
  static String decodeUrl(String pointer) {
    if (pointer.indexOf('%') < 0) {
      return pointer;
    }
    try {
      return URLDecoder.decode(pointer.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return pointer;
    }
  }
}
