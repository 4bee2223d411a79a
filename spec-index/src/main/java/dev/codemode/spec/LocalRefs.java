package dev.codemode.spec;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Follows local {@code $ref}s ({@code #/components/...}) in an {@link ApiSpec#document()} tree. Stateless.
 *
 * <pre>{@code
 * JsonNode param = LocalRefs.deref(spec.document().orElseThrow(), paramNode);   // null when it does not resolve
 * }</pre>
 */
public final class LocalRefs {
  private static final int MAX_HOPS = 8;

  private LocalRefs() {}

  /** The node a chain of local refs leads to (the node itself when it is no ref); null for external or dangling refs. */
  public static JsonNode deref(JsonNode root, JsonNode node) {
    JsonNode cur = node;
    for (int hop = 0; cur != null && cur.isObject() && cur.has("$ref") && hop < MAX_HOPS; hop++) {
      String ref = cur.get("$ref").asText();
      if (!ref.startsWith("#")) {
        return null;
      }
      try {
        JsonNode next = root.at(ref.substring(1));
        cur = next.isMissingNode() ? null : next;
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return cur;
  }
}
