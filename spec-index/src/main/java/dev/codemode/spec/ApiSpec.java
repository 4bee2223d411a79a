package dev.codemode.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One parsed and indexed OpenAPI document (Swagger 2.0, OpenAPI 3.0 or 3.1). Parsed once at start-up; everything
 * here is immutable and thread-safe, and no call re-resolves the whole document.
 *
 * <pre>{@code
 * ApiSpec spec = SpecLoader.load("github", "specs/github-rest-3.0.json");
 * String json = spec.detailJson("repos/get", 8_000);
 * }</pre>
 */
public interface ApiSpec {

  /** The API's short name: the {@code name=} of {@code --spec name=path}, or "api" for a single unnamed spec. */
  String name();

  /** {@code info.title}, never null. */
  String title();

  /** Where the document was loaded from (path or URL), for messages. */
  String location();

  /**
   * The first server URL, with a relative URL resolved against the document's own URL (or file), server variables
   * replaced by their defaults. Empty when the spec declares none.
   */
  Optional<String> serverUrl();

  /** All operations in document order. */
  List<Operation> operations();

  /** Looks an operation up by (possibly generated) operationId. */
  Optional<Operation> operation(String operationId);

  /**
   * The API's areas for browsing: its tags (with their descriptions), or path groups for operations without tags,
   * in document order.
   */
  default List<Area> areas() {
    return Area.all(operations(), Map.of());
  }

  /** Declared security schemes by name. */
  Map<String, SecurityScheme> securitySchemes();

  /** Non-fatal problems met while loading (e.g. a dangling external $ref), each naming the place. */
  List<String> warnings();

  /** A stable hash of the document bytes (hex), e.g. for on-disk caches. */
  String contentHash();

  /**
   * A compact JSON detail view of one operation: parameters, request body schema and the success response schema, with
   * {@code $ref}s resolved lazily, cycles marked along the ancestor path only, and the whole cut to stay at or under
   * {@code budgetChars} while remaining valid JSON.
   *
   * @throws IllegalArgumentException when no operation has that id (the message suggests the closest ids)
   */
  String detailJson(String operationId, int budgetChars);

  /**
   * A JSON view of any node of the document by JSON pointer (e.g. {@code /components/schemas/Pet}), with refs resolved
   * lazily under the same rules and budget as {@link #detailJson}. Empty when the pointer names nothing.
   */
  Optional<String> nodeJson(String jsonPointer, int budgetChars);

  /**
   * The known operationIds closest to one that is not in the spec (edit distance and shared words), best first, at most
   * {@code max}: the one source of "did you mean" for an unknown id, wherever it is reported.
   */
  default List<String> closestOperationIds(String unknownId, int max) {
    return List.of();
  }

  /**
   * A compact TypeScript-style declaration of the operation (arguments with types, enums and optionality, the body's
   * shape, the success response's shape), shallow and at most ~700 characters, e.g.
   * {@code getOrder(args: {orderId: number}): Promise<Order>}. Empty when no operation has that id.
   */
  default Optional<String> signature(String operationId) {
    return Optional.empty();
  }

  /**
   * The OpenAPI 3 shaped document tree (Swagger 2.0 converted), for consumers that need the raw schemas, such as
   * argument checks. Shared and read-only: callers must never modify it. Empty when the spec has no tree.
   */
  default Optional<JsonNode> document() {
    return Optional.empty();
  }
}
