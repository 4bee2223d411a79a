package dev.codemode.isolate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.isolate.ExecutionRequest;
import dev.codemode.isolate.ExecutionResult;
import dev.codemode.isolate.HostBridge;
import dev.codemode.isolate.Limits;
import dev.codemode.isolate.SandboxConfig;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerArchiveTest {

  @Test
  void aDamagedArchiveIsIgnoredAndTheWorkerRunsWithoutIt(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("worker-bad.jsa");
    byte[] junk = new byte[64 << 10];
    new Random(14).nextBytes(junk);
    Files.write(bad, junk);
    WorkerArchive archive = new WorkerArchive(bad);
    assertEquals(List.of("-XX:SharedArchiveFile=" + bad), archive.options());
    try (ProcessSandbox sandbox = new ProcessSandbox(new SandboxConfig(1, 4, true, 128), archive)) {
      ExecutionResult r = sandbox.execute(new ExecutionRequest("return 6 * 7", "", Limits.defaults()
          .withWallTime(Duration.ofSeconds(20))), HostBridge.NONE).join();
      assertEquals("42", r.resultJson(), r.kind() + " " + r.error());
      long pid = sandbox.workerPids().get(0);
      String[] args = ProcessHandle.of(pid).flatMap(p -> p.info().arguments()).orElse(new String[0]);
      assertTrue(args.length == 0 || List.of(args).contains("-XX:SharedArchiveFile=" + bad),
          "the worker was started with the damaged archive: " + List.of(args));
    }
  }

  @Test
  void noArchiveOptionsWhileTheFileIsMissing(@TempDir Path dir) {
    assertEquals(List.of(), new WorkerArchive(dir.resolve("none.jsa")).options());
  }

  @Test
  void keyedByRuntimeAndJarsOnlyJarClasspathsQualify(@TempDir Path dir) throws Exception {
    Path jar = Files.write(dir.resolve("a.jar"), new byte[] {1, 2, 3});
    String k1 = WorkerArchive.key("/jdk", "17.0.15", jar.toString());
    assertNotNull(k1);
    assertEquals(k1, WorkerArchive.key("/jdk", "17.0.15", jar.toString()));
    assertNotEquals(k1, WorkerArchive.key("/jdk", "17.0.16", jar.toString()), "another JVM, another archive");
    Files.write(jar, new byte[] {1, 2, 3, 4});
    assertNotEquals(k1, WorkerArchive.key("/jdk", "17.0.15", jar.toString()), "another jar, another archive");
    assertNull(WorkerArchive.key("/jdk", "17.0.15", jar + File.pathSeparator + dir), "a directory cannot be archived");
    assertNull(WorkerArchive.key("/jdk", "17.0.15", ""));
  }

  @Test
  void makingAnArchiveDeletesOnlyOtherArchivesUntouchedForADay(@TempDir Path dir) throws Exception {
    Path current = Files.write(dir.resolve("worker-current.jsa"), new byte[] {1});
    Path old = Files.write(dir.resolve("worker-old.jsa"), new byte[] {1});
    Path recent = Files.write(dir.resolve("worker-recent.jsa"), new byte[] {1});
    Path other = Files.write(dir.resolve("notes.txt"), new byte[] {1});
    java.nio.file.attribute.FileTime twoDaysAgo = java.nio.file.attribute.FileTime.fromMillis(
        System.currentTimeMillis() - Duration.ofDays(2).toMillis());
    for (Path p : List.of(current, old, other)) {
      Files.setLastModifiedTime(p, twoDaysAgo);
    }
    new WorkerArchive(current).deleteStale();
    assertTrue(Files.exists(current));
    assertTrue(Files.notExists(old));
    assertTrue(Files.exists(recent), "an archive another version made today may still be in use");
    assertTrue(Files.exists(other));
  }
}
