package dev.codemode.spec;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shared specs: system property {@code codemode.shared}, else {@code ../../shared} from the module. */
public final class SharedFiles {
  private SharedFiles() {}

  public static Path dir() {
    String prop = System.getProperty("codemode.shared");
    Path dir = prop != null ? Path.of(prop) : Path.of("../../shared").toAbsolutePath().normalize();
    if (!Files.isDirectory(dir.resolve("specs"))) {
      throw new IllegalStateException("Shared specs not found at " + dir + "; pass -Dcodemode.shared=/path/to/shared");
    }
    return dir;
  }

  private static final java.util.Map<String, ApiSpec> LOADED = new java.util.concurrent.ConcurrentHashMap<>();

  /** Loads a shared file once per test JVM (the big specs take seconds each). */
  public static synchronized ApiSpec load(String name, String relative) throws SpecException {
    ApiSpec spec = LOADED.get(name + "=" + relative);
    if (spec == null) {
      spec = SpecLoader.load(name, dir().resolve(relative).toString());
      LOADED.put(name + "=" + relative, spec);
    }
    return spec;
  }

  public static String spec(String file) {
    return dir().resolve("specs").resolve(file).toString();
  }

  public static String restbench(String file) {
    return dir().resolve("search-eval/restbench").resolve(file).toString();
  }
}
