package dev.codemode.server;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives back the heap the start-up needed and the server does not (command line only, never for embedders): G1 keeps
 * what it grew to while parsing and indexing a big spec (GitHub: ~300 MB committed for ~60 MB live). Sets the
 * manageable free-ratio flags so a collection shrinks the heap to about its live size, asks for periodic collections
 * when idle (so what a burst of executes grew is returned too), and collects once when search has warmed up.
 */
final class HeapTrim {
  private static final Logger LOG = LoggerFactory.getLogger(HeapTrim.class);
  /** Percent free heap after a collection: kept between these (JVM defaults 40 and 70). */
  static final int MIN_FREE = 10;
  static final int MAX_FREE = 30;
  /** An idle server is collected (and shrunk) at most this often. */
  static final long IDLE_GC_MILLIS = 60_000;

  private HeapTrim() {}

  /** Lowers the free-heap ratios and turns periodic idle collections on; a JVM without these flags is left alone. */
  static void configure() {
    try {
      HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      vm.setVMOption("MinHeapFreeRatio", Integer.toString(MIN_FREE));
      vm.setVMOption("MaxHeapFreeRatio", Integer.toString(MAX_FREE));
      vm.setVMOption("G1PeriodicGCInterval", Long.toString(IDLE_GC_MILLIS));
    } catch (RuntimeException | LinkageError e) {
      LOG.debug("heap flags not set ({}); the JVM keeps its defaults", e.toString());
    }
  }

  /** One full collection, after which G1 uncommits what the start-up needed. */
  static void collect() {
    Runtime rt = Runtime.getRuntime();
    long before = rt.totalMemory();
    System.gc();
    LOG.info("heap after start-up: {} MB committed (was {} MB), {} MB used", rt.totalMemory() >> 20, before >> 20,
        (rt.totalMemory() - rt.freeMemory()) >> 20);
  }
}
