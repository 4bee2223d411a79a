package dev.codemode.server.skills;

import dev.codemode.server.config.StoreLocation;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SkillStore} over JDBC: SQLite (embedded, one file) or PostgreSQL (shared by several instances), with the
 * same schema, migrated by Flyway, behind a HikariCP pool. A save computes the next version inside its INSERT; when
 * two instances race, the primary key (api, owner, name, version) rejects the second, which retries with the next
 * number, so no save is lost. Thread-safe.
 *
 * <pre>{@code
 * try (JdbcSkillStore store = JdbcSkillStore.open(StoreLocation.sqlite(Path.of("/tmp/x")))) { ... }
 * }</pre>
 */
public final class JdbcSkillStore implements SkillStore {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcSkillStore.class);
  private static final int SAVE_ATTEMPTS = 20;
  private static final String COLUMNS_NO_CODE = "api, owner, name, version, description, params, created_at, "
      + "created_by, runs, successes, failures, total_ms, last_used";

  private final HikariDataSource pool;
  private final StoreLocation location;

  private JdbcSkillStore(HikariDataSource pool, StoreLocation location) {
    this.pool = pool;
    this.location = location;
  }

  /** Opens (creating the SQLite file and its directory if needed) and migrates the schema to the latest version. */
  public static JdbcSkillStore open(StoreLocation location) {
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(location.jdbcUrl());
    hc.setPoolName("codemode-skills");
    hc.setConnectionTimeout(10_000);
    if (location.postgres()) {
      hc.setDriverClassName("org.postgresql.Driver");
      hc.setMaximumPoolSize(8);
      hc.setMinimumIdle(1);
      if (location.user() != null) {
        hc.setUsername(location.user());
      }
      if (location.password() != null) {
        hc.setPassword(location.password().reveal());
      }
    } else {
      hc.setDriverClassName("org.sqlite.JDBC");
      // WAL lets readers run beside the one writer; busy_timeout makes a second process wait for the lock, not fail.
      hc.addDataSourceProperty("journal_mode", "WAL");
      hc.addDataSourceProperty("busy_timeout", "10000");
      // With WAL, NORMAL syncs at checkpoints, not on every commit: a crash cannot corrupt the file, and a power cut
      // can lose at most the last saves (measured: a save drops from ~15 ms to ~1 ms).
      hc.addDataSourceProperty("synchronous", "NORMAL");
      hc.setConnectionInitSql("PRAGMA busy_timeout = 10000");
      hc.setMaximumPoolSize(4);
      hc.setMinimumIdle(1);
      createParent(location);
    }
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(hc);
    } catch (RuntimeException e) {
      throw new SkillStoreException("cannot open the skill store " + location.describe() + ": " + rootMessage(e)
          + (location.postgres() ? "; check --store, --store-user and --store-password" : "; check --data-dir"), e);
    }
    // Two processes starting at once on a fresh SQLite file may race to create the schema (PostgreSQL takes an
    // advisory lock instead): the loser retries against the finished schema.
    for (int attempt = 1; ; attempt++) {
      try {
        Flyway.configure().dataSource(pool).locations("classpath:codemode/skills/db")
            .table("codemode_schema_history").load().migrate();
        break;
      } catch (RuntimeException e) {
        if (attempt < 3 && !location.postgres()) {
          LOG.debug("skill store migration attempt {} failed: {}", attempt, e.getMessage());
          sleep(200L * attempt);
          continue;
        }
        pool.close();
        throw new SkillStoreException("cannot migrate the skill store " + location.describe() + ": "
            + rootMessage(e), e);
      }
    }
    LOG.info("skill store at {}", location.describe());
    return new JdbcSkillStore(pool, location);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void createParent(StoreLocation location) {
    String file = location.jdbcUrl().substring("jdbc:sqlite:".length());
    int q = file.indexOf('?');
    Path p = Path.of(q < 0 ? file : file.substring(0, q)).toAbsolutePath();
    try {
      Files.createDirectories(p.getParent());
    } catch (java.io.IOException e) {
      throw new SkillStoreException("cannot create the data directory " + p.getParent() + ": " + e.getMessage()
          + "; pass --data-dir DIR", e);
    }
  }

  @Override
  public Skill save(Draft d) {
    String sql = "INSERT INTO skill_version (api, owner, name, version, description, params, code, created_at, "
        + "created_by) SELECT ?, ?, ?, COALESCE(MAX(version), 0) + 1, ?, ?, ?, ?, ? FROM skill_version "
        + "WHERE api = ? AND owner = ? AND name = ? RETURNING version";
    for (int attempt = 1; ; attempt++) {
      long now = System.currentTimeMillis();
      try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
        int i = 1;
        ps.setString(i++, d.api());
        ps.setString(i++, d.owner());
        ps.setString(i++, d.name());
        ps.setString(i++, d.description());
        ps.setString(i++, d.params());
        ps.setString(i++, d.code());
        ps.setLong(i++, now);
        ps.setString(i++, d.createdBy());
        ps.setString(i++, d.api());
        ps.setString(i++, d.owner());
        ps.setString(i, d.name());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return new Skill(d.api(), d.owner(), d.name(), rs.getInt(1), d.description(), d.params(), d.code(), now,
              d.createdBy(), Skill.Stats.NONE);
        }
      } catch (SQLException e) {
        if (duplicate(e) && attempt < SAVE_ATTEMPTS) {
          LOG.debug("version race on {} (attempt {}); retrying", d.name(), attempt);
          Thread.onSpinWait();
          continue;
        }
        throw failure("save skill " + d.name(), e);
      }
    }
  }

  /** A unique-key violation: PostgreSQL's SQLState 23505, SQLite's SQLITE_CONSTRAINT (19). */
  static boolean duplicate(SQLException e) {
    String state = e.getSQLState();
    return "23505".equals(state) || (e.getErrorCode() == 19 && String.valueOf(e.getMessage()).contains("UNIQUE"))
        || String.valueOf(e.getMessage()).contains("SQLITE_CONSTRAINT_PRIMARYKEY");
  }

  @Override
  public Optional<Skill> find(String api, List<String> owners, String name, int version) {
    for (String owner : owners) {
      String sql = "SELECT " + COLUMNS_NO_CODE + ", code FROM skill_version WHERE api = ? AND owner = ? AND name = ?"
          + (version > 0 ? " AND version = ?" : " ORDER BY version DESC LIMIT 1");
      try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
        bindSkill(ps, api, owner, name, version);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            return Optional.of(row(rs, true));
          }
        }
      } catch (SQLException e) {
        throw failure("read skill " + name, e);
      }
    }
    return Optional.empty();
  }

  @Override
  public List<Skill> versions(String api, String owner, String name) {
    String sql = "SELECT " + COLUMNS_NO_CODE + ", code FROM skill_version WHERE api = ? AND owner = ? AND name = ? "
        + "ORDER BY version";
    List<Skill> out = new ArrayList<>();
    try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, api);
      ps.setString(2, owner);
      ps.setString(3, name);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(row(rs, true));
        }
      }
      return out;
    } catch (SQLException e) {
      throw failure("read the versions of skill " + name, e);
    }
  }

  @Override
  public List<Skill> latest(Collection<String> apis, Collection<String> owners, boolean withCode) {
    StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS_NO_CODE).append(withCode ? ", code" : "")
        .append(" FROM skill_version WHERE 1 = 1");
    appendIn(sql, "api", apis);
    appendIn(sql, "owner", owners);
    sql.append(" ORDER BY api, owner, name, version");
    Map<String, Skill> latest = new LinkedHashMap<>();
    try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
      bind(ps, apis, owners);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Skill s = row(rs, withCode);
          String key = s.api() + "\u0000" + s.owner() + "\u0000" + s.name();
          Skill prev = latest.get(key);
          latest.put(key, prev == null ? s : new Skill(s.api(), s.owner(), s.name(), s.version(), s.description(),
              s.params(), s.code(), s.createdAt(), s.createdBy(), s.stats().plus(prev.stats())));
        }
      }
      return List.copyOf(latest.values());
    } catch (SQLException e) {
      throw failure("list skills", e);
    }
  }

  @Override
  public String fingerprint(Collection<String> apis, Collection<String> owners) {
    StringBuilder sql = new StringBuilder("SELECT COUNT(*), COALESCE(MAX(created_at), 0), COALESCE(SUM(runs), 0), "
        + "COALESCE(SUM(successes), 0), COALESCE(MAX(version), 0) FROM skill_version WHERE 1 = 1");
    appendIn(sql, "api", apis);
    appendIn(sql, "owner", owners);
    try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
      bind(ps, apis, owners);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1) + "/" + rs.getLong(2) + "/" + rs.getLong(3) + "/" + rs.getLong(4) + "/" + rs.getLong(5);
      }
    } catch (SQLException e) {
      throw failure("list skills", e);
    }
  }

  /** Binds api, owner, name and, when positive, version as parameters 1 to 4. */
  private static void bindSkill(PreparedStatement ps, String api, String owner, String name, int version)
      throws SQLException {
    ps.setString(1, api);
    ps.setString(2, owner);
    ps.setString(3, name);
    if (version > 0) {
      ps.setInt(4, version);
    }
  }

  private static void bind(PreparedStatement ps, Collection<String> apis, Collection<String> owners)
      throws SQLException {
    int i = 1;
    for (Collection<String> values : java.util.Arrays.asList(apis, owners)) {
      if (values != null) {
        for (String v : values) {
          ps.setString(i++, v);
        }
      }
    }
  }

  private static void appendIn(StringBuilder sql, String column, Collection<String> values) {
    if (values == null) {
      return;
    }
    if (values.isEmpty()) {
      sql.append(" AND 1 = 0");
      return;
    }
    sql.append(" AND ").append(column).append(" IN (").append("?,".repeat(values.size() - 1)).append("?)");
  }

  @Override
  public int remove(String api, String owner, String name, int version) {
    String sql = "DELETE FROM skill_version WHERE api = ? AND owner = ? AND name = ?"
        + (version > 0 ? " AND version = ?" : "");
    try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      bindSkill(ps, api, owner, name, version);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw failure("remove skill " + name, e);
    }
  }

  @Override
  public void recordRun(String api, String owner, String name, int version, boolean ok, long millis) {
    String sql = "UPDATE skill_version SET runs = runs + 1, successes = successes + ?, failures = failures + ?, "
        + "total_ms = total_ms + ?, last_used = ? WHERE api = ? AND owner = ? AND name = ? AND version = ?";
    try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setInt(1, ok ? 1 : 0);
      ps.setInt(2, ok ? 0 : 1);
      ps.setLong(3, Math.max(0, millis));
      ps.setLong(4, System.currentTimeMillis());
      ps.setString(5, api);
      ps.setString(6, owner);
      ps.setString(7, name);
      ps.setInt(8, version);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw failure("record a run of skill " + name, e);
    }
  }

  private static Skill row(ResultSet rs, boolean withCode) throws SQLException {
    return new Skill(rs.getString("api"), rs.getString("owner"), rs.getString("name"), rs.getInt("version"),
        rs.getString("description"), rs.getString("params"), withCode ? rs.getString("code") : null,
        rs.getLong("created_at"), rs.getString("created_by"), new Skill.Stats(rs.getLong("runs"),
            rs.getLong("successes"), rs.getLong("failures"), rs.getLong("last_used"), rs.getLong("total_ms")));
  }

  private SkillStoreException failure(String what, SQLException e) {
    LOG.warn("skill store {}: cannot {}: {}", location.describe(), what, e.getMessage());
    return new SkillStoreException("the skill store could not " + what + " (" + e.getClass().getSimpleName()
        + "); try again, or ask the operator to check the store", e);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  @Override
  public String describe() {
    return location.describe();
  }

  @Override
  public void close() {
    pool.close();
  }
}
