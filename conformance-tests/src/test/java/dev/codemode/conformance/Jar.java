package dev.codemode.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where the packaged server jar and the shared specs are, and how to start a JVM like the one running the tests. */
final class Jar {
  private Jar() {}

  static Path jar() {
    Path p = Path.of(System.getProperty("codemode.jar", "../server/target/codemode-mcp.jar")).toAbsolutePath()
        .normalize();
    assertTrue(Files.isRegularFile(p), "the packaged server jar is missing at " + p + ": run ./mvnw verify");
    return p;
  }

  /** The repository's {@code test-data/} (specs and eval sets with their sources), or {@code -Dcodemode.shared}. */
  static Path shared() {
    return Path.of(System.getProperty("codemode.shared", "../test-data")).toAbsolutePath().normalize();
  }

  /** A spec from {@link #shared()} by its plain name; big ones are kept as {@code NAME.gz}, which the server reads. */
  static Path spec(String file) {
    Path p = shared().resolve("specs").resolve(file);
    return Files.exists(p) ? p : shared().resolve("specs").resolve(file + ".gz");
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** {@code java <jvm flags> -jar codemode-mcp.jar <args>}. */
  static List<String> command(List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java());
    cmd.add("-Xss4m");
    cmd.add("-Dpolyglot.engine.WarnInterpreterOnly=false");
    cmd.add("-jar");
    cmd.add(jar().toString());
    cmd.addAll(args);
    return cmd;
  }
}
