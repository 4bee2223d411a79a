package dev.codemode.server.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * A credential value read from the environment or a file. Its {@link #toString()} never shows the value, so it cannot
 * leak into a log line or an error by accident. Immutable and thread-safe.
 *
 * <pre>{@code
 * Secret key = Secret.resolve("env:TMDB_KEY", System.getenv());
 * request.header("X-Api-Key", key.reveal());
 * }</pre>
 */
public final class Secret {
  private final String source;
  private final String value;

  private Secret(String source, String value) {
    this.source = source;
    this.value = value;
  }

  /**
   * Resolves a reference of the form {@code env:VAR} or {@code file:PATH}.
   *
   * @throws ConfigException naming the reference when it is malformed, the variable is unset or empty, or the file
   *                         cannot be read
   */
  public static Secret resolve(String ref, Map<String, String> env) throws ConfigException {
    Objects.requireNonNull(ref, "ref");
    if (ref.startsWith("env:")) {
      String var = ref.substring(4);
      String v = env.get(var);
      if (var.isEmpty() || v == null || v.isEmpty()) {
        throw new ConfigException("environment variable " + var + " is not set (needed by " + ref
            + "); export it before starting the server");
      }
      return new Secret(ref, v);
    }
    if (ref.startsWith("file:")) {
      Path p = Path.of(ref.substring(5));
      try {
        String v = Files.readString(p, StandardCharsets.UTF_8).strip();
        if (v.isEmpty()) {
          throw new ConfigException("secret file " + p + " is empty");
        }
        return new Secret(ref, v);
      } catch (IOException e) {
        throw new ConfigException("cannot read secret file " + p + ": " + e.getClass().getSimpleName());
      }
    }
    throw new ConfigException("secret reference '" + ref + "' must be env:VAR or file:PATH (the value itself is never "
        + "accepted on the command line)");
  }

  /** For tests and the embedded demo only: a secret held in memory. */
  public static Secret of(String source, String value) {
    return new Secret(source, Objects.requireNonNull(value, "value"));
  }

  /** The secret value. Call only where it leaves the process towards the upstream. */
  /** The same value under another name (e.g. a client token named on the command line), never revealed. */
  public Secret named(String newSource) {
    return new Secret(newSource, value);
  }

  public String reveal() {
    return value;
  }

  /** Where it came from, e.g. {@code env:TMDB_KEY}; safe to show. */
  public String source() {
    return source;
  }

  @Override
  public String toString() {
    return "Secret(" + source + ")";
  }
}
