package dev.codemode.demo;

/**
 * A client-visible failure, written as {@code {"error":{"code":..,"message":..,"field":..}}}.
 *
 * <p>Immutable. Example:
 * <pre>{@code throw ApiException.notFound("order", 42);
 * throw ApiException.invalid("items[0].quantity", "must be between 1 and 1000");}</pre>
 */
final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final String field;

  ApiException(int status, String code, String message, String field) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.field = field;
  }

  static ApiException notFound(String resource, Object id) {
    return new ApiException(404, "not_found", "No " + resource + " with id " + id + ".", null);
  }

  /** 422 for a well-formed request whose body fails validation; {@code field} is a JSON path. */
  static ApiException invalid(String field, String message) {
    return new ApiException(422, "validation_failed", field + ": " + message, field);
  }

  /** 400 for a malformed query parameter or body. */
  static ApiException badRequest(String parameter, String message) {
    return new ApiException(400, "bad_request", parameter + ": " + message, parameter);
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }

  String field() {
    return field;
  }
}
