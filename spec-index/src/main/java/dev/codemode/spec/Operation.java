package dev.codemode.spec;

import java.util.List;
import java.util.Objects;

/**
 * One HTTP operation of an indexed API, in the compact form the tools need. Immutable and thread-safe.
 *
 * <pre>{@code
 * Operation op = spec.operation("repos/get").orElseThrow();
 * String line = op.method() + " " + op.path();   // "GET /repos/{owner}/{repo}"
 * }</pre>
 *
 * @param api          name of the API this operation belongs to (the {@code --spec name=} prefix, or "api")
 * @param operationId  the spec's operationId, or a stable generated one ({@code get_pets_petId}) where the spec has none
 * @param method       upper-case HTTP method
 * @param path         path template relative to the base URL, e.g. {@code /pets/{petId}}
 * @param summary      one line, may be empty, never null
 * @param description  may be empty, never null (plain text, may be long)
 * @param tags         may be empty
 * @param parameters   path, query, header and cookie parameters (path-level and operation-level merged)
 * @param requestBody  null when the operation takes no body
 * @param security     effective security requirement alternatives (operation-level, else global): each inner list is
 *                     a set of scheme names that must all be satisfied; an empty outer list means "no auth needed";
 *                     null means the spec declares no security anywhere (then bound credentials go on every request)
 * @param deprecated   the spec marks it deprecated
 */
public record Operation(
    String api,
    String operationId,
    String method,
    String path,
    String summary,
    String description,
    List<String> tags,
    List<Parameter> parameters,
    RequestBody requestBody,
    List<List<String>> security,
    boolean deprecated) {

  public Operation {
    Objects.requireNonNull(api, "api");
    Objects.requireNonNull(operationId, "operationId");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    summary = summary == null ? "" : summary;
    description = description == null ? "" : description;
    tags = tags == null ? List.of() : List.copyOf(tags);
    parameters = parameters == null ? List.of() : List.copyOf(parameters);
    security = security == null ? null : security.stream().map(List::copyOf).toList();
  }

  /**
   * One parameter.
   *
   * @param in   "path", "query", "header" or "cookie"
   * @param type compact type summary such as {@code string}, {@code integer}, {@code string[]}, {@code "a"|"b"}
   */
  public record Parameter(String name, String in, boolean required, String type, String description) {
    public Parameter {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(in, "in");
      type = type == null ? "" : type;
      description = description == null ? "" : description;
    }
  }

  /**
   * The request body.
   *
   * @param contentTypes media types in spec order, e.g. {@code application/json}
   * @param fieldNames   top-level property names of the (first) body schema, for search and hints
   */
  public record RequestBody(boolean required, List<String> contentTypes, List<String> fieldNames) {
    public RequestBody {
      contentTypes = contentTypes == null ? List.of() : List.copyOf(contentTypes);
      fieldNames = fieldNames == null ? List.of() : List.copyOf(fieldNames);
    }
  }
}
