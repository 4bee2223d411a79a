package dev.codemode.isolate.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codemode.isolate.ExecutionRequest;
import dev.codemode.isolate.ExecutionResult;
import dev.codemode.isolate.HostBridge;
import dev.codemode.isolate.Limits;
import dev.codemode.isolate.Sandbox;
import dev.codemode.isolate.SandboxConfig;
import dev.codemode.isolate.Sandboxes;
import dev.codemode.isolate.internal.JsEngine;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.graalvm.polyglot.Context;

/**
 * Measures the sandbox: trivial execute latency (p50/p99), throughput at concurrency 1, 8 and 32, in-process and
 * process-isolated; the cost of one context; and a soak of 10,000 executions with heap and thread counts around it.
 * Prints a table and writes {@code target/sandbox-bench.json}. Not a test: run it by hand (see isolate/README.md).
 */
public final class SandboxBench {
  private static final String PRELUDE = """
      const __h = globalThis.__host; delete globalThis.__host;
      globalThis.api = { request: async (req) => JSON.parse(await __h('request', JSON.stringify(req))) };
      """;
  private static final String TRIVIAL = "return 1 + 1";
  private static final HostBridge ECHO = (fn, args) -> CompletableFuture.completedFuture("{\"status\":200}");
  private static final ObjectMapper JSON = new ObjectMapper();

  private SandboxBench() {}

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    int soak = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    Path out = Path.of(args.length > 2 ? args[2] : "target/sandbox-bench.json");
    ObjectNode report = JSON.createObjectNode();
    report.put("cores", Runtime.getRuntime().availableProcessors());
    report.put("java", System.getProperty("java.version"));
    report.put("secondsPerLevel", seconds);
    SandboxConfig base = SandboxConfig.defaults();
    report.set("inProcess", measure("in-process", base.withProcessIsolated(false), seconds, soak));
    report.set("contextCost", contextCost());
    report.set("processIsolated", measure("process-isolated", base.withProcessIsolated(true), seconds, soak));
    ratios(report);
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
    System.out.println("wrote " + out.toAbsolutePath());
  }

  private static ObjectNode contextCost() {
    try (JsEngine js = new JsEngine()) {
      for (int i = 0; i < 200; i++) {
        try (Context c = js.newContext(2000)) {
          c.eval("js", "1");
        }
      }
      int n = 500;
      long[] ns = new long[n];
      for (int i = 0; i < n; i++) {
        long t0 = System.nanoTime();
        try (Context c = js.newContext(2000)) {
          c.eval("js", "1");
        }
        ns[i] = System.nanoTime() - t0;
      }
      Arrays.sort(ns);
      ObjectNode o = JSON.createObjectNode();
      o.put("p50Ms", ms(ns[n / 2]));
      o.put("p99Ms", ms(ns[n * 99 / 100]));
      System.out.printf(Locale.ROOT, "context create+eval+close: p50 %.2f ms, p99 %.2f ms%n", ms(ns[n / 2]),
          ms(ns[n * 99 / 100]));
      return o;
    }
  }

  private static ObjectNode measure(String name, SandboxConfig config, double seconds, int soakCount)
      throws Exception {
    ObjectNode o = JSON.createObjectNode();
    o.put("maxConcurrent", config.maxConcurrent());
    long t0 = System.nanoTime();
    try (Sandbox sandbox = Sandboxes.create(config)) {
      run(sandbox, TRIVIAL); // waits for a warm worker / engine
      o.put("firstResultMs", ms(System.nanoTime() - t0));
      for (int i = 0; i < 300; i++) {
        run(sandbox, i % 2 == 0 ? TRIVIAL : "return (await api.request({path: '/x'})).status");
      }
      int n = 1000;
      long[] lat = new long[n];
      for (int i = 0; i < n; i++) {
        long s = System.nanoTime();
        run(sandbox, TRIVIAL);
        lat[i] = System.nanoTime() - s;
      }
      Arrays.sort(lat);
      o.put("trivialP50Ms", ms(lat[n / 2]));
      o.put("trivialP99Ms", ms(lat[n * 99 / 100]));
      System.out.printf(Locale.ROOT, "%s trivial execute: p50 %.2f ms, p99 %.2f ms%n", name, ms(lat[n / 2]),
          ms(lat[n * 99 / 100]));
      ObjectNode tp = o.putObject("throughputPerSecond");
      for (int c : new int[] {1, 8, 32}) {
        double rate = throughput(sandbox, c, seconds);
        tp.put(String.valueOf(c), rate);
        System.out.printf(Locale.ROOT, "%s throughput at concurrency %d: %.0f executions/s%n", name, c, rate);
      }
      o.set("soak", soak(name, sandbox, soakCount));
    }
    return o;
  }

  private static double throughput(Sandbox sandbox, int clients, double seconds) throws Exception {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    AtomicLong done = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int i = 0; i < clients; i++) {
      Thread t = new Thread(() -> {
        while (System.nanoTime() < end) {
          ExecutionResult r = run(sandbox, TRIVIAL);
          (r.ok() ? done : failed).incrementAndGet();
        }
      });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    if (failed.get() > 0) {
      System.out.println("  (" + failed.get() + " executions did not succeed)");
    }
    return done.get() / ((System.nanoTime() - t0) / 1e9);
  }

  private static ObjectNode soak(String name, Sandbox sandbox, int count) throws Exception {
    long heapBefore = usedHeapAfterGc();
    int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
    long t0 = System.nanoTime();
    int clients = 4;
    AtomicLong next = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      Thread t = new Thread(() -> {
        while (next.getAndIncrement() < count) {
          ExecutionResult r = run(sandbox, "const xs = []; for (let i = 0; i < 50; i++) xs.push({i, s: 'v' + i});"
              + " console.log(xs.length); return (await api.request({n: xs.length})).status");
          if (!r.ok()) {
            failed.incrementAndGet();
          }
        }
      });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    long heapAfter = usedHeapAfterGc();
    int threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();
    ObjectNode o = JSON.createObjectNode();
    o.put("executions", count);
    o.put("failed", failed.get());
    o.put("seconds", secs);
    o.put("heapBeforeMb", heapBefore / 1048576.0);
    o.put("heapAfterMb", heapAfter / 1048576.0);
    o.put("threadsBefore", threadsBefore);
    o.put("threadsAfter", threadsAfter);
    System.out.printf(Locale.ROOT, "%s soak: %d executions in %.1f s (%d failed); heap %.1f -> %.1f MB; threads %d -> %d%n",
        name, count, secs, failed.get(), heapBefore / 1048576.0, heapAfter / 1048576.0, threadsBefore, threadsAfter);
    return o;
  }

  private static void ratios(ObjectNode report) {
    ObjectNode in = (ObjectNode) report.get("inProcess");
    ObjectNode proc = (ObjectNode) report.get("processIsolated");
    ObjectNode r = report.putObject("processVsInProcess");
    double p50 = proc.get("trivialP50Ms").asDouble() - in.get("trivialP50Ms").asDouble();
    r.put("extraP50Ms", p50);
    r.put("p50Ratio", proc.get("trivialP50Ms").asDouble() / in.get("trivialP50Ms").asDouble());
    r.put("p99Ratio", proc.get("trivialP99Ms").asDouble() / in.get("trivialP99Ms").asDouble());
    for (String c : new String[] {"1", "8", "32"}) {
      r.put("throughputRatio" + c, proc.get("throughputPerSecond").get(c).asDouble()
          / in.get("throughputPerSecond").get(c).asDouble());
    }
    System.out.printf(Locale.ROOT, "process-isolated vs in-process: p50 %+.2f ms (x%.2f), p99 x%.2f, throughput x%.2f / x%.2f / x%.2f"
        + " at 1 / 8 / 32%n", p50, r.get("p50Ratio").asDouble(), r.get("p99Ratio").asDouble(),
        r.get("throughputRatio1").asDouble(), r.get("throughputRatio8").asDouble(),
        r.get("throughputRatio32").asDouble());
  }

  private static ExecutionResult run(Sandbox sandbox, String code) {
    return sandbox.execute(new ExecutionRequest(code, PRELUDE, Limits.defaults()), ECHO).join();
  }

  private static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
