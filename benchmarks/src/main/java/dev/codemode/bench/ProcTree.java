package dev.codemode.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Resident memory of a process and every process below it (the server and its sandbox worker JVMs), read from
 * {@code /proc/PID/status}. Stateless; on a system without {@code /proc} every figure is -1.
 *
 * <pre>{@code ProcTree.Snapshot s = ProcTree.of(pid); long mib = s.totalMiB();}</pre>
 */
final class ProcTree {
  private ProcTree() {}

  /**
   * One reading: the root's VmRSS and VmHWM (peak), how many descendants there were and their VmRSS together, in MiB
   * (rounded down from kB). -1 where unknown.
   */
  record Snapshot(long rootMiB, long rootPeakMiB, int descendants, long descendantsMiB) {
    long totalMiB() {
      return rootMiB < 0 ? -1 : rootMiB + Math.max(0, descendantsMiB);
    }

    ObjectNode json() {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      o.put("totalMiB", totalMiB());
      o.put("serverMiB", rootMiB);
      o.put("serverPeakMiB", rootPeakMiB);
      o.put("workers", descendants);
      o.put("workersMiB", descendantsMiB);
      return o;
    }
  }

  /** Reads the tree below {@code pid} now. A descendant that exits during the reading counts as 0. */
  static Snapshot of(long pid) {
    if (pid <= 0) {
      return new Snapshot(-1, -1, 0, 0);
    }
    String root = status(pid);
    List<ProcessHandle> below = ProcessHandle.of(pid).map(p -> p.descendants().toList()).orElse(List.of());
    long kib = 0;
    int n = 0;
    for (ProcessHandle h : below) {
      long k = kiB(status(h.pid()), "VmRSS");
      if (k >= 0) {
        kib += k;
        n++;
      }
    }
    return new Snapshot(mib(kiB(root, "VmRSS")), mib(kiB(root, "VmHWM")), n, kib / 1024);
  }

  /**
   * CPU time (user + system) in milliseconds used so far by {@code pid} and the processes below it that are still
   * alive, from {@code /proc/PID/stat} at 100 ticks a second (Linux's USER_HZ); -1 when unknown. Less sensitive to
   * other load on the machine than wall time.
   */
  static long cpuMillis(long pid) {
    if (pid <= 0) {
      return -1;
    }
    long root = ticks(stat(pid));
    if (root < 0) {
      return -1;
    }
    long t = root;
    for (ProcessHandle h : ProcessHandle.of(pid).map(p -> p.descendants().toList()).orElse(List.of())) {
      t += Math.max(0, ticks(stat(h.pid())));
    }
    return t * 10;
  }

  /** utime + stime in clock ticks from the text of a {@code /proc/PID/stat} file, or -1. */
  static long ticks(String stat) {
    if (stat == null) {
      return -1;
    }
    int close = stat.lastIndexOf(')');
    if (close < 0) {
      return -1;
    }
    String[] f = stat.substring(close + 1).trim().split("\\s+");
    // After "pid (comm)": state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime
    return f.length > 12 ? Long.parseLong(f[11]) + Long.parseLong(f[12]) : -1;
  }

  /** The value in kB of {@code key} ("VmRSS", "VmHWM") in the text of a {@code /proc/PID/status} file, or -1. */
  static long kiB(String status, String key) {
    if (status == null) {
      return -1;
    }
    for (String line : status.split("\n")) {
      if (line.startsWith(key + ":")) {
        String digits = line.substring(key.length() + 1).replaceAll("[^0-9]", "");
        return digits.isEmpty() ? -1 : Long.parseLong(digits);
      }
    }
    return -1;
  }

  private static long mib(long kib) {
    return kib < 0 ? -1 : kib / 1024;
  }

  private static String status(long pid) {
    return read(pid, "status");
  }

  private static String stat(long pid) {
    return read(pid, "stat");
  }

  private static String read(long pid, String file) {
    try {
      return Files.readString(Path.of("/proc/" + pid + "/" + file));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
