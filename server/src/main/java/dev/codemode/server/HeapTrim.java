package dev.codemode.server;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.codemode.server.transport.ServerDefinition;
import java.lang.management.ManagementFactory;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.management.JMException;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives back the heap the start-up needed and the server does not (command line only, never for embedders): G1 keeps
 * what it grew to while parsing and indexing a big spec (GitHub: ~300 MB committed for ~60 MB live). Sets the
 * manageable free-ratio flags so a collection shrinks the heap to about its live size, asks for periodic collections
 * when idle, and collects once when search has warmed up. What a burst of tool calls grew is handed back
 * {@link IdleTrim#IDLE} after it ({@link #afterIdleSpells}); each trim also returns the C heap glibc kept.
 */
final class HeapTrim {
  private static final Logger LOG = LoggerFactory.getLogger(HeapTrim.class);
  /** Percent free heap after a collection: kept between these (JVM defaults 40 and 70). */
  static final int MIN_FREE = 10;
  static final int MAX_FREE = 30;
  /** Percent free heap the idle trim's collection leaves: the next burst grows it again only as far as it needs. */
  static final int TRIM_MAX_FREE = MIN_FREE;
  /** An idle server is collected (and shrunk) at most this often. */
  static final long IDLE_GC_MILLIS = 60_000;

  private HeapTrim() {}

  /** Lowers the free-heap ratios and turns periodic idle collections on; a JVM without these flags is left alone. */
  static void configure() {
    setVmOption("MinHeapFreeRatio", MIN_FREE);
    setVmOption("MaxHeapFreeRatio", MAX_FREE);
    setVmOption("G1PeriodicGCInterval", IDLE_GC_MILLIS);
  }

  /** Sets a manageable HotSpot flag; a JVM without it keeps its default. */
  private static void setVmOption(String flag, long value) {
    try {
      ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).setVMOption(flag, Long.toString(value));
    } catch (RuntimeException | LinkageError e) {
      LOG.debug("{} not set ({}); the JVM keeps its default", flag, e.toString());
    }
  }

  /**
   * The definition with each tool call counted, so that the heap is trimmed once {@link IdleTrim#IDLE} after the last
   * call of a burst ends (never while one is in flight).
   */
  static ServerDefinition afterIdleSpells(ServerDefinition d) {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "codemode-idle-trim");
      t.setDaemon(true);
      return t;
    });
    return new IdleTrim(IdleTrim.IDLE, HeapTrim::trim, timer).wrap(d);
  }

  /** After a burst: one full collection (the heap shrinks to about its live size) and C heap handed back. */
  static void trim() {
    Runtime rt = Runtime.getRuntime();
    long before = rt.totalMemory();
    long t0 = System.nanoTime();
    setVmOption("MaxHeapFreeRatio", TRIM_MAX_FREE);
    try {
      System.gc();
    } finally {
      setVmOption("MaxHeapFreeRatio", MAX_FREE);
    }
    trimNativeHeap();
    LOG.debug("heap after an idle spell: {} MB committed (was {} MB), {} MB used, {} ms", rt.totalMemory() >> 20,
        before >> 20, (rt.totalMemory() - rt.freeMemory()) >> 20, (System.nanoTime() - t0) / 1_000_000);
  }

  /**
   * glibc keeps what native code (ONNX Runtime, Netty, the JIT) freed in its arenas; {@code System.trim_native_heap}
   * (JDK 17.0.9+, glibc only) hands it back. Elsewhere the command is missing or does nothing.
   */
  static void trimNativeHeap() {
    try {
      ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
          "systemTrimNativeHeap", new Object[] {null}, new String[] {String[].class.getName()});
    } catch (JMException | RuntimeException | LinkageError e) {
      LOG.debug("native heap not trimmed ({})", e.toString());
    }
  }

  /** One full collection, after which G1 uncommits what the start-up needed; C heap handed back too. */
  static void collect() {
    Runtime rt = Runtime.getRuntime();
    long before = rt.totalMemory();
    System.gc();
    trimNativeHeap();
    LOG.info("heap after start-up: {} MB committed (was {} MB), {} MB used", rt.totalMemory() >> 20, before >> 20,
        (rt.totalMemory() - rt.freeMemory()) >> 20);
  }
}
