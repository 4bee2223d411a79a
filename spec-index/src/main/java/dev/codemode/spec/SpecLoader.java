package dev.codemode.spec;

/**
 * Loads OpenAPI documents (JSON or YAML; Swagger 2.0, OpenAPI 3.0, 3.1) from a file path or an http(s)/file URL.
 *
 * <pre>{@code
 * ApiSpec petstore = SpecLoader.load("api", "petstore.yaml");
 * }</pre>
 *
 * Thread-safe; stateless.
 */
public final class SpecLoader {
  private SpecLoader() {}

  /**
   * Parses the document once.
   *
   * @param name     the API's short name
   * @param location a file path or URL
   * @throws SpecException when the document cannot be read or is not an OpenAPI document; the message names the file
   *                       and the place
   */
  public static ApiSpec load(String name, String location) throws SpecException {
    return dev.codemode.spec.internal.Indexes.readSpec(name, location, null);
  }

  /**
   * The same, with the parsed model cached under {@code cacheDir/specs} (null: no cache), keyed by the document's
   * SHA-256, so a later start with the same document skips the parse (GitHub's 13 MB spec: seconds). A stale, foreign
   * or corrupt cache file is ignored and rewritten.
   */
  public static ApiSpec load(String name, String location, java.nio.file.Path cacheDir) throws SpecException {
    return dev.codemode.spec.internal.Indexes.readSpec(name, location, cacheDir);
  }
}
