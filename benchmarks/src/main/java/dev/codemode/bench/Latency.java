package dev.codemode.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codemode.server.tools.ToolOutput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Part 3: search and execute latency (p50/p99) in-process and end to end over stdio and Streamable HTTP, and
 * executions per second at concurrency 1, 8 and 32. Warm-up first, then a bounded number of measured calls.
 */
final class Latency {
  static final Map<String, String> SCRIPTS = new LinkedHashMap<>();

  static {
    SCRIPTS.put("trivial", "return 1 + 1;");
    SCRIPTS.put("oneCall", "const o = await api.call('getOrder', { orderId: 42 }); return o.total;");
    SCRIPTS.put("tenParallel", "const r = await Promise.all(Array.from({ length: 10 }, (_, i) => "
        + "api.call('getOrder', { orderId: i + 1 }))); return r.map(o => o.total);");
  }

  static final List<String> QUERIES = List.of("list repositories of a user", "create an issue",
      "merge a pull request", "add a label to an issue", "get the contents of a file", "list workflow runs",
      "star a repository", "create a release", "list commits on a branch", "delete a webhook",
      "get the authenticated user", "search code", "list organization members", "create a gist",
      "rerun a failed job", "update branch protection", "list deployments", "add a collaborator",
      "get a commit status", "list notifications");

  static final int WARMUP = 30;
  static final int MEASURED = 200;
  static final int E2E_MEASURED = 150;
  static final int[] CONCURRENCY = {1, 8, 32};
  static final Duration THROUGHPUT_WINDOW = Duration.ofSeconds(4);

  private final Env env;
  private final Env.Demo demo;

  Latency(Env env, Env.Demo demo) {
    this.env = env;
    this.demo = demo;
  }

  ObjectNode run() throws Exception {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("warmup", WARMUP);
    out.put("measured", MEASURED);
    out.put("e2eMeasured", E2E_MEASURED);
    ObjectNode search = out.putObject("search");
    try (InProcess gh = InProcess.start(Map.of(), "--spec", env.githubSpec().toString(), "--no-semantic")) {
      if (gh.realSearch()) {
        search.set("inProcess", measure(WARMUP, 300, i -> {
          var v = gh.tools().searchAsync(Map.of("query", QUERIES.get(i % QUERIES.size()), "limit", 5))
              .block(Duration.ofSeconds(30));
          check(v.isError(), v.json());
          return null;
        }));
      } else {
        search.put("inProcess", "pending: SearchIndex.build is a stub on this branch");
      }
    }
    Bench.log("  search in-process %s", search.get("inProcess"));
    try (McpSession gh = McpSession.stdio(env.serverCommand(List.of("--spec", env.githubSpec().toString(),
        "--no-semantic")), Map.of())) {
      gh.listTools();
      search.set("stdio", measure(WARMUP, E2E_MEASURED, i -> {
        var r = gh.call("search", Map.of("query", QUERIES.get(i % QUERIES.size()), "limit", 5));
        check(Boolean.TRUE.equals(r.isError()), McpSession.text(r));
        return null;
      }));
    } catch (RuntimeException e) {
      search.put("stdio", "failed: " + McpSession.reason(e));
    }
    Bench.log("  search stdio %s", search.get("stdio"));
    StringBuilder whyNotSearch = new StringBuilder();
    try (McpSession gh = McpSession.http(env.serverCommand(List.of("--spec", env.githubSpec().toString(),
        "--no-semantic", "--transport", "http", "--port", "0")), Map.of(), whyNotSearch)) {
      if (gh == null) {
        search.put("http", "pending: " + whyNotSearch);
      } else {
        gh.listTools();
        search.set("http", measure(WARMUP, E2E_MEASURED, i -> {
          var r = gh.call("search", Map.of("query", QUERIES.get(i % QUERIES.size()), "limit", 5));
          check(Boolean.TRUE.equals(r.isError()), McpSession.text(r));
          return null;
        }));
      }
    } catch (RuntimeException e) {
      search.put("http", "failed: " + McpSession.reason(e));
    }
    Bench.log("  search http %s", search.get("http"));

    ObjectNode exec = out.putObject("execute");
    ObjectNode tput = out.putObject("throughput");
    try (InProcess cm = InProcess.start(demo.env(), demo.codemodeArgs().toArray(String[]::new))) {
      Function<String, Object> run = code -> {
        ToolOutput v = cm.tools().execute(null, Map.of("code", code), null)
            .block(Duration.ofSeconds(60));
        check(v.isError(), v.json());
        return null;
      };
      exec.set("inProcess", scripts(run, MEASURED));
      tput.set("inProcess", throughput(run));
    }
    Bench.log("  execute in-process %s%n  throughput in-process %s", exec.get("inProcess"), tput.get("inProcess"));
    try (McpSession s = McpSession.stdio(env.serverCommand(demo.codemodeArgs()), demo.env())) {
      s.listTools();
      Function<String, Object> run = code -> {
        var r = s.call("execute", Map.of("code", code));
        check(Boolean.TRUE.equals(r.isError()), McpSession.text(r));
        return null;
      };
      exec.set("stdio", scripts(run, E2E_MEASURED));
      tput.set("stdio", throughput(run));
      out.put("stdioServerRssMiB", s.rssMiB()[0]);
    } catch (RuntimeException e) {
      exec.put("stdio", "failed: " + McpSession.reason(e));
      tput.put("stdio", "failed");
    }
    Bench.log("  execute stdio %s%n  throughput stdio %s", exec.get("stdio"), tput.get("stdio"));
    List<String> httpArgs = new ArrayList<>(demo.codemodeArgs());
    httpArgs.addAll(List.of("--transport", "http", "--port", "0"));
    StringBuilder whyNot = new StringBuilder();
    try (McpSession s = McpSession.http(env.serverCommand(httpArgs), demo.env(), whyNot)) {
      if (s == null) {
        exec.put("http", "pending: " + whyNot);
        tput.put("http", "pending");
      } else {
        s.listTools();
        Function<String, Object> run = code -> {
          var r = s.call("execute", Map.of("code", code));
          check(Boolean.TRUE.equals(r.isError()), McpSession.text(r));
          return null;
        };
        exec.set("http", scripts(run, E2E_MEASURED));
        tput.set("http", throughput(run));
      }
    } catch (RuntimeException e) {
      exec.put("http", "failed: " + McpSession.reason(e));
      tput.put("http", "failed");
    }
    Bench.log("  execute http %s%n  throughput http %s", exec.get("http"), tput.get("http"));
    return out;
  }

  private static ObjectNode scripts(Function<String, Object> run, int measured) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    SCRIPTS.forEach((name, code) -> o.set(name, measure(WARMUP, measured, i -> run.apply(code))));
    return o;
  }

  private static ObjectNode measure(int warmup, int n, Function<Integer, Object> op) {
    for (int i = 0; i < warmup; i++) {
      op.apply(i);
    }
    long[] t = new long[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      op.apply(i);
      t[i] = System.nanoTime() - t0;
    }
    return Stats.of(t).json();
  }

  /** Completed one-call executions per second with {@code c} callers for a fixed window, errors counted apart. */
  private static ObjectNode throughput(Function<String, Object> run) throws Exception {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    String code = SCRIPTS.get("oneCall");
    for (int c : CONCURRENCY) {
      ExecutorService pool = Executors.newFixedThreadPool(c);
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong done = new AtomicLong();
      AtomicLong failed = new AtomicLong();
      List<Future<?>> fs = new ArrayList<>();
      long[] window = new long[2];
      for (int i = 0; i < c; i++) {
        fs.add(pool.submit(() -> {
          while (!stop.get()) {
            try {
              run.apply(code);
              if (window[0] != 0) {
                done.incrementAndGet();
              }
            } catch (RuntimeException e) {
              failed.incrementAndGet();
            }
          }
        }));
      }
      Thread.sleep(1000);
      window[0] = System.nanoTime();
      done.set(0);
      failed.set(0);
      Thread.sleep(THROUGHPUT_WINDOW.toMillis());
      long n = done.get();
      long f = failed.get();
      double secs = (System.nanoTime() - window[0]) / 1e9;
      stop.set(true);
      for (Future<?> fu : fs) {
        fu.get();
      }
      pool.shutdown();
      ObjectNode r = o.putObject("c" + c);
      r.put("perSecond", Math.round(n / secs));
      r.put("errors", f);
    }
    return o;
  }

  private static void check(boolean isError, String text) {
    if (isError) {
      throw new IllegalStateException("tool error: " + (text.length() > 300 ? text.substring(0, 300) : text));
    }
  }
}
