package dev.codemode.isolate.internal;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One daemon thread that polls every running {@link Execution} every few milliseconds for wall time, CPU time and
 * bytes allocated by its thread, and guards the whole heap (it sleeps while nothing runs: an idle sandbox costs no
 * CPU): when the heap stays nearly full across a garbage
 * collection, the execution that allocated most is ended. Cancellation ({@code Context.close(true)}) runs on a
 * separate reaper pool so one slow cancellation never delays the others. Thread-safe.
 */
final class Watchdog implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Watchdog.class);
  private static final long POLL_MILLIS = 5;
  private static final double HEAP_CRITICAL = 0.92;

  private final Set<Execution> active = ConcurrentHashMap.newKeySet();
  private final com.sun.management.ThreadMXBean threads;
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final ExecutorService reaper;
  private final Thread thread;
  private volatile boolean running = true;
  private long gcCountAtCritical = -1;
  /** Heap pools that hold long-lived data (old/tenured generation), whatever the collector calls them. */
  private final List<MemoryPoolMXBean> oldGen = ManagementFactory.getMemoryPoolMXBeans().stream()
      .filter(p -> p.getType() == MemoryType.HEAP && p.isCollectionUsageThresholdSupported())
      .filter(p -> !p.getName().contains("Eden") && !p.getName().contains("Survivor"))
      .toList();
  private final long[] lastOldGenAfterGc = new long[oldGen.size()];
  /** Looked up once: {@link ManagementFactory#getGarbageCollectorMXBeans()} builds a new list on every call. */
  private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
  /** Signalled when an execution registers, so the idle loop wakes up. */
  private final Object wake = new Object();

  Watchdog() {
    this.threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    if (threads.isThreadCpuTimeSupported() && !threads.isThreadCpuTimeEnabled()) {
      threads.setThreadCpuTimeEnabled(true);
    }
    if (threads.isThreadAllocatedMemorySupported() && !threads.isThreadAllocatedMemoryEnabled()) {
      threads.setThreadAllocatedMemoryEnabled(true);
    }
    AtomicInteger n = new AtomicInteger();
    this.reaper = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "codemode-sandbox-reaper-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.thread = new Thread(this::loop, "codemode-sandbox-watchdog");
    thread.setDaemon(true);
    thread.start();
  }

  void register(Execution e) {
    active.add(e);
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  void unregister(Execution e) {
    active.remove(e);
  }

  long cpuNanos(long threadId) {
    return threads.getThreadCpuTime(threadId);
  }

  long allocatedBytes(long threadId) {
    return threads.getThreadAllocatedBytes(threadId);
  }

  void reap(Runnable r) {
    try {
      reaper.execute(r);
    } catch (RuntimeException e) {
      r.run();
    }
  }

  private void loop() {
    while (running) {
      try {
        synchronized (wake) {
          while (running && active.isEmpty()) {
            wake.wait();
          }
        }
        Thread.sleep(POLL_MILLIS);
        long now = System.nanoTime();
        for (Execution e : active) {
          e.check(now);
        }
        guardHeap();
      } catch (InterruptedException e) {
        return;
      } catch (Throwable t) {
        log.warn("sandbox watchdog poll failed", t);
      }
    }
  }

  private void guardHeap() {
    var usage = memory.getHeapMemoryUsage();
    long max = usage.getMax();
    long gcs = gcCount();
    if (oldGenFullAfterNewGc()) {
      // The old generation was still nearly full right after its own collection: live data, not garbage.
      endBiggestAllocator(usage.getUsed(), Math.max(1, max));
      return;
    }
    if (max <= 0 || usage.getUsed() < max * HEAP_CRITICAL) {
      gcCountAtCritical = -1;
      return;
    }
    if (gcCountAtCritical < 0) {
      gcCountAtCritical = gcs;
      return;
    }
    if (gcs == gcCountAtCritical) {
      return;
    }
    gcCountAtCritical = -1;
    endBiggestAllocator(usage.getUsed(), max);
  }

  /** True once per old-generation collection that left the pool nearly full (a new figure, not a stale one). */
  private boolean oldGenFullAfterNewGc() {
    boolean full = false;
    for (int i = 0; i < oldGen.size(); i++) {
      MemoryPoolMXBean pool = oldGen.get(i);
      MemoryUsage after = pool.getCollectionUsage();
      long max = pool.getUsage().getMax();
      if (after == null || max <= 0 || after.getUsed() == lastOldGenAfterGc[i]) {
        continue;
      }
      lastOldGenAfterGc[i] = after.getUsed();
      full |= after.getUsed() >= max * HEAP_CRITICAL;
    }
    return full;
  }

  private void endBiggestAllocator(long used, long max) {
    // Still nearly full after a collection: live data, not garbage. End the biggest allocator.
    Execution worst = null;
    long worstBytes = -1;
    for (Execution e : active) {
      long b = e.allocatedSoFar();
      if (b > worstBytes) {
        worst = e;
        worstBytes = b;
      }
    }
    // Blame only an execution that allocated a real share of the heap: right after a bomb was ended, the heap can
    // still be full of its garbage, and a small script that happens to run then must not pay for it.
    if (worst != null && worstBytes >= Math.max(16L << 20, max / 20)) {
      log.warn("heap {}% full after GC; ending the execution that allocated {} MB", used * 100 / max,
          worstBytes >> 20);
      worst.failHeap();
    }
  }

  private long gcCount() {
    long n = 0;
    for (GarbageCollectorMXBean gc : collectors) {
      n += Math.max(0, gc.getCollectionCount());
    }
    return n;
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    reaper.shutdown();
  }
}
