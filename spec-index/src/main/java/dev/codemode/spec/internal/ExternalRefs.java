package dev.codemode.spec.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds {@code $ref}s that point outside the document. They are never followed (no network, no surprise reads); each
 * distinct one becomes a warning naming the reference and the first place that uses it.
 */
final class ExternalRefs {
  private ExternalRefs() {}

  static void check(JsonNode tree, URI base, List<String> warnings) {
    if (tree == null) {
      return;
    }
    // Most specs have no external reference: a first walk without JSON pointers finds out cheaply (building a
    // pointer for every node of GitHub's 13 MB document took half a second).
    if (!hasExternal(tree)) {
      return;
    }
    Map<String, String> found = new LinkedHashMap<>();
    Deque<Map.Entry<String, JsonNode>> stack = new ArrayDeque<>();
    stack.push(Map.entry("", tree));
    while (!stack.isEmpty()) {
      Map.Entry<String, JsonNode> e = stack.pop();
      JsonNode node = e.getValue();
      if (node.isObject()) {
        if (isExternal(node)) {
          found.putIfAbsent(node.get("$ref").asText(), e.getKey());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> f = it.next();
          if (f.getValue().isContainerNode()) {
            stack.push(Map.entry(e.getKey() + "/" + f.getKey().replace("~", "~0").replace("/", "~1"), f.getValue()));
          }
        }
      } else if (node.isArray()) {
        for (int i = 0; i < node.size(); i++) {
          if (node.get(i).isContainerNode()) {
            stack.push(Map.entry(e.getKey() + "/" + i, node.get(i)));
          }
        }
      }
    }
    found.forEach((ref, where) -> warnings.add("External $ref '" + ref + "' at " + where + "/$ref "
        + (exists(ref, base) ? "is not followed" : "points to nothing that can be read")
        + "; detail views show it as {\"$ref\":\"" + ref + "\",\"$external\":true}."));
  }

  private static boolean isExternal(JsonNode object) {
    JsonNode ref = object.get("$ref");
    return ref != null && ref.isTextual() && !ref.asText().startsWith("#");
  }

  private static boolean hasExternal(JsonNode tree) {
    Deque<JsonNode> stack = new ArrayDeque<>();
    stack.push(tree);
    while (!stack.isEmpty()) {
      JsonNode node = stack.pop();
      if (node.isObject() && isExternal(node)) {
        return true;
      }
      for (JsonNode child : node) {
        if (child.isContainerNode()) {
          stack.push(child);
        }
      }
    }
    return false;
  }

  private static boolean exists(String ref, URI base) {
    try {
      String file = ref.contains("#") ? ref.substring(0, ref.indexOf('#')) : ref;
      URI target = base.resolve(file);
      return "file".equals(target.getScheme()) && Files.isRegularFile(Path.of(target));
    } catch (RuntimeException e) {
      return false;
    }
  }
}
