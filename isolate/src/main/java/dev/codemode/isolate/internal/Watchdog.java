package dev.codemode.isolate.internal;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One daemon thread that polls every running {@link Execution} every few milliseconds for wall time, CPU time and
 * bytes allocated by its thread, and guards the whole heap: when the heap stays nearly full across a garbage
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
    if (max <= 0 || usage.getUsed() < max * HEAP_CRITICAL) {
      gcCountAtCritical = -1;
      return;
    }
    long gcs = gcCount();
    if (gcCountAtCritical < 0) {
      gcCountAtCritical = gcs;
      return;
    }
    if (gcs == gcCountAtCritical) {
      return;
    }
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
    gcCountAtCritical = -1;
    if (worst != null) {
      log.warn("heap {}% full after GC; ending the execution that allocated {} MB", usage.getUsed() * 100 / max,
          worstBytes >> 20);
      worst.failHeap();
    }
  }

  private static long gcCount() {
    long n = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
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
