package dev.codemode.isolate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.isolate.ExecutionResult.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The behaviour every sandbox backend must show; subclassed once per backend. */
abstract class SandboxContract {
  static final Limits SHORT = Limits.defaults().withWallTime(Duration.ofSeconds(3)).withCpuTime(Duration.ofSeconds(2))
      .withMaxAllocatedBytes(64L << 20);
  static final String PRELUDE = """
      const __h = globalThis.__host; delete globalThis.__host;
      globalThis.api = { request: async (req) => JSON.parse(await __h('request', JSON.stringify(req))) };
      """;
  static final ScheduledExecutorService TIMER = Executors.newScheduledThreadPool(2);

  abstract Sandbox sandbox();

  @AfterAll
  static void stopTimer() {
    // shared, daemon-less timer is cheap; leave it for other subclasses
  }

  ExecutionResult run(String code) {
    return run(code, SHORT, HostBridge.NONE);
  }

  ExecutionResult run(String code, Limits limits, HostBridge bridge) {
    return sandbox().execute(new ExecutionRequest(code, PRELUDE, limits), bridge).join();
  }

  /** Echoes its arguments after a delay, on a timer thread; counts calls in flight. */
  static final class SlowEcho implements HostBridge {
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final long delayMs;

    SlowEcho(long delayMs) {
      this.delayMs = delayMs;
    }

    @Override
    public CompletableFuture<String> call(String fn, String args) {
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      CompletableFuture<String> f = new CompletableFuture<>();
      TIMER.schedule(() -> {
        inFlight.decrementAndGet();
        if (args.contains("fail")) {
          f.completeExceptionally(new IllegalStateException("upstream said 500 for " + fn));
        } else {
          f.complete("{\"fn\":\"" + fn + "\",\"args\":" + args + "}");
        }
      }, delayMs, TimeUnit.MILLISECONDS);
      return f;
    }
  }

  @Test
  void hostCallTextsWithLineBreaksArriveIntact() {
    // Compact JSON travels on a line of its own; texts with raw line breaks must take the escaped way, both ways.
    HostBridge pretty = (fn, args) -> CompletableFuture.completedFuture(
        "{\"got\":" + args + ",\r\n  \"pretty\": [1,\n2],\"s\":\"a\\nb\"}");
    ExecutionResult r = run("const a = JSON.parse(await __h('echo', '{\"x\":\\n\"y\\\\nz\"}'));"
        + " const b = JSON.parse(await __h('echo', '[1]')); return [a.got, a.pretty, a.s, b.got]", SHORT, pretty);
    assertEquals(Kind.OK, r.kind(), r.error());
    assertEquals("[{\"x\":\"y\\nz\"},[1,2],\"a\\nb\",[1]]", r.resultJson());
  }

  @Test
  void returnsJson() {
    ExecutionResult r = run("return {a: 1 + 1, b: [true, null, 'x']}");
    assertEquals(Kind.OK, r.kind(), r.error());
    assertEquals("{\"a\":2,\"b\":[true,null,\"x\"]}", r.resultJson());
  }

  @Test
  void undefinedBecomesNull() {
    assertEquals("null", run("const x = 1;").resultJson());
  }

  @Test
  void capturesLogs() {
    ExecutionResult r = run("console.log('hi', {a: 1}); console.warn('careful'); return 1");
    assertEquals(List.of("hi {\"a\":1}", "[warn] careful"), r.logs());
  }

  @Test
  void syntaxErrorNamesTheUsersLine() {
    ExecutionResult r = run("const a = 1;\nlet y = ;\nreturn a");
    assertEquals(Kind.SYNTAX_ERROR, r.kind());
    assertTrue(r.error().contains("line 2, column 9"), r.error());
    assertTrue(r.error().contains("let y = ;"), r.error());
  }

  @Test
  void syntaxErrorOnTheFirstLineHasTheUsersColumn() {
    ExecutionResult r = run("let = = 2");
    assertEquals(Kind.SYNTAX_ERROR, r.kind());
    assertTrue(r.error().contains("line 1, column "), r.error());
  }

  @Test
  void unclosedBraceIsReportedAtTheEnd() {
    ExecutionResult r = run("const a = {\nreturn a");
    assertEquals(Kind.SYNTAX_ERROR, r.kind());
    assertFalse(r.error().contains("script.js"), r.error());
  }

  @Test
  void runtimeErrorShowsOnlyTheScriptsFrames() {
    ExecutionResult r = run("const a = 1;\nfunction f() { return null.foo }\nreturn f()");
    assertEquals(Kind.RUNTIME_ERROR, r.kind());
    assertTrue(r.error().startsWith("TypeError"), r.error());
    assertTrue(r.error().contains("at f (line 2:"), r.error());
    assertTrue(r.error().contains("line 3:"), r.error());
    assertFalse(r.error().contains("script.js"), r.error());
    assertFalse(r.error().contains("prelude"), r.error());
    assertFalse(r.error().contains("java."), r.error());
  }

  @Test
  void nonErrorThrowsAreDescribed() {
    assertTrue(run("throw 'boom'").error().contains("\"boom\""));
    assertTrue(run("throw {a: 1}").error().contains("{\"a\":1}"));
  }

  @Test
  void hostCallsRunInParallel() {
    SlowEcho echo = new SlowEcho(200);
    long t0 = System.nanoTime();
    ExecutionResult r = run("const rs = await Promise.all([1,2,3,4,5,6,7,8].map(i => api.request({path: '/' + i})));"
        + " return rs.map(r => r.args.path)", SHORT, echo);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(Kind.OK, r.kind(), r.error());
    assertEquals("[\"/1\",\"/2\",\"/3\",\"/4\",\"/5\",\"/6\",\"/7\",\"/8\"]", r.resultJson());
    assertEquals(8, r.hostCalls());
    assertEquals(8, echo.maxInFlight.get());
    assertTrue(ms < 1500, "took " + ms + " ms");
  }

  @Test
  void failedHostCallRejectsWithAnError() {
    ExecutionResult r = run("try { await api.request({path: 'fail'}) } catch (e) { return [e instanceof Error, e.message] }",
        SHORT, new SlowEcho(1));
    assertEquals("[true,\"upstream said 500 for request\"]", r.resultJson());
  }

  @Test
  void preludeCanHideTheHostFunction() {
    assertEquals("\"undefined\"", run("return typeof __host").resultJson());
  }

  @Test
  void neverSettlingPromiseEndsAtOnce() {
    ExecutionResult r = run("await new Promise(() => {}); return 1");
    assertEquals(Kind.RUNTIME_ERROR, r.kind());
    assertTrue(r.error().contains("never settle"), r.error());
  }

  @Test
  void slowHostCallEndsAtWallTime() {
    ExecutionResult r = run("await api.request({}); return 1",
        SHORT.withWallTime(Duration.ofMillis(500)), new SlowEcho(5_000));
    assertEquals(Kind.WALL_TIME_LIMIT, r.kind());
    assertTrue(r.error().contains("wall-time limit"), r.error());
    assertTrue(r.elapsedMillis() < 2_000, "elapsed " + r.elapsedMillis());
  }

  @Test
  void endlessLoopEndsAtCpuLimit() {
    ExecutionResult r = run("for (;;) { try { for (;;) {} } catch (e) {} finally { continue } }",
        // The wall limit is far above the CPU limit so that a busy machine (the loop gets less than a core) still ends
        // the script at its CPU limit.
        SHORT.withCpuTime(Duration.ofMillis(500)).withWallTime(Duration.ofSeconds(30)), HostBridge.NONE);
    assertEquals(Kind.CPU_LIMIT, r.kind(), r.error());
    assertTrue(r.error().contains("CPU-time limit"), r.error());
  }

  @Test
  void memoryBombEndsAtMemoryLimit() {
    ExecutionResult r = run("const a = []; for (;;) a.push({x: a.length, s: 'abc' + a.length});",
        SHORT.withWallTime(Duration.ofSeconds(30)).withCpuTime(Duration.ofSeconds(30)), HostBridge.NONE);
    assertEquals(Kind.MEMORY_LIMIT, r.kind(), r.error());
    assertTrue(r.error().contains("memory limit"), r.error());
  }

  @Test
  void deepRecursionEndsAtStackLimit() {
    ExecutionResult r = run("function f(n) { return f(n + 1) + 1 } return f(0)");
    assertEquals(Kind.STACK_LIMIT, r.kind(), r.error());
  }

  @Test
  void recursionWithinTheLimitWorks() {
    ExecutionResult r = run("function g(n) { return n === 0 ? 0 : g(n - 1) + 1 } return g(1900)");
    assertEquals("1900", r.resultJson(), r.error());
  }

  @Test
  void largeResultFailsWithOutputLimit() {
    ExecutionResult r = run("return 'x'.repeat(2000)", SHORT.withMaxOutputBytes(1000, 1000), HostBridge.NONE);
    assertEquals(Kind.OUTPUT_LIMIT, r.kind());
    assertTrue(r.error().contains("2002 bytes"), r.error());
  }

  @Test
  void logsAreCappedAndCounted() {
    ExecutionResult r = run("for (let i = 0; i < 1000; i++) console.log('line ' + i); return 1",
        SHORT.withMaxOutputBytes(1000, 100), HostBridge.NONE);
    assertEquals(Kind.OK, r.kind());
    assertTrue(r.logs().size() < 20);
    assertEquals(1000, r.logs().size() + r.droppedLogLines());
  }

  @Test
  void hostCallLimits() {
    ExecutionResult total = run("for (let i = 0; i < 10; i++) await api.request({}); return 1",
        SHORT.withMaxHostCalls(5, 5), new SlowEcho(1));
    assertEquals(Kind.HOST_CALL_LIMIT, total.kind());
    assertTrue(total.error().contains("more than 5 host calls"), total.error());
    ExecutionResult parallel = run("await Promise.all([1,2,3,4].map(() => api.request({}))); return 1",
        SHORT.withMaxHostCalls(50, 3), new SlowEcho(50));
    assertEquals(Kind.HOST_CALL_LIMIT, parallel.kind());
    assertTrue(parallel.error().contains("in flight"), parallel.error());
  }

  @Test
  void cancellingTheFutureStopsTheScript() throws Exception {
    CompletableFuture<ExecutionResult> f = sandbox().execute(
        new ExecutionRequest("for (;;) {}", "", SHORT.withCpuTime(Duration.ofSeconds(60))
            .withWallTime(Duration.ofSeconds(60))), HostBridge.NONE);
    Thread.sleep(200);
    f.cancel(true);
    // the sandbox is free again quickly
    ExecutionResult r = run("return 2");
    assertEquals("2", r.resultJson(), r.error());
  }

  @Test
  void nothingLeaksBetweenExecutions() {
    run("globalThis.x = 42; Array.prototype.evil = 1; Object.prototype.polluted = true; JSON.stringify = () => 'x'");
    ExecutionResult r = run("return [typeof x, [].evil, ({}).polluted, JSON.stringify({a:1})]");
    assertEquals("[\"undefined\",null,null,\"{\\\"a\\\":1}\"]", r.resultJson());
  }

  @Test
  void parallelExecutionsAllSucceed() {
    List<CompletableFuture<ExecutionResult>> fs = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      fs.add(sandbox().execute(new ExecutionRequest("return " + i, PRELUDE, SHORT), HostBridge.NONE));
    }
    for (int i = 0; i < 20; i++) {
      ExecutionResult r = fs.get(i).join();
      assertEquals(String.valueOf(i), r.resultJson(), r.error());
    }
  }

  /**
   * Contexts prepared ahead ({@link Sandbox#prepare}, and after every execution) serve one execution each: the
   * prelude runs once per execution, and logs and host calls reach the execution that owns the context.
   */
  @Test
  void preparedContextsServeOneExecutionEach() {
    String counting = PRELUDE + "globalThis.preludeRuns = (globalThis.preludeRuns || 0) + 1;";
    sandbox().prepare(new ExecutionRequest("", counting, SHORT));
    for (int i = 0; i < 4; i++) {
      ExecutionResult r = sandbox().execute(new ExecutionRequest("globalThis.preludeRuns += 10; console.log('run " + i
          + "'); const e = await api.request({n: " + i + "}); return [preludeRuns, e.args.n]", counting, SHORT),
          new SlowEcho(1)).join();
      assertEquals("[11," + i + "]", r.resultJson(), r.error());
      assertEquals(List.of("run " + i), r.logs());
      assertEquals(1, r.hostCalls());
    }
    // another prelude (or other limits) is not served a context prepared for the first
    ExecutionResult other = sandbox().execute(new ExecutionRequest("return typeof preludeRuns", "", SHORT),
        HostBridge.NONE).join();
    assertEquals("\"undefined\"", other.resultJson(), other.error());
    ExecutionResult deeper = sandbox().execute(new ExecutionRequest("return preludeRuns", counting,
        SHORT.withMaxStackDepth(SHORT.maxStackDepth() + 1)), HostBridge.NONE).join();
    assertEquals("1", deeper.resultJson(), deeper.error());
  }

  @Test
  void aFailingPreludeIsAServerBugNotTheScripts() {
    for (int i = 0; i < 2; i++) { // built for the execution, then prepared ahead
      ExecutionResult r = sandbox().execute(new ExecutionRequest("return 1", "null.x", SHORT), HostBridge.NONE).join();
      assertEquals(Kind.INTERNAL, r.kind());
      assertTrue(r.error().contains("prelude"), r.error());
    }
  }
}
