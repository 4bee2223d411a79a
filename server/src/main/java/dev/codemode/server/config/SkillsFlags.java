package dev.codemode.server.config;

import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The skills flags, as a picocli mixin shared by the server command line and {@code codemode-mcp skills ...}: the
 * mode and where the store is. {@link #toConfig} validates and resolves the password. Not thread-safe (picocli fills
 * it once).
 *
 * <pre>{@code
 * SkillsConfig c = options.skills().toConfig(System.getenv());
 * }</pre>
 */
public final class SkillsFlags {


  @Option(names = "--skills", paramLabel = "off|on|approve", defaultValue = "on",
      description = "Scripts may save skills (skills.save) and reuse them in later sessions; approve asks the user "
          + "(elicitation) before each save (default ${DEFAULT-VALUE}).")
  String mode;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the embedded skill store (SQLite, "
      + "skills.db) lives (default $XDG_DATA_HOME/codemode or ~/.local/share/codemode).")
  Path dataDir;

  @Option(names = "--store", paramLabel = "JDBC_URL", description = "Keep skills in PostgreSQL instead, shared by "
      + "several instances, e.g. jdbc:postgresql://db:5432/codemode.")
  String store;

  @Option(names = "--store-user", paramLabel = "USER", description = "PostgreSQL user for --store.")
  String storeUser;

  @Option(names = "--store-password", paramLabel = "env:VAR|file:PATH", description = "PostgreSQL password for "
      + "--store.")
  String storePassword;

  /** Whether --data-dir or --store was given. */
  public boolean storeGiven() {
    return dataDir != null || store != null;
  }

  public SkillsConfig toConfig(Map<String, String> env) throws ConfigException {
    SkillsConfig.Mode m;
    try {
      m = SkillsConfig.Mode.parse(mode == null ? "on" : mode);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
    if (m == SkillsConfig.Mode.OFF) {
      return SkillsConfig.OFF;
    }
    return new SkillsConfig(m, location(env));
  }

  /** Where the store is, whatever the mode (for {@code codemode-mcp skills}). */
  public StoreLocation location(Map<String, String> env) throws ConfigException {
    if (store == null) {
      if (storeUser != null || storePassword != null) {
        throw new ConfigException("--store-user and --store-password apply to --store jdbc:postgresql://... only");
      }
      return StoreLocation.sqlite(dataDir != null ? dataDir : StoreLocation.defaultDataDir(env));
    }
    if (!store.startsWith("jdbc:postgresql://")) {
      throw new ConfigException("--store must be a PostgreSQL JDBC URL such as jdbc:postgresql://db:5432/codemode, "
          + "not '" + new StoreLocation(store, null, null).describe() + "' (without --store skills go to an embedded "
          + "SQLite file under --data-dir)");
    }
    if (store.contains("password=")) {
      throw new ConfigException("--store must not carry the password; pass --store-password env:VAR or file:PATH");
    }
    Secret password = storePassword == null ? null : Secret.resolve(storePassword, env);
    return new StoreLocation(store, storeUser, password);
  }
}
