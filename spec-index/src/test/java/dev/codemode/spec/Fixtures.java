package dev.codemode.spec;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Test fixtures on the classpath, by file name. */
public final class Fixtures {
  private Fixtures() {}

  public static String path(String name) {
    try {
      return Path.of(Fixtures.class.getResource("/fixtures/" + name).toURI()).toString();
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("Missing test fixture " + name, e);
    }
  }

  public static ApiSpec load(String name) throws SpecException {
    return SpecLoader.load("api", path(name));
  }
}
