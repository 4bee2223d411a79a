package dev.codemode.server.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the skills live: an embedded SQLite file, or a PostgreSQL database shared by several instances. Immutable.
 *
 * @param jdbcUrl  {@code jdbc:sqlite:/path/skills.db} or {@code jdbc:postgresql://host/db}
 * @param user     database user (PostgreSQL), or null
 * @param password database password (PostgreSQL), or null; never shown
 */
public record StoreLocation(String jdbcUrl, String user, Secret password) {

  /** The name of the SQLite file under the data directory. */
  public static final String SQLITE_FILE = "skills.db";

  public StoreLocation {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
  }

  public static StoreLocation sqlite(Path dataDir) {
    return new StoreLocation("jdbc:sqlite:" + dataDir.resolve(SQLITE_FILE).toAbsolutePath(), null, null);
  }

  public boolean postgres() {
    return jdbcUrl.startsWith("jdbc:postgresql:");
  }

  /** The URL without its query string (which may carry a password), for messages. */
  public String describe() {
    int q = jdbcUrl.indexOf('?');
    return q < 0 ? jdbcUrl : jdbcUrl.substring(0, q);
  }

  /** The user's data directory: {@code $XDG_DATA_HOME/codemode}, else {@code ~/.local/share/codemode}. */
  public static Path defaultDataDir(java.util.Map<String, String> env) {
    String xdg = env.get("XDG_DATA_HOME");
    if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
      return Path.of(xdg, "codemode");
    }
    return Path.of(System.getProperty("user.home"), ".local", "share", "codemode");
  }
}
