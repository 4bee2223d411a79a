package dev.codemode.spec.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codemode.spec.Operation;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a swagger-parser {@link OpenAPI} model (parsed without resolving) into compact {@link Operation}s: merges
 * path-level and operation-level parameters, follows local {@code $ref}s of parameters and bodies, computes effective
 * security and generates stable ids where the spec has none. Not thread-safe; use one per document.
 */
final class OperationExtractor {
  private final String api;
  private final OpenAPI model;
  private final Components components;
  /** The document as a tree, for {@code $ref}s that point anywhere but {@code #/components/parameters/}. */
  private final JsonNode tree;
  private final List<String> warnings;
  private final boolean securityDeclared;

  OperationExtractor(String api, OpenAPI model, JsonNode tree, List<String> warnings) {
    this.api = api;
    this.model = model;
    this.tree = tree;
    this.components = model.getComponents();
    this.warnings = warnings;
    this.securityDeclared = model.getSecurity() != null || anyOperationDeclaresSecurity(model);
  }

  List<Operation> extract() {
    List<Operation> out = new ArrayList<>();
    if (model.getPaths() == null) {
      return out;
    }
    Set<String> ids = new HashSet<>();
    model.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> {
      String id = op.getOperationId();
      if (id != null && !id.isBlank() && !ids.add(id)) {
        warnings.add("Duplicate operationId '" + id + "' at " + method + " " + path + "; renamed.");
        id = null;
      }
      if (id != null && !id.isBlank()) {
        return;
      }
      op.setOperationId(null);
    }));
    // Second pass: generated ids must not collide with any declared id, so they are made after all declared ones.
    model.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> {
      String id = op.getOperationId();
      if (id == null || id.isBlank()) {
        id = unique(generatedId(method.name(), path), ids);
        op.setOperationId(id);
      }
      out.add(toOperation(path, item, method.name(), op));
    }));
    return out;
  }

  static String generatedId(String method, String path) {
    StringBuilder sb = new StringBuilder(method.toLowerCase(Locale.ROOT));
    for (String seg : path.split("/")) {
      String clean = seg.replaceAll("[{}]", "").replaceAll("[^A-Za-z0-9]+", "_").replaceAll("^_+|_+$", "");
      if (!clean.isEmpty()) {
        sb.append('_').append(clean);
      }
    }
    return sb.length() == method.length() ? sb + "_root" : sb.toString();
  }

  private static String unique(String base, Set<String> taken) {
    String id = base;
    for (int n = 2; !taken.add(id); n++) {
      id = base + "_" + n;
    }
    return id;
  }

  private Operation toOperation(String path, PathItem item, String method, io.swagger.v3.oas.models.Operation op) {
    Map<String, Operation.Parameter> params = new LinkedHashMap<>();
    addParams(item.getParameters(), params);
    addParams(op.getParameters(), params);
    String summary = op.getSummary() == null || op.getSummary().isBlank() ? item.getSummary() : op.getSummary();
    String description = op.getDescription() == null ? item.getDescription() : op.getDescription();
    // A path key may carry a #fragment to tell apart operations on the same path and method; the request path is the
    // part before it.
    int hash = path.indexOf('#');
    return new Operation(api, op.getOperationId(), method.toUpperCase(Locale.ROOT),
        hash > 0 ? path.substring(0, hash) : path,
        summary == null ? "" : summary.strip(), description == null ? "" : description.strip(), op.getTags(),
        new ArrayList<>(params.values()), body(op.getRequestBody()), security(op.getSecurity()),
        Boolean.TRUE.equals(op.getDeprecated()));
  }

  private void addParams(List<Parameter> list, Map<String, Operation.Parameter> into) {
    if (list == null) {
      return;
    }
    for (Parameter p : list) {
      Parameter resolved = resolve(p);
      if (resolved == null || resolved.getName() == null || resolved.getIn() == null) {
        continue;
      }
      Schema<?> schema = resolved.getSchema();
      if (schema == null && resolved.getContent() != null && !resolved.getContent().isEmpty()) {
        schema = resolved.getContent().values().iterator().next().getSchema();
      }
      into.put(resolved.getIn() + ":" + resolved.getName(), new Operation.Parameter(resolved.getName(),
          resolved.getIn(), Boolean.TRUE.equals(resolved.getRequired()) || "path".equals(resolved.getIn()),
          TypeSummary.of(schema, components), resolved.getDescription() == null ? "" : resolved.getDescription().strip()));
    }
  }

  private Parameter resolve(Parameter p) {
    Parameter cur = p;
    for (int hop = 0; cur != null && cur.get$ref() != null && hop < 4; hop++) {
      String name = TypeSummary.refName(cur.get$ref(), "#/components/parameters/");
      Parameter next = name == null || components == null || components.getParameters() == null ? null
          : components.getParameters().get(name);
      if (next == null) {
        next = byPointer(cur.get$ref());
      }
      if (next == null) {
        warnings.add("Unresolved parameter $ref '" + cur.get$ref() + "'; the parameter is left out.");
        return null;
      }
      cur = next;
    }
    return cur;
  }

  /**
   * A parameter at any local JSON pointer, e.g. one operation's parameter reused by another
   * ({@code #/paths/~1v2~1account~1keys/get/parameters/0}); null when the pointer names nothing.
   */
  private Parameter byPointer(String ref) {
    if (tree == null || ref == null || !ref.startsWith("#/")) {
      return null;
    }
    JsonNode node = tree.at(JsonPointers.decodeUrl(ref.substring(1)));
    if (!node.isObject()) {
      return null;
    }
    try {
      return io.swagger.v3.core.util.Json.mapper().convertValue(node, Parameter.class);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private Operation.RequestBody body(RequestBody body) {
    RequestBody cur = body;
    for (int hop = 0; cur != null && cur.get$ref() != null && hop < 4; hop++) {
      String name = TypeSummary.refName(cur.get$ref(), "#/components/requestBodies/");
      cur = name == null || components == null || components.getRequestBodies() == null ? null
          : components.getRequestBodies().get(name);
    }
    if (cur == null) {
      return null;
    }
    Content content = cur.getContent();
    List<String> types = content == null ? List.of() : new ArrayList<>(content.keySet());
    return new Operation.RequestBody(Boolean.TRUE.equals(cur.getRequired()), types, fieldNames(content));
  }

  @SuppressWarnings("rawtypes")
  private List<String> fieldNames(Content content) {
    if (content == null || content.isEmpty()) {
      return List.of();
    }
    MediaType media = content.entrySet().stream().filter(e -> e.getKey().contains("json")).map(Map.Entry::getValue)
        .findFirst().orElse(content.values().iterator().next());
    Set<String> names = new LinkedHashSet<>();
    collectProperties(media == null ? null : media.getSchema(), names, 0);
    return new ArrayList<>(names);
  }

  @SuppressWarnings("rawtypes")
  private void collectProperties(Schema<?> schema, Set<String> into, int depth) {
    Schema<?> s = TypeSummary.deref(schema, components);
    if (s == null || depth > 3) {
      return;
    }
    if (s.getProperties() != null) {
      into.addAll(s.getProperties().keySet());
    }
    if (s.getAllOf() != null) {
      for (Schema part : s.getAllOf()) {
        collectProperties(part, into, depth + 1);
      }
    }
  }

  private List<List<String>> security(List<SecurityRequirement> own) {
    List<SecurityRequirement> effective = own != null ? own : model.getSecurity();
    if (effective == null) {
      return securityDeclared ? List.of() : null;
    }
    List<List<String>> out = new ArrayList<>();
    for (SecurityRequirement req : effective) {
      out.add(new ArrayList<>(req.keySet()));
    }
    return out;
  }

  private static boolean anyOperationDeclaresSecurity(OpenAPI model) {
    if (model.getPaths() == null) {
      return false;
    }
    return model.getPaths().values().stream().flatMap(item -> item.readOperations().stream())
        .anyMatch(op -> op.getSecurity() != null);
  }
}
