package dev.codemode.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Resident memory of a process tree, from /proc. */
class ProcTreeTest {
  private static final String STATUS = """
      Name:\tjava
      VmPeak:\t 5000000 kB
      VmHWM:\t  612352 kB
      VmRSS:\t  524288 kB
      Threads:\t42
      """;

  @Test
  void readsKilobytesOfAKey() {
    assertEquals(524288, ProcTree.kiB(STATUS, "VmRSS"));
    assertEquals(612352, ProcTree.kiB(STATUS, "VmHWM"));
  }

  @Test
  void aMissingKeyOrFileIsMinusOne() {
    assertEquals(-1, ProcTree.kiB(STATUS, "VmSwap"));
    assertEquals(-1, ProcTree.kiB(null, "VmRSS"));
    assertEquals(-1, ProcTree.of(-5).totalMiB());
  }

  @Test
  void aSnapshotSumsTheRootAndItsDescendants() {
    ProcTree.Snapshot s = new ProcTree.Snapshot(500, 600, 2, 330);
    assertEquals(830, s.totalMiB());
    assertEquals(2, s.json().get("workers").asInt());
  }

  @Test
  void countsAChildProcessOfThisJvm() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs /proc");
    Process child = new ProcessBuilder("sleep", "30").start();
    try {
      ProcTree.Snapshot s = ProcTree.of(ProcessHandle.current().pid());
      assertTrue(s.rootMiB() > 0, "this JVM has resident memory: " + s);
      assertTrue(s.rootPeakMiB() >= s.rootMiB(), s.toString());
      assertTrue(s.descendants() >= 1, "the sleep child is below this JVM: " + s);
      assertEquals(s.rootMiB() + s.descendantsMiB(), s.totalMiB());
    } finally {
      child.destroy();
      child.waitFor(5, TimeUnit.SECONDS);
    }
  }
}
