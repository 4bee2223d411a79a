package dev.codemode.spec.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codemode.spec.ApiSpec;
import dev.codemode.spec.Operation;
import dev.codemode.spec.SecurityScheme;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The in-memory {@link ApiSpec}: compact operations plus the raw OpenAPI 3 shaped tree, which detail views read
 * lazily. Immutable and thread-safe.
 */
final class LoadedSpec implements ApiSpec {
  private final String name;
  private final String title;
  private final String location;
  private final String serverUrl;
  private final List<Operation> operations;
  private final Map<String, Operation> byId;
  private final Map<String, SecurityScheme> schemes;
  private final List<String> warnings;
  private final String contentHash;
  private final List<dev.codemode.spec.Area> areas;
  /** The document tree, parsed in the background on a warm start (from the spec cache): joined on first use. */
  private final Supplier<JsonNode> tree;
  private volatile DetailView details;

  LoadedSpec(String name, String title, String location, String serverUrl, List<Operation> operations,
      Map<String, SecurityScheme> schemes, List<String> warnings, String contentHash, Supplier<JsonNode> tree,
      Map<String, String> tagDescriptions) {
    this.name = name;
    this.title = title;
    this.location = location;
    this.serverUrl = serverUrl;
    this.operations = List.copyOf(operations);
    Map<String, Operation> ids = new LinkedHashMap<>();
    operations.forEach(op -> ids.put(op.operationId(), op));
    this.byId = ids;
    this.schemes = Map.copyOf(schemes);
    this.warnings = List.copyOf(warnings);
    this.contentHash = contentHash;
    this.tree = tree;
    this.areas = List.copyOf(dev.codemode.spec.Area.all(this.operations, tagDescriptions));
  }

  /** The tags' descriptions by tag name, for {@link #areas()} (and the spec cache). */
  static Map<String, String> tagDescriptions(JsonNode tree) {
    Map<String, String> out = new LinkedHashMap<>();
    if (tree != null) {
      for (JsonNode tag : tree.path("tags")) {
        out.put(tag.path("name").asText(), tag.path("description").asText(""));
      }
    }
    return out;
  }

  private DetailView details() {
    DetailView d = details;
    if (d == null) {
      d = new DetailView(tree.get());
      details = d;
    }
    return d;
  }

  @Override
  public List<dev.codemode.spec.Area> areas() {
    return areas;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String title() {
    return title;
  }

  @Override
  public String location() {
    return location;
  }

  @Override
  public Optional<String> serverUrl() {
    return Optional.ofNullable(serverUrl);
  }

  @Override
  public List<Operation> operations() {
    return operations;
  }

  @Override
  public Optional<Operation> operation(String operationId) {
    return Optional.ofNullable(byId.get(Objects.requireNonNull(operationId, "operationId")));
  }

  @Override
  public Map<String, SecurityScheme> securitySchemes() {
    return schemes;
  }

  @Override
  public List<String> warnings() {
    return warnings;
  }

  @Override
  public String contentHash() {
    return contentHash;
  }

  @Override
  public String detailJson(String operationId, int budgetChars) {
    Operation op = operation(operationId).orElseThrow(() -> new IllegalArgumentException("No operation '"
        + operationId + "' in API '" + name + "'. Closest ids: "
        + String.join(", ", closestOperationIds(operationId, 3))
        + ". Use search to find the right operationId."));
    return details().operation(op, budgetChars);
  }

  @Override
  public List<String> closestOperationIds(String unknownId, int max) {
    return IdSuggester.closest(unknownId, byId.keySet(), max);
  }

  @Override
  public Optional<String> signature(String operationId) {
    return operation(operationId).map(op -> details().signature(op));
  }

  @Override
  public Optional<JsonNode> document() {
    return Optional.ofNullable(tree.get());
  }

  @Override
  public Optional<String> nodeJson(String jsonPointer, int budgetChars) {
    Objects.requireNonNull(jsonPointer, "jsonPointer");
    return details().node(jsonPointer, budgetChars);
  }

  @Override
  public String toString() {
    return "ApiSpec[" + name + ", " + operations.size() + " operations, " + location + "]";
  }
}
