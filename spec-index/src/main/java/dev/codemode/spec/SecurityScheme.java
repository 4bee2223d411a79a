package dev.codemode.spec;

import java.util.Objects;

/**
 * A security scheme declared by the spec (OpenAPI {@code components.securitySchemes} or Swagger 2
 * {@code securityDefinitions}), normalised. Immutable.
 *
 * @param name      the key under which the spec declares it, e.g. {@code bearerAuth}
 * @param type      kind of credential
 * @param scheme    for {@link Type#HTTP}: {@code bearer} or {@code basic} (lower case); otherwise null
 * @param in        for {@link Type#API_KEY}: {@code header}, {@code query} or {@code cookie}; otherwise null
 * @param paramName for {@link Type#API_KEY}: the header, query or cookie name; otherwise null
 * @param tokenUrl  for {@link Type#OAUTH2}: the client-credentials token URL, when the spec declares that flow
 */
public record SecurityScheme(String name, Type type, String scheme, String in, String paramName, String tokenUrl) {

  public SecurityScheme {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
  }

  /** Kinds of scheme. */
  public enum Type { HTTP, API_KEY, OAUTH2, OPEN_ID_CONNECT, OTHER }
}
