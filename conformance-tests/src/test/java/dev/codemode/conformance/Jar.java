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

  static Path shared() {
    return Path.of(System.getProperty("codemode.shared", "../../shared")).toAbsolutePath().normalize();
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
