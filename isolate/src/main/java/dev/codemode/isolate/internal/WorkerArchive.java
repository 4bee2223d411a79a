package dev.codemode.isolate.internal;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The class-data-sharing archive the workers start from: the classes a warmed-up worker has loaded (GraalJS and
 * Truffle mostly), dumped once by a throw-away worker ({@code -XX:ArchiveClassesAtExit}) and mapped by every later
 * worker ({@code -XX:SharedArchiveFile}). It halves a worker's start (CPU 2.6 -> 1.35 s, see isolate/README.md) and
 * its class metadata is then file-backed, shared by the workers. Stored as
 * {@code ~/.cache/codemode/worker-cds/worker-<key>.jsa}, the key a hash of the java runtime (home and version) and of
 * each classpath jar (path, size, modification time), so a new jar or JDK gets a new archive. Only when the classpath
 * is jars alone (JDK 17 cannot archive from directories). A damaged or mismatched file costs nothing: the workers run
 * with {@code -Xshare:auto}, which ignores an archive that does not fit. Thread-safe.
 */
final class WorkerArchive {
  private static final Logger log = LoggerFactory.getLogger(WorkerArchive.class);
  /** How long the throw-away worker may take to warm up and dump. */
  private static final long TRAIN_SECONDS = 180;
  /** Archives of other jars or JDKs untouched this long are deleted when a new one is made. */
  private static final long STALE_MILLIS = 24L * 60 * 60 * 1000;

  private final Path file;
  private final AtomicBoolean trained = new AtomicBoolean();
  private volatile Process trainer;

  WorkerArchive(Path file) {
    this.file = file;
  }

  /** The archive for this JVM's runtime and classpath, or null when the classpath cannot be archived. */
  static WorkerArchive forThisJvm() {
    String home = System.getProperty("user.home");
    if (home == null || home.isEmpty()) {
      return null;
    }
    String key = key(System.getProperty("java.home"), System.getProperty("java.vm.version"),
        System.getProperty("java.class.path", ""));
    return key == null ? null : new WorkerArchive(Path.of(home, ".cache", "codemode", "worker-cds",
        "worker-" + key + ".jsa"));
  }

  /**
   * A hash of the runtime and of each classpath entry's path, size and modification time; null when an entry is not
   * a jar file (a directory cannot be archived on JDK 17) or the classpath is empty.
   */
  static String key(String javaHome, String vmVersion, String classpath) {
    if (classpath == null || classpath.isBlank()) {
      return null;
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update((javaHome + "\n" + vmVersion + "\n").getBytes(StandardCharsets.UTF_8));
      for (String entry : classpath.split(File.pathSeparator)) {
        File f = new File(entry);
        if (!f.isFile() || !entry.endsWith(".jar")) {
          return null;
        }
        sha.update((f.getAbsolutePath() + "\n" + f.length() + "\n" + f.lastModified() + "\n")
            .getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(sha.digest(), 0, 12);
    } catch (NoSuchAlgorithmException e) {
      return null;
    }
  }

  Path file() {
    return file;
  }

  /** The JVM options that map the archive, or none while it does not exist. */
  List<String> options() {
    return Files.isRegularFile(file) ? List.of("-XX:SharedArchiveFile=" + file) : List.of();
  }

  /**
   * Once per instance, if the archive does not exist yet: starts a throw-away worker that warms up, sees its stdin
   * closed and exits, dumping the classes it loaded; the dump replaces the archive atomically when it succeeded.
   * Returns at once; the work happens in a daemon thread.
   */
  void createInBackground(int heapMb) {
    if (Files.exists(file) || !trained.compareAndSet(false, true)) {
      return;
    }
    Thread t = new Thread(() -> {
      Path tmp = null;
      try {
        Files.createDirectories(file.getParent());
        tmp = Files.createTempFile(file.getParent(), "dump-", ".jsa.tmp");
        Files.delete(tmp); // the JVM creates it; an existing empty file would be taken for a bad archive
        List<String> archive = new ArrayList<>(List.of("-XX:ArchiveClassesAtExit=" + tmp));
        Process p = WorkerProcess.launch(WorkerProcess.command(heapMb, archive), ProcessBuilder.Redirect.DISCARD);
        trainer = p;
        p.getOutputStream().close();
        if (!p.waitFor(TRAIN_SECONDS, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          log.debug("the worker class archive took too long to create; workers start without it");
        } else if (p.exitValue() == 0 && Files.size(tmp) > 0) {
          Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          log.debug("created the worker class archive {}", file);
          deleteStale();
        } else {
          log.debug("could not create the worker class archive (exit {}); workers start without it", p.exitValue());
        }
      } catch (IOException | RuntimeException e) {
        log.debug("could not create the worker class archive; workers start without it", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        trainer = null;
        if (tmp != null) {
          try {
            Files.deleteIfExists(tmp);
          } catch (IOException e) {
            log.debug("could not delete {}", tmp, e);
          }
        }
      }
    }, "codemode-worker-archive");
    t.setDaemon(true);
    t.start();
  }

  /**
   * Deletes the archives of other jars or JDKs not touched for a day (each rebuild of the jar makes a new one); a
   * worker that still maps one keeps its pages.
   */
  void deleteStale() {
    long cutoff = System.currentTimeMillis() - STALE_MILLIS;
    try (var siblings = Files.newDirectoryStream(file.getParent(), "worker-*.jsa")) {
      for (Path p : siblings) {
        if (!p.equals(file) && Files.getLastModifiedTime(p).toMillis() < cutoff) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException | RuntimeException e) {
      log.debug("could not clean up old worker class archives", e);
    }
  }

  /** Stops a throw-away worker still running (the sandbox is closing). */
  void close() {
    Process p = trainer;
    if (p != null) {
      p.destroyForcibly();
    }
  }
}
