package dev.codemode.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Field-level validation of a JSON request body; each failure is a 422 naming the field's JSON path.
 *
 * <p>Immutable view over a Jackson node; not shared between requests. Example:
 * <pre>{@code Body body = new Body(node, "").allowOnly(Set.of("status"));
 * String status = body.requiredEnum("status", Model.ORDER_STATUSES);}</pre>
 */
record Body(JsonNode node, String prefix) {

  /** Rejects fields the operation does not know, so a typo is not silently ignored. */
  Body allowOnly(Set<String> names) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!names.contains(name)) {
        throw ApiException.invalid(path(name), "unknown field; allowed fields are " + new TreeSet<>(names));
      }
    }
    return this;
  }

  String path(String name) {
    return prefix.isEmpty() ? name : prefix + "." + name;
  }

  boolean has(String name) {
    return node.hasNonNull(name);
  }

  int requiredInt(String name, int min, int max) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      throw ApiException.invalid(path(name), "is required");
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw ApiException.invalid(path(name), "must be an integer, got " + value);
    }
    int n = value.intValue();
    if (n < min || n > max) {
      throw ApiException.invalid(path(name), "must be between " + min + " and " + max + ", got " + n);
    }
    return n;
  }

  String requiredString(String name, int maxLength) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      throw ApiException.invalid(path(name), "is required");
    }
    if (!value.isTextual() || value.asText().isBlank()) {
      throw ApiException.invalid(path(name), "must be a non-empty string");
    }
    if (value.asText().length() > maxLength) {
      throw ApiException.invalid(path(name), "must be at most " + maxLength + " characters");
    }
    return value.asText();
  }

  String optionalString(String name, int maxLength) {
    return has(name) ? requiredString(name, maxLength) : null;
  }

  String requiredEnum(String name, List<String> allowed) {
    String value = requiredString(name, 100);
    if (!allowed.contains(value)) {
      throw ApiException.invalid(path(name), "must be one of " + allowed + ", got '" + value + "'");
    }
    return value;
  }

  String optionalEnum(String name, List<String> allowed) {
    return has(name) ? requiredEnum(name, allowed) : null;
  }
}
