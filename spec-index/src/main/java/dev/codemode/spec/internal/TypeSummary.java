package dev.codemode.spec.internal;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.media.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Compact one-word type summaries of swagger-parser schemas, such as {@code string}, {@code integer[]} or
 * {@code "asc"|"desc"}, following local {@code $ref}s a few levels. Stateless and thread-safe.
 */
final class TypeSummary {
  private static final int MAX_ENUM = 8;
  private static final int MAX_REF_HOPS = 4;

  private TypeSummary() {}

  static String of(Schema<?> schema, Components components) {
    return of(schema, components, 0);
  }

  @SuppressWarnings("rawtypes")
  static Schema<?> deref(Schema<?> schema, Components components) {
    Schema<?> s = schema;
    for (int hop = 0; s != null && s.get$ref() != null && hop < MAX_REF_HOPS; hop++) {
      String name = refName(s.get$ref(), "#/components/schemas/");
      Map<String, Schema> schemas = components == null ? null : components.getSchemas();
      Schema<?> target = name == null || schemas == null ? null : schemas.get(name);
      if (target == null) {
        return s;
      }
      s = target;
    }
    return s;
  }

  static String refName(String ref, String prefix) {
    return ref != null && ref.startsWith(prefix) ? ref.substring(prefix.length()) : null;
  }

  private static String of(Schema<?> schema, Components components, int depth) {
    if (schema == null || depth > MAX_REF_HOPS) {
      return "";
    }
    if (schema.get$ref() != null) {
      Schema<?> target = deref(schema, components);
      if (target == schema || target.get$ref() != null) {
        String ref = schema.get$ref();
        return ref.substring(ref.lastIndexOf('/') + 1);
      }
      String inner = of(target, components, depth + 1);
      return inner.equals("object") ? ref(schema.get$ref()) : inner;
    }
    List<?> values = schema.getEnum();
    if (values != null && !values.isEmpty()) {
      List<String> parts = new ArrayList<>();
      for (Object v : values) {
        if (parts.size() == MAX_ENUM) {
          parts.add("…");
          break;
        }
        parts.add(v instanceof String str ? '"' + str + '"' : String.valueOf(v));
      }
      return String.join("|", parts);
    }
    String type = type(schema);
    if ("array".equals(type)) {
      String item = of(schema.getItems(), components, depth + 1);
      return (item.isEmpty() ? "any" : item.contains("|") ? "(" + item + ")" : item) + "[]";
    }
    if (type == null) {
      List<Schema> alts = schema.getOneOf() != null ? schema.getOneOf() : schema.getAnyOf();
      if (alts != null && !alts.isEmpty()) {
        List<String> parts = new ArrayList<>();
        for (Schema<?> alt : alts) {
          String p = of(alt, components, depth + 1);
          if (!p.isEmpty() && !parts.contains(p)) {
            parts.add(p);
          }
        }
        return String.join("|", parts);
      }
      if (schema.getAllOf() != null && schema.getAllOf().size() == 1) {
        return of(schema.getAllOf().get(0), components, depth + 1);
      }
      return schema.getProperties() != null ? "object" : "";
    }
    return type;
  }

  private static String ref(String ref) {
    return ref.substring(ref.lastIndexOf('/') + 1);
  }

  static String type(Schema<?> schema) {
    if (schema.getType() != null) {
      return schema.getType();
    }
    if (schema.getTypes() != null) {
      for (String t : schema.getTypes()) {
        if (!"null".equals(t)) {
          return t;
        }
      }
    }
    return null;
  }
}
