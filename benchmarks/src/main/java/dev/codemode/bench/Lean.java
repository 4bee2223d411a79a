package dev.codemode.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * Issue #14's target table for one or more server jars in one run, side by side with ratios: resident memory of the
 * server and its workers after a fixed workload, start to first {@code tools/list}, trivial execute, the cost added
 * per upstream call, 64 Streamable HTTP clients at once, first execute after start; with {@code --scale} the
 * Microsoft Graph rows. Every server runs against a local {@link Upstream} that answers anything with small JSON.
 * Writes {@code benchmarks/results/lean.json} and {@code lean.md}; prints the table.
 *
 * <pre>
 * java -cp benchmarks/target/codemode-bench.jar dev.codemode.bench.Lean \
 *   --jar before=/work/baseline/codemode-mcp.jar --jar after=server/target/codemode-mcp.jar [--scale]
 * </pre>
 */
public final class Lean {
  static final String TRIVIAL = "return 1";
  static final String DIRECT_PATH = "/repos/octo/bench";
  static final String GITHUB_ONE_CALL = "const r = await api.call('repos/get', {owner: 'octo', repo: 'bench'});"
      + " return r.id;";
  static final String GITHUB_TEN_CALLS = "let n = 0; for (let i = 0; i < 10; i++) { n += (await api.call('repos/get',"
      + " {owner: 'octo', repo: 'bench'})).id; } return n;";
  static final String MSGRAPH_ONE_CALL = "const r = await api.call('me.user.GetUser', {}); return r.id;";
  static final List<String> MSGRAPH_QUERIES = List.of("list users", "send mail as the signed-in user",
      "get the manager of a user", "list the groups a user belongs to", "create a calendar event",
      "list messages in a mail folder", "upload a file to a drive", "list the channels of a team",
      "add a member to a group", "get the profile photo of the signed-in user", "list planner tasks",
      "create a to-do task", "list sharepoint sites", "delete an event", "reset a password", "list applications",
      "list the children of a drive item", "create an online meeting", "list contacts", "update a user");
  static final String CLIENT_TOKEN_VAR = "CODEMODE_LEAN_CLIENT_TOKEN";
  static final int WORKLOAD_EXECUTES = 50;
  static final int WORKLOAD_SEARCHES = 40;
  static final int CROWD_EXECUTES = 10;
  static final int CROWD_SEARCHES = 5;
  /** Quiet time before the "… later" memory rows: past the server's idle trim (3 s) and the workers' (2 s). */
  private static final Duration IDLE_SETTLE = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** A server jar under test and its own cache and data directories (emptied at the start of a run). */
  record Jar(String name, Path path, Path dir) {
    Path cache() {
      return dir.resolve("cache");
    }

    Path data() {
      return dir.resolve("data");
    }
  }

  /** Command-line settings; defaults in {@link #defaults()}. */
  record Options(List<String[]> jars, boolean scale, boolean scaleOnly, int repeats, int warmup, int measured, int clients,
      Duration semanticWait, Duration scaleWait, Path root, Path shared, String out, boolean memoryOnly) {
    static Options defaults() {
      return new Options(new ArrayList<>(), false, false, 3, 30, 200, 64, Duration.ofMinutes(10), Duration.ofMinutes(30),
          Path.of(".").toAbsolutePath().normalize(), null, null, false);
    }
  }

  private final Env env;
  private final Options opt;
  private final List<Jar> jars;
  private final LeanTable table;
  private final ObjectNode details = JsonNodeFactory.instance.objectNode();
  private Upstream upstream;

  Lean(Env env, Options opt, List<Jar> jars) {
    this.env = env;
    this.opt = opt;
    this.jars = jars;
    this.table = new LeanTable(jars.stream().map(Jar::name).toList());
    jars.forEach(j -> details.putObject(j.name()));
    define();
  }

  public static void main(String[] args) throws Exception {
    System.setProperty("polyglot.engine.WarnInterpreterOnly", "false");
    Options o = Options.defaults();
    List<String[]> jarArgs = new ArrayList<>();
    boolean scale = false;
    boolean scaleOnly = false;
    boolean memoryOnly = false;
    int repeats = o.repeats();
    int measured = o.measured();
    int warmup = o.warmup();
    Duration semanticWait = o.semanticWait();
    Duration scaleWait = o.scaleWait();
    Path root = o.root();
    Path shared = null;
    String outName = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--jar" -> {
          String v = args[++i];
          int eq = v.indexOf('=');
          jarArgs.add(eq > 0 ? new String[] {v.substring(0, eq), v.substring(eq + 1)}
              : new String[] {"jar" + (jarArgs.size() + 1), v});
        }
        case "--scale" -> scale = true;
        case "--memory-only" -> memoryOnly = true;
        case "--scale-only" -> {
          scale = true;
          scaleOnly = true;
        }
        case "--repeats" -> repeats = Integer.parseInt(args[++i]);
        case "--measured" -> measured = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--semantic-wait" -> semanticWait = Duration.ofSeconds(Long.parseLong(args[++i]));
        case "--scale-wait" -> scaleWait = Duration.ofSeconds(Long.parseLong(args[++i]));
        case "--root" -> root = Path.of(args[++i]).toAbsolutePath().normalize();
        case "--shared" -> shared = Path.of(args[++i]).toAbsolutePath().normalize();
        case "--out" -> outName = args[++i];
        case "-h", "--help" -> {
          System.out.println("usage: Lean [--jar NAME=PATH]... [--scale | --scale-only] [--repeats N (3)] [--measured N (200)]"
              + " [--warmup N (30)] [--semantic-wait SECONDS (600)] [--scale-wait SECONDS (1800)] [--root DIR]"
              + " [--shared DIR] [--out NAME] [--memory-only]\n  default jar: now=server/target/codemode-mcp.jar; ratios are each jar / the first\n"
              + "  --memory-only: GitHub memory rows and the crowd only (no start-up or latency runs)\n"
              + "  writes benchmarks/results/lean.json and lean.md (--scale-only: lean-scale.*; --out NAME: NAME.*)");
          return;
        }
        default -> {
          System.err.println("Lean: unknown option " + a + " (see --help)");
          System.exit(2);
        }
      }
    }
    Env env = Env.locate(root, shared);
    if (jarArgs.isEmpty()) {
      jarArgs.add(new String[] {"now", env.jar().toString()});
    }
    Options opt = new Options(jarArgs, scale, scaleOnly, repeats, warmup, measured, o.clients(), semanticWait, scaleWait, root,
        shared, outName, memoryOnly);
    List<Jar> jars = new ArrayList<>();
    for (String[] j : jarArgs) {
      Path p = env.root().resolve(j[1]).toAbsolutePath().normalize();
      if (!Files.isRegularFile(p)) {
        System.err.println("Lean: no server jar at " + p + " (--jar " + j[0] + "=PATH)");
        System.exit(2);
      }
      jars.add(new Jar(j[0], p, env.work().resolve("lean").resolve(j[0])));
    }
    ObjectNode out = new Lean(env, opt, jars).run(String.join(" ", args));
    System.out.println();
    System.out.println(out.path("markdown").asText());
    System.exit(0);
  }

  private void define() {
    if (!opt.scaleOnly()) {
      defineGithub();
    }
    if (opt.scale()) {
      defineScale();
    }
  }

  private void defineGithub() {
    t("rss", "resident memory, server + workers, GitHub, defaults, after 50 executes + 40 searches", "MiB", "~875 MB",
        "<= 400 MB", 400.0, true);
    t("rssServer", "… of which the server process", "MiB", "~550 MB", "-", null, true);
    t("rssWorkers", "… of which the worker JVMs", "MiB", "~330 MB (2)", "-", null, true);
    t("workers", "… worker JVMs alive", "count", "2", "-", null, true);
    t("rssIdle", "… the same " + IDLE_SETTLE.toSeconds() + " s later, no call in flight", "MiB", "-", "-", null,
        true);
    t("rssNoSemantic", "resident memory, the same with --no-semantic", "MiB", "~680 MB", "-", null, true);
    t("firstToolsList", "start to first tools/list, warm caches, median of starts", "ms", "3,400 ms", "<= 1,500 ms",
        1500.0, true);
    t("trivial", "trivial execute (`return 1`) p50 over stdio", "ms", "6.4 ms", "<= 4 ms", 4.0, true);
    t("addedPerCall", "added per upstream call p50: execute(1 GET) − execute(trivial) − direct GET", "ms",
        "+4-10 ms", "<= 2 ms", 2.0, true);
    t("crowdRate", opt.clients() + " Streamable HTTP clients × (10 one-GET executes + 5 searches): tool calls/s",
        "calls/s", "134", ">= 300", 300.0, false);
    t("crowdP99", "… p99 of those tool calls", "ms", "1,300 ms", "<= 500 ms", 500.0, true);
    t("crowdErrors", "… errors", "errors", "-", "0", 0.0, true);
    t("firstExecute", "first execute after start: first tools/list answer → first result, median", "ms", "~800 ms",
        "<= 500 ms", 500.0, true);
    // Context for the rows above: no target of their own.
    t("firstExecuteFromSpawn", "first execute after start, from process spawn, median", "ms", "-", "-", null, true);
    t("semanticReadyWarm", "semantic search ready, from process spawn, warm caches, median", "ms", "-", "-", null,
        true);
    t("semanticColdGithub", "semantic index cold, GitHub: spawn → semantic ready, empty cache", "s", "-", "-", null,
        true);
    t("directGet", "the same GET made directly from the benchmark JVM, p50", "ms", "0.7 ms", "-", null, true);
    t("oneCall", "execute with one upstream GET, p50 over stdio", "ms", "-", "-", null, true);
    t("perCallOfTen", "added per call from ten sequential GETs: (execute(10) − execute(trivial))/10 − direct",
        "ms", "-", "-", null, true);
    t("searchP50", "search p50 over stdio, GitHub, semantic (last 30 of the workload's 40)", "ms", "-", "-", null,
        true);
    t("cpuFirstToolsList", "CPU time, server + workers, spawn → first tools/list answer, median", "s", "-", "-",
        null, true);
    t("cpuTrivial", "CPU time, server + workers, per trivial execute over stdio", "ms", "-", "-", null, true);
    t("cpuOneCall", "CPU time, server + workers, per one-GET execute over stdio", "ms", "-", "-", null, true);
    t("cpuCrowd", "CPU time, server + workers, per tool call of the crowd", "ms", "-", "-", null, true);
    t("rssAfterLatency", "resident memory, server + workers, after the latency runs too", "MiB", "-", "-", null,
        true);
    t("rssCrowd", "resident memory, server + workers, right after the " + opt.clients() + "-client run", "MiB", "-",
        "-", null, true);
    t("rssCrowdIdle", "… the same " + IDLE_SETTLE.toSeconds() + " s after the last answer", "MiB", "-", "-", null,
        true);
  }

  private void defineScale() {
    t("msFirstToolsList", "Microsoft Graph: start to first tools/list, warm caches, median", "ms", "~8,000 ms",
        "<= 3,000 ms", 3000.0, true);
    t("msRss", "Microsoft Graph: resident memory, server + workers, after 50 executes + 40 searches", "MiB",
        "883 MB peak", "<= 600 MB", 600.0, true);
    t("msSearchP50", "Microsoft Graph: search p50 over stdio (100 after 10 warm-up)", "ms", "-", "<= 20 ms", 20.0,
        true);
    t("msSemanticCold", "Microsoft Graph: semantic index cold, spawn → semantic ready", "s", "-", "<= 120 s", 120.0,
        true);
    t("msFirstToolsListCold", "Microsoft Graph: start to first tools/list, empty caches", "ms", "~8,000 ms", "-",
        null, true);
    t("msPeak", "Microsoft Graph: server peak RSS (VmHWM) after the workload", "MiB", "883 MB", "-", null, true);
  }

  private void t(String key, String what, String unit, String now, String target, Double limit, boolean lower) {
    table.row(key, what, unit, now, target, limit, lower);
  }

  ObjectNode run(String commandLine) throws IOException {
    long t0 = System.nanoTime();
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("startedAt", Instant.now().toString());
    out.set("machine", Env.machine());
    out.put("loadAverageAtStart", loadAverage());
    out.put("command", "java -cp benchmarks/target/codemode-bench.jar dev.codemode.bench.Lean " + commandLine);
    ObjectNode js = out.putObject("jars");
    jars.forEach(j -> js.put(j.name(), j.path().toString()));
    for (Jar j : jars) {
      Env.deleteTree(j.dir());
      Files.createDirectories(j.cache());
      Files.createDirectories(j.data());
    }
    try (Upstream up = Upstream.start()) {
      upstream = up;
      if (!opt.scaleOnly()) {
        phase("warm caches (GitHub semantic index cold)", this::warmCaches);
        if (!opt.memoryOnly()) {
          phase("start-ups with warm caches", this::startups);
        }
        phase("workload, memory and stdio latency", this::steady);
        phase("memory with --no-semantic", this::noSemantic);
        phase("Streamable HTTP crowd", this::crowd);
      }
      if (opt.scale()) {
        phase("Microsoft Graph", this::scale);
      }
      out.put("upstreamRequests", up.served());
    }
    out.put("totalSeconds", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
    out.put("loadAverageAtEnd", loadAverage());
    out.set("table", table.json());
    out.set("details", details);
    out.put("markdown", markdown(out));
    Path results = env.root().resolve("benchmarks/results");
    Files.createDirectories(results);
    ObjectNode file = out.deepCopy();
    file.remove("markdown");
    String name = opt.out() != null ? opt.out() : opt.scaleOnly() ? "lean-scale" : "lean";
    Files.writeString(results.resolve(name + ".json"), JSON.writeValueAsString(file) + "\n");
    Files.writeString(results.resolve(name + ".md"), out.path("markdown").asText());
    Bench.log("wrote %s and %s.md in %.0f s", results.resolve(name + ".json"), name, (System.nanoTime() - t0) / 1e9);
    return out;
  }

  private interface Phase {
    void run() throws Exception;
  }

  private void phase(String name, Phase p) {
    Bench.log("== lean: %s", name);
    long t0 = System.nanoTime();
    try {
      p.run();
    } catch (Exception | AssertionError e) {
      Bench.log("  phase %s failed: %s", name, e);
      e.printStackTrace();
    }
    Bench.log("   (%.0f s)", (System.nanoTime() - t0) / 1e9);
  }

  // ---- phases ----

  /** Starts each jar once on an empty cache so that every later start is warm; times the semantic index build. */
  private void warmCaches() {
    for (Jar j : jars) {
      try (McpSession s = stdio(j, githubArgs(j, true))) {
        s.listTools();
        double ready = awaitSemantic(s, opt.semanticWait());
        table.get("semanticColdGithub").put(j.name(), ready / 1000.0);
        d(j.name()).put("githubColdFirstToolsListMs", s.firstToolsListMillis());
        Bench.log("  %s: cold first tools/list %,d ms, semantic ready %,.0f ms", j.name(), s.firstToolsListMillis(),
            ready);
      } catch (RuntimeException | InterruptedException e) {
        table.get("semanticColdGithub").fail(j.name(), McpSession.reason(e));
        Bench.log("  %s: %s", j.name(), e);
      }
    }
  }

  /** {@code repeats} starts per jar, interleaved (order reversed every other round). */
  private void startups() {
    Map<String, List<double[]>> got = new LinkedHashMap<>();
    Map<String, String> why = new LinkedHashMap<>();
    for (int r = 0; r < opt.repeats(); r++) {
      for (Jar j : order(r)) {
        try (McpSession s = stdio(j, githubArgs(j, true))) {
          s.listTools();
          long first = s.firstToolsListMillis();
          double cpu = ProcTree.cpuMillis(s.pid) / 1000.0;
          long e0 = System.nanoTime();
          call(s.client, "execute", Map.of("code", TRIVIAL));
          double fe = (System.nanoTime() - e0) / 1e6;
          double fromSpawn = s.millisSinceStart();
          double ready = awaitSemantic(s, Duration.ofMinutes(2));
          got.computeIfAbsent(j.name(), k -> new ArrayList<>()).add(new double[] {first, fe, fromSpawn, ready, cpu});
          Bench.log("  %s start %d: first tools/list %,d ms, first execute +%,.0f ms (%,.0f from spawn), semantic "
              + "ready %,.0f ms", j.name(), r + 1, first, fe, fromSpawn, ready);
        } catch (RuntimeException | InterruptedException e) {
          why.put(j.name(), McpSession.reason(e));
          Bench.log("  %s start %d failed: %s", j.name(), r + 1, e);
        }
      }
    }
    String[] keys = {"firstToolsList", "firstExecute", "firstExecuteFromSpawn", "semanticReadyWarm",
        "cpuFirstToolsList"};
    for (Jar j : jars) {
      List<double[]> runs = got.getOrDefault(j.name(), List.of());
      for (int k = 0; k < keys.length; k++) {
        int col = k;
        if (runs.isEmpty()) {
          table.get(keys[k]).fail(j.name(), why.getOrDefault(j.name(), "no start"));
        } else {
          table.get(keys[k]).put(j.name(), LeanTable.median(runs.stream().mapToDouble(a -> a[col]).toArray()));
        }
      }
      ObjectNode d = d(j.name()).putObject("starts");
      d.put("n", runs.size());
      for (int k = 0; k < keys.length; k++) {
        int col = k;
        var arr = d.putArray(keys[k]);
        runs.forEach(a -> arr.add(Stats.round(a[col])));
      }
    }
  }

  /**
   * Every jar's server up at once (defaults, warm caches, semantic ready): the fixed workload, then memory, then
   * stdio latency in interleaved blocks of ten calls per script and jar, the direct GET measured in the same blocks.
   */
  private void steady() throws Exception {
    Map<String, McpSession> open = openAll(githubArgsFn(true), opt.semanticWait(),
        "rss", "rssServer", "rssIdle", "rssWorkers", "workers", "trivial", "addedPerCall", "directGet", "oneCall",
        "perCallOfTen", "searchP50", "rssAfterLatency", "cpuTrivial", "cpuOneCall");
    try {
      Map<String, long[]> searchNs = workload(open, GITHUB_ONE_CALL, Latency.QUERIES, "rss", "trivial",
          "addedPerCall", "oneCall", "perCallOfTen", "searchP50", "rssAfterLatency");
      for (Map.Entry<String, McpSession> e : open.entrySet()) {
        ProcTree.Snapshot m = ProcTree.of(e.getValue().pid);
        memory(e.getKey(), m, "rss", "rssServer", "rssWorkers", "workers");
        d(e.getKey()).set("memoryAfterWorkload", m.json());
        long[] s = searchNs.get(e.getKey());
        table.get("searchP50").put(e.getKey(), Stats.of(java.util.Arrays.copyOfRange(s, 10, s.length)).p50());
      }
      Thread.sleep(IDLE_SETTLE.toMillis());
      for (Map.Entry<String, McpSession> e : open.entrySet()) {
        ProcTree.Snapshot m = ProcTree.of(e.getValue().pid);
        table.get("rssIdle").put(e.getKey(), m.totalMiB());
        d(e.getKey()).set("memoryAfterWorkloadIdle", m.json());
        Bench.log("  %s memory %d s after the workload: %s", e.getKey(), IDLE_SETTLE.toSeconds(), m.json());
      }
      if (opt.memoryOnly()) {
        return;
      }
      String[] scripts = {TRIVIAL, GITHUB_ONE_CALL, GITHUB_TEN_CALLS};
      Map<String, long[][]> ns = new LinkedHashMap<>();
      Map<String, long[]> cpu = new LinkedHashMap<>();
      long[] direct = new long[opt.measured()];
      for (int i = 0; i < Math.max(opt.warmup(), 100); i++) {
        upstream.direct(DIRECT_PATH);
      }
      forEachOpen(open, (name, s) -> {
        for (String code : scripts) {
          for (int i = 0; i < opt.warmup(); i++) {
            call(s.client, "execute", Map.of("code", code));
          }
        }
        ns.put(name, new long[scripts.length][opt.measured()]);
        cpu.put(name, new long[scripts.length]);
      }, "trivial", "addedPerCall", "oneCall", "perCallOfTen", "rssAfterLatency", "cpuTrivial", "cpuOneCall");
      for (int b = 0; b < opt.measured(); b += 10) {
        int from = b;
        int to = Math.min(opt.measured(), b + 10);
        forEachOpen(open, (name, s) -> {
          for (int k = 0; k < scripts.length; k++) {
            long cpu0 = ProcTree.cpuMillis(s.pid);
            for (int i = from; i < to; i++) {
              long c0 = System.nanoTime();
              call(s.client, "execute", Map.of("code", scripts[k]));
              ns.get(name)[k][i] = System.nanoTime() - c0;
            }
            cpu.get(name)[k] += ProcTree.cpuMillis(s.pid) - cpu0;
          }
        }, "trivial", "addedPerCall", "oneCall", "perCallOfTen", "rssAfterLatency", "cpuTrivial", "cpuOneCall");
        for (int i = from; i < to; i++) {
          direct[i] = upstream.direct(DIRECT_PATH);
        }
      }
      Stats d = Stats.of(direct);
      for (Jar j : jars) {
        table.get("directGet").put(j.name(), d.p50());
      }
      for (Map.Entry<String, McpSession> e : open.entrySet()) {
        String name = e.getKey();
        Stats triv = Stats.of(ns.get(name)[0]);
        Stats one = Stats.of(ns.get(name)[1]);
        Stats ten = Stats.of(ns.get(name)[2]);
        table.get("trivial").put(name, triv.p50());
        table.get("oneCall").put(name, one.p50());
        table.get("addedPerCall").put(name, one.p50() - triv.p50() - d.p50());
        table.get("perCallOfTen").put(name, (ten.p50() - triv.p50()) / 10 - d.p50());
        table.get("rssAfterLatency").put(name, ProcTree.of(e.getValue().pid).totalMiB());
        table.get("cpuTrivial").put(name, (double) cpu.get(name)[0] / opt.measured());
        table.get("cpuOneCall").put(name, (double) cpu.get(name)[1] / opt.measured());
        ObjectNode lat = d(name).putObject("stdioLatency");
        lat.set("trivial", triv.json());
        lat.set("oneGet", one.json());
        lat.set("tenSequentialGets", ten.json());
        lat.set("directGet", d.json());
        Bench.log("  %s: trivial p50 %.2f ms, one GET %.2f ms, ten GETs %.2f ms, direct %.2f ms", name, triv.p50(),
            one.p50(), ten.p50(), d.p50());
      }
    } finally {
      open.values().forEach(McpSession::close);
    }
  }

  private void noSemantic() throws Exception {
    Map<String, McpSession> open = openAll(githubArgsFn(false), opt.semanticWait(), "rssNoSemantic");
    try {
      workload(open, GITHUB_ONE_CALL, Latency.QUERIES, "rssNoSemantic");
      for (Map.Entry<String, McpSession> e : open.entrySet()) {
        ProcTree.Snapshot m = ProcTree.of(e.getValue().pid);
        table.get("rssNoSemantic").put(e.getKey(), m.totalMiB());
        d(e.getKey()).set("memoryAfterWorkloadNoSemantic", m.json());
        Bench.log("  %s --no-semantic: %s", e.getKey(), m.json());
      }
    } finally {
      open.values().forEach(McpSession::close);
    }
  }

  /**
   * Per jar: the server over Streamable HTTP with a client token (defaults, warm caches, semantic ready, 20 executes
   * and 10 searches of warm-up on one session), then {@code clients} sessions opened first, released together, each
   * running 10 one-GET executes and 5 searches in sequence. Calls/s counts tool calls (executes + searches) over the
   * wall time from release to the last answer; p99 is over every tool call; an error is an isError result or a
   * failed request.
   */
  private void crowd() {
    String token = "lean-" + UUID.randomUUID();
    String[] rows = {"crowdRate", "crowdP99", "crowdErrors", "rssCrowd", "cpuCrowd", "rssCrowdIdle"};
    for (Jar j : jars) {
      List<String> a = new ArrayList<>(githubArgs(j, true));
      a.addAll(List.of("--transport", "http", "--port", "0", "--client-token", "env:" + CLIENT_TOKEN_VAR));
      StringBuilder whyNot = new StringBuilder();
      List<McpSyncClient> clients = new ArrayList<>();
      ExecutorService pool = Executors.newFixedThreadPool(opt.clients());
      try (McpSession s = McpSession.http(Env.serverCommand(j.path(), a), Map.of(CLIENT_TOKEN_VAR, token), whyNot,
          token)) {
        if (s == null) {
          throw new IllegalStateException(whyNot.toString());
        }
        s.listTools();
        awaitSemantic(s, opt.semanticWait());
        for (int i = 0; i < 30; i++) {
          if (i % 3 == 2) {
            call(s.client, "search", Map.of("query", Latency.QUERIES.get(i % Latency.QUERIES.size()), "limit", 5));
          } else {
            call(s.client, "execute", Map.of("code", GITHUB_ONE_CALL));
          }
        }
        for (int i = 0; i < opt.clients(); i++) {
          clients.add(McpSession.httpClient(s.endpoint, token));
        }
        int perClient = CROWD_EXECUTES + CROWD_SEARCHES;
        long[] ns = new long[opt.clients() * perClient];
        boolean[] isSearch = new boolean[ns.length];
        AtomicInteger errors = new AtomicInteger();
        List<String> errorSamples = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> fs = new ArrayList<>();
        for (int c = 0; c < opt.clients(); c++) {
          int ci = c;
          fs.add(pool.submit(() -> {
            go.await();
            for (int k = 0; k < perClient; k++) {
              boolean search = k % 3 == 2;
              int slot = ci * perClient + k;
              isSearch[slot] = search;
              long c0 = System.nanoTime();
              try {
                McpSchema.CallToolResult r = search
                    ? clients.get(ci).callTool(new McpSchema.CallToolRequest("search", Map.of("query",
                        Latency.QUERIES.get((ci + k) % Latency.QUERIES.size()), "limit", 5)))
                    : clients.get(ci).callTool(new McpSchema.CallToolRequest("execute",
                        Map.of("code", GITHUB_ONE_CALL)));
                if (Boolean.TRUE.equals(r.isError())) {
                  errors.incrementAndGet();
                  sample(errorSamples, McpSession.text(r));
                }
              } catch (RuntimeException e) {
                errors.incrementAndGet();
                sample(errorSamples, String.valueOf(e));
              }
              ns[slot] = System.nanoTime() - c0;
            }
            return null;
          }));
        }
        long cpu0 = ProcTree.cpuMillis(s.pid);
        long w0 = System.nanoTime();
        go.countDown();
        for (Future<?> f : fs) {
          f.get();
        }
        double secs = (System.nanoTime() - w0) / 1e9;
        table.get("cpuCrowd").put(j.name(), (double) (ProcTree.cpuMillis(s.pid) - cpu0) / ns.length);
        ProcTree.Snapshot m = ProcTree.of(s.pid);
        Stats all = Stats.of(ns);
        table.get("crowdRate").put(j.name(), ns.length / secs);
        table.get("crowdP99").put(j.name(), all.p99());
        table.get("crowdErrors").put(j.name(), errors.get());
        table.get("rssCrowd").put(j.name(), m.totalMiB());
        ObjectNode d = d(j.name()).putObject("crowd");
        d.put("clients", opt.clients());
        d.put("toolCalls", ns.length);
        d.put("seconds", Math.round(secs * 100) / 100.0);
        d.set("all", all.json());
        d.set("execute", Stats.of(pick(ns, isSearch, false)).json());
        d.set("search", Stats.of(pick(ns, isSearch, true)).json());
        d.put("errors", errors.get());
        var samples = d.putArray("errorSamples");
        errorSamples.forEach(samples::add);
        d.set("memoryAfter", m.json());
        Bench.log("  %s: %d tool calls in %.2f s = %.0f/s, p50 %.0f ms, p99 %.0f ms, errors %d%s", j.name(),
            ns.length, secs, ns.length / secs, all.p50(), all.p99(), errors.get(),
            errorSamples.isEmpty() ? "" : " e.g. " + errorSamples.get(0));
        // Close the sessions while the server still runs; the finally below only drops what is left.
        clients.forEach(McpSyncClient::closeGracefully);
        clients.clear();
        Thread.sleep(IDLE_SETTLE.toMillis());
        ProcTree.Snapshot idle = ProcTree.of(s.pid);
        table.get("rssCrowdIdle").put(j.name(), idle.totalMiB());
        d.set("memoryAfterIdle", idle.json());
        Bench.log("  %s: %d s after the crowd: %s", j.name(), IDLE_SETTLE.toSeconds(), idle.json());
      } catch (Exception e) {
        for (String r : rows) {
          table.get(r).fail(j.name(), McpSession.reason(e));
        }
        Bench.log("  %s crowd failed: %s", j.name(), e);
      } finally {
        clients.forEach(McpSyncClient::close);
        pool.shutdownNow();
      }
    }
  }

  /** Microsoft Graph: cold start and semantic index per jar, warm starts interleaved, then the workload on all. */
  private void scale() throws Exception {
    Path spec = env.specDir().resolve("msgraph-1.0.json.gz");
    if (!Files.isRegularFile(spec)) {
      for (LeanTable.Row r : table.rows()) {
        if (r.key.startsWith("ms")) {
          jars.forEach(j -> r.fail(j.name(), "no " + spec));
        }
      }
      return;
    }
    java.util.function.Function<Jar, List<String>> args = j -> List.of("--spec", spec.toString(), "--base-url",
        upstream.baseUrl() + "/v1.0", "--cache-dir", j.dir().resolve("cache-msgraph").toString(), "--data-dir",
        j.data().toString(), "--log-level", "info");
    for (Jar j : jars) {
      try (McpSession s = stdio(j, args.apply(j))) {
        s.listTools();
        table.get("msFirstToolsListCold").put(j.name(), s.firstToolsListMillis());
        double ready = awaitSemantic(s, opt.scaleWait());
        table.get("msSemanticCold").put(j.name(), ready / 1000.0);
        Bench.log("  %s msgraph cold: first tools/list %,d ms, semantic ready %,.0f ms", j.name(),
            s.firstToolsListMillis(), ready);
      } catch (RuntimeException | InterruptedException e) {
        table.get("msSemanticCold").fail(j.name(), McpSession.reason(e));
        Bench.log("  %s msgraph cold failed: %s", j.name(), e);
      }
    }
    Map<String, List<Double>> firsts = new LinkedHashMap<>();
    Map<String, String> why = new LinkedHashMap<>();
    for (int r = 0; r < opt.repeats(); r++) {
      for (Jar j : order(r)) {
        try (McpSession s = stdio(j, args.apply(j))) {
          s.listTools();
          firsts.computeIfAbsent(j.name(), k -> new ArrayList<>()).add((double) s.firstToolsListMillis());
          Bench.log("  %s msgraph start %d: first tools/list %,d ms", j.name(), r + 1, s.firstToolsListMillis());
        } catch (RuntimeException e) {
          why.put(j.name(), McpSession.reason(e));
        }
      }
    }
    for (Jar j : jars) {
      List<Double> f = firsts.get(j.name());
      if (f == null) {
        table.get("msFirstToolsList").fail(j.name(), why.getOrDefault(j.name(), "no start"));
      } else {
        table.get("msFirstToolsList").put(j.name(), LeanTable.median(f.stream().mapToDouble(Double::doubleValue)
            .toArray()));
      }
    }
    Map<String, McpSession> open = openAll(j -> args.apply(j), opt.scaleWait(), "msRss", "msSearchP50", "msPeak");
    try {
      workload(open, MSGRAPH_ONE_CALL, MSGRAPH_QUERIES, "msRss", "msSearchP50", "msPeak");
      Map<String, long[]> searchNs = new LinkedHashMap<>();
      for (Map.Entry<String, McpSession> e : open.entrySet()) {
        ProcTree.Snapshot m = ProcTree.of(e.getValue().pid);
        table.get("msRss").put(e.getKey(), m.totalMiB());
        table.get("msPeak").put(e.getKey(), m.rootPeakMiB());
        d(e.getKey()).set("msgraphMemoryAfterWorkload", m.json());
        searchNs.put(e.getKey(), new long[100]);
      }
      for (int i = -10; i < 100; i++) {
        int k = i;
        forEachOpen(open, (name, s) -> {
          long c0 = System.nanoTime();
          call(s.client, "search", Map.of("query", MSGRAPH_QUERIES.get((k + 10) % MSGRAPH_QUERIES.size()),
              "limit", 5));
          if (k >= 0) {
            searchNs.get(name)[k] = System.nanoTime() - c0;
          }
        }, "msSearchP50");
      }
      for (String name : open.keySet()) {
        Stats st = Stats.of(searchNs.get(name));
        table.get("msSearchP50").put(name, st.p50());
        d(name).set("msgraphSearch", st.json());
      }
    } finally {
      open.values().forEach(McpSession::close);
    }
  }

  // ---- helpers ----

  /** The jars in round {@code r} of interleaved starts: in order, reversed every other round. */
  private List<Jar> order(int r) {
    List<Jar> order = new ArrayList<>(jars);
    if (r % 2 == 1) {
      Collections.reverse(order);
    }
    return order;
  }

  private List<String> githubArgs(Jar j, boolean semantic) {
    List<String> a = new ArrayList<>(List.of("--spec", env.githubSpec().toString(), "--base-url", upstream.baseUrl(),
        "--cache-dir", j.cache().toString(), "--data-dir", j.data().toString()));
    a.addAll(semantic ? List.of("--log-level", "info") : List.of("--no-semantic"));
    return a;
  }

  private java.util.function.Function<Jar, List<String>> githubArgsFn(boolean semantic) {
    return j -> githubArgs(j, semantic);
  }

  private static McpSession stdio(Jar j, List<String> args) {
    return McpSession.stdio(Env.serverCommand(j.path(), args), Map.of());
  }

  /**
   * Opens one stdio session per jar, one after the other, and waits until its semantic search is ready (when the
   * args ask for it); a jar that fails gets {@code failed: reason} in {@code rows} and is left out.
   */
  private Map<String, McpSession> openAll(java.util.function.Function<Jar, List<String>> args, Duration wait,
      String... rows) {
    Map<String, McpSession> open = new LinkedHashMap<>();
    for (Jar j : jars) {
      McpSession s = null;
      try {
        List<String> a = args.apply(j);
        s = stdio(j, a);
        s.listTools();
        if (!a.contains("--no-semantic")) {
          awaitSemantic(s, wait);
        }
        open.put(j.name(), s);
      } catch (RuntimeException | InterruptedException e) {
        if (s != null) {
          s.close();
        }
        for (String r : rows) {
          table.get(r).fail(j.name(), McpSession.reason(e));
        }
        Bench.log("  %s failed to start: %s", j.name(), e);
      }
    }
    return open;
  }

  /**
   * The fixed workload on every open session, interleaved call by call: 50 executes of {@code oneCall} and 40
   * searches (execute, search, execute, search, ... then the remaining executes). Returns each jar's search times.
   */
  private Map<String, long[]> workload(Map<String, McpSession> open, String oneCall, List<String> queries,
      String... rows) {
    Map<String, long[]> searchNs = new LinkedHashMap<>();
    open.keySet().forEach(n -> searchNs.put(n, new long[WORKLOAD_SEARCHES]));
    for (int i = 0; i < Math.max(WORKLOAD_EXECUTES, WORKLOAD_SEARCHES); i++) {
      int k = i;
      forEachOpen(open, (name, s) -> {
        if (k < WORKLOAD_EXECUTES) {
          call(s.client, "execute", Map.of("code", oneCall));
        }
        if (k < WORKLOAD_SEARCHES) {
          long c0 = System.nanoTime();
          call(s.client, "search", Map.of("query", queries.get(k % queries.size()), "limit", 5));
          searchNs.get(name)[k] = System.nanoTime() - c0;
        }
      }, rows);
    }
    return searchNs;
  }

  /** Runs {@code step} on each open session; a session whose step throws is closed, dropped, and fails {@code rows}. */
  private void forEachOpen(Map<String, McpSession> open, BiConsumer<String, McpSession> step, String... rows) {
    for (String name : new ArrayList<>(open.keySet())) {
      McpSession s = open.get(name);
      try {
        step.accept(name, s);
      } catch (RuntimeException e) {
        Bench.log("  %s failed: %s", name, e);
        for (String r : rows) {
          table.get(r).fail(name, McpSession.reason(e));
        }
        open.remove(name);
        s.close();
      }
    }
  }

  private void memory(String jar, ProcTree.Snapshot m, String total, String server, String workers, String count) {
    table.get(total).put(jar, m.totalMiB());
    table.get(server).put(jar, m.rootMiB());
    table.get(workers).put(jar, m.descendantsMiB());
    table.get(count).put(jar, m.descendants());
    Bench.log("  %s memory after the workload: %s", jar, m.json());
  }

  /** Milliseconds from process spawn to the "semantic search ready" line; throws when unavailable or too late. */
  private static double awaitSemantic(McpSession s, Duration wait) throws InterruptedException {
    String line = s.awaitStderr(wait, "semantic search ready", "semantic search unavailable");
    if (line == null) {
      throw new IllegalStateException("semantic search not ready after " + wait.toSeconds() + " s");
    }
    if (line.contains("unavailable")) {
      throw new IllegalStateException(line.replaceAll("^.*?(semantic search)", "$1"));
    }
    return s.markMillis("semantic search ready");
  }

  /** A tool call that must succeed. */
  static McpSchema.CallToolResult call(McpSyncClient c, String tool, Map<String, Object> args) {
    McpSchema.CallToolResult r = c.callTool(new McpSchema.CallToolRequest(tool, args));
    if (Boolean.TRUE.equals(r.isError())) {
      String text = McpSession.text(r);
      throw new IllegalStateException(tool + " error: " + (text.length() > 300 ? text.substring(0, 300) : text));
    }
    return r;
  }

  /** This jar's details object in lean.json. */
  private ObjectNode d(String jar) {
    return (ObjectNode) details.get(jar);
  }

  private static long[] pick(long[] ns, boolean[] isSearch, boolean search) {
    return java.util.stream.IntStream.range(0, ns.length).filter(i -> isSearch[i] == search).mapToLong(i -> ns[i])
        .toArray();
  }

  private static void sample(List<String> samples, String text) {
    if (samples.size() < 5) {
      samples.add(text.length() > 200 ? text.substring(0, 200) : text);
    }
  }

  private String markdown(ObjectNode out) {
    ObjectNode m = (ObjectNode) out.get("machine");
    StringBuilder md = new StringBuilder();
    md.append(String.format(Locale.ROOT, "Issue #14 figures, measured %s on %d cores (%s), %.0f GiB RAM, %s; %.0f s "
            + "for this run, load average %s at the start and %s at the end (other work shares these cores: wall "
            + "times stretch with it, the CPU-time rows much less). Command: `%s`.%n%n",
        out.path("startedAt").asText().replaceAll("\\.\\d+Z$", "Z"), m.path("cores").asInt(), m.path("cpu").asText(),
        m.path("memoryGiB").asDouble(), m.path("jdk").asText(), out.path("totalSeconds").asDouble(),
        out.path("loadAverageAtStart").asText(), out.path("loadAverageAtEnd").asText(), out.path("command").asText()));
    jars.forEach(j -> md.append("- `").append(j.name()).append("`: ").append(j.path()).append('\n'));
    md.append('\n').append(table.markdown()).append('\n');
    md.append(String.format(Locale.ROOT, "✓ = meets the issue's target. Ratios are each jar over `%s` (below 1 = "
        + "smaller).%n%n", jars.get(0).name()));
    if (!opt.scaleOnly()) {
      md.append(String.format(Locale.ROOT, """
        Every server runs with its defaults (process isolation, semantic search on unless the row says \
        --no-semantic) against a local upstream that answers any request with a %d-byte JSON object, GitHub's spec \
        (%s) with `--base-url` pointing at it, \
        and its own `--cache-dir` and `--data-dir`, warmed by a first start whose semantic index build is the \
        "semantic index cold" row.

        - Resident memory: VmRSS summed over the server process and every process below it (the sandbox workers) from \
        /proc, after 50 executes of one GET each and 40 searches, with semantic search ready.
        - Start-up: spawn of `java -jar` to the answer of the first `tools/list` (after `initialize`), median of %d \
        starts per jar, jars interleaved. First execute: `return 1` sent right after that answer; the row times it \
        from the answer, the next row from spawn.
        - Stdio latency: %d warm-up calls per script, then %d measured per script, jars in interleaved blocks of 10. \
        Added per upstream call = p50(execute of one `api.call('repos/get')`) − p50(execute of `return 1`) − p50(the \
        same GET sent directly from the benchmark JVM with java.net.http, warm, measured in the same blocks).
        - Crowd: %d Streamable HTTP sessions (client token), opened first, released at once; each runs 10 one-GET \
        executes and 5 searches in sequence. Calls/s = tool calls / wall time from release to the last answer; p99 \
        over all tool calls; errors = isError results or failed requests.
        """, Upstream.BODY.length, env.githubSpec().getFileName(), opt.repeats(), opt.warmup(), opt.measured(),
          opt.clients()));
    }
    if (opt.scale()) {
      md.append("- Microsoft Graph (msgraph-1.0.json.gz): cold start on an empty cache, then ").append(opt.repeats())
          .append(" warm starts, then the same workload calling `me.user.GetUser` with Graph queries, then 100"
              + " searches after 10 of warm-up.\n");
    }
    return md.toString();
  }

  /** The 1, 5 and 15 minute load averages from /proc/loadavg: other agents share this machine's cores. */
  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
