package dev.codemode.server.config;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The server's version, written once in the pom and copied into {@code codemode/version.properties} by resource
 * filtering. {@code --version} and the MCP {@code serverInfo} both read it. Stateless.
 */
public final class Version {
  /** For example {@code 0.1.0-SNAPSHOT}; {@code unknown} when the resource is missing (classes run outside the jar). */
  public static final String VALUE = load();

  private Version() {}

  private static String load() {
    try (InputStream in = Version.class.getResourceAsStream("/codemode/version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version", "unknown");
      return v.startsWith("${") ? "unknown" : v;
    } catch (IOException e) {
      return "unknown";
    }
  }
}
