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
  void readsUserPlusSystemTicksEvenWithSpacesInTheCommand() {
    String stat = "4135 (java (worker) x) S 3405 4135 3193 0 -1 4194560 51234 0 12 0 731 95 0 0 20 0 31 0 1234 0";
    assertEquals(731 + 95, ProcTree.ticks(stat));
    assertEquals(-1, ProcTree.ticks("garbage"));
    assertEquals(-1, ProcTree.ticks(null));
  }

  @Test
  void cpuTimeOfThisJvmGrowsWithWork() {
    assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs /proc");
    long pid = ProcessHandle.current().pid();
    long before = ProcTree.cpuMillis(pid);
    long x = 0;
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (ProcTree.cpuMillis(pid) <= before && System.nanoTime() < deadline) {
      for (int i = 0; i < 1_000_000; i++) {
        x += Long.numberOfTrailingZeros(x + i);
      }
    }
    assertTrue(before >= 0 && ProcTree.cpuMillis(pid) > before, "10 s of busy work used no CPU time " + x);
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
