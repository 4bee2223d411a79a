package dev.codemode.spec;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the real specs and eval sets the tests use: the repository's own {@code test-data/} (see its README for
 * sources and licences), or the folder named by the system property {@code codemode.shared}. A file kept compressed
 * ({@code github-rest-3.0.json.gz}) is found by its plain name; the loader unpacks it.
 */
public final class SharedFiles {
  private SharedFiles() {}

  public static Path dir() {
    String prop = System.getProperty("codemode.shared");
    Path dir = prop != null ? Path.of(prop) : Path.of("../test-data").toAbsolutePath().normalize();
    if (!Files.isDirectory(dir.resolve("specs"))) {
      throw new IllegalStateException("Test specs not found at " + dir + "; run from the module directory (Maven"
          + " does) or pass -Dcodemode.shared=/path/to/test-data");
    }
    return dir;
  }

  private static final java.util.Map<String, ApiSpec> LOADED = new java.util.concurrent.ConcurrentHashMap<>();

  /** Loads a file once per test JVM (the big specs take seconds each). */
  public static synchronized ApiSpec load(String name, String relative) throws SpecException {
    ApiSpec spec = LOADED.get(name + "=" + relative);
    if (spec == null) {
      spec = SpecLoader.load(name, resolve(relative));
      LOADED.put(name + "=" + relative, spec);
    }
    return spec;
  }

  public static String spec(String file) {
    return resolve("specs/" + file);
  }

  public static String restbench(String file) {
    return resolve("search-eval/restbench/" + file);
  }

  /** The file as named, else its {@code .gz} copy. */
  public static String resolve(String relative) {
    return resolve(dir(), relative).toString();
  }

  /** Under {@code root}: the file as named, else its {@code .gz} copy. */
  public static Path resolve(Path root, String relative) {
    Path p = root.resolve(relative);
    Path gz = root.resolve(relative + ".gz");
    return Files.exists(p) || !Files.exists(gz) ? p : gz;
  }
}
