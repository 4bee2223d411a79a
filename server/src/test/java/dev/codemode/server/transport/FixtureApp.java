package dev.codemode.server.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codemode.isolate.ExecutionRequest;
import dev.codemode.isolate.ExecutionResult;
import dev.codemode.isolate.HostBridge;
import dev.codemode.isolate.Sandbox;
import dev.codemode.server.Codemode;
import dev.codemode.server.config.Budgets;
import dev.codemode.server.config.ConfigException;
import dev.codemode.server.config.ServerConfig;
import dev.codemode.server.tools.CodemodeTools;
import dev.codemode.server.upstream.FakeSpec;
import dev.codemode.server.upstream.PingUpstream;
import dev.codemode.spec.ApiSpec;
import dev.codemode.spec.Operation;
import dev.codemode.spec.SearchHit;
import dev.codemode.spec.SearchIndex;
import dev.codemode.spec.SearchQuery;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The real Codemode (assembled by {@link Codemode#builder}) over test doubles, so transports can be tested without the
 * spec index and the GraalJS sandbox: a one-operation spec, an index that returns it, a local upstream for
 * {@code GET /ping}, and a {@link ScriptedSandbox} that understands a few fixed scripts. Close it after use.
 */
final class FixtureApp implements AutoCloseable {
  /** Returns 2. */
  static final String ADD = "return 1 + 1";
  /** Throws; the result is an error. */
  static final String THROW = "throw new Error('boom')";
  /** Runs until cancelled. */
  static final String LOOP = "while (true) {}";
  /** A search query the index answers only once released ({@link FixtureIndex#releaseSlow}). */
  static final String SLOW_QUERY = "a search that takes its time";
  /** {@code together N R}: searches answered all at once, when N of round R are waiting (at most 10 s). */
  static final String TOGETHER = "together ";

  /**
   * {@code interrupted N}: returns a string of N characters, completed (so answered) on a thread whose interrupt flag
   * is set, as a sandbox or pool thread can be when it is told to stop while it sends.
   */
  static String interrupted(int chars) {
    return "interrupted " + chars;
  }

  /** {@code calls N}: N upstream calls, one progress notification each, returns N. */
  static String calls(int n) {
    return "calls " + n;
  }

  private final PingUpstream upstream;
  private final Codemode app;
  final ScriptedSandbox sandbox;
  final CodemodeTools tools;
  final FixtureIndex index;

  FixtureApp() throws IOException {
    upstream = PingUpstream.start();
    Operation ping = new Operation("api", "ping", "GET", "/ping", "Check that the API is up", "", List.of("health"),
        List.of(), null, List.of(), false);
    FakeSpec spec = new FakeSpec(List.of(ping), Map.of());
    String base = upstream.baseUrl();
    sandbox = new ScriptedSandbox();
    index = new FixtureIndex(spec);
    ServerConfig config = ServerConfig.defaults()
        .withSpecsAndAuth(List.of(new ServerConfig.SpecSource("api", "fixture", base)), List.of())
        .withBudgets(Budgets.defaults().withMaxOutputChars(4_000_000));
    try {
      app = Codemode.builder(config).specs(src -> spec).searchIndex(specs -> index).sandbox(sandbox)
          .build();
    } catch (ConfigException e) {
      upstream.close();
      throw new IllegalStateException(e);
    }
    tools = app.tools();
  }

  ServerDefinition definition() {
    return app.definition();
  }

  @Override
  public void close() {
    app.close();
    upstream.close();
  }

  /** A sandbox that knows the scripts named in {@link FixtureApp}. */
  static final class ScriptedSandbox implements Sandbox {
    private static final ObjectMapper JSON = new ObjectMapper();
    final AtomicReference<CountDownLatch> loopStarted = new AtomicReference<>(new CountDownLatch(1));
    final AtomicReference<CountDownLatch> loopCancelled = new AtomicReference<>(new CountDownLatch(1));

    @Override
    public CompletableFuture<ExecutionResult> execute(ExecutionRequest request, HostBridge bridge) {
      String code = request.code().strip();
      if (code.equals(ADD)) {
        return CompletableFuture.completedFuture(ok("2"));
      }
      if (code.equals(THROW)) {
        return CompletableFuture.completedFuture(new ExecutionResult(ExecutionResult.Kind.RUNTIME_ERROR, null,
            "Error: boom (line 1: throw new Error('boom'))", List.of(), 0, 0, 1));
      }
      if (code.equals(LOOP)) {
        CountDownLatch cancelled = loopCancelled.get();
        CompletableFuture<ExecutionResult> never = new CompletableFuture<>() {
          @Override
          public boolean cancel(boolean mayInterrupt) {
            cancelled.countDown();
            System.err.println("fixture: script cancelled");
            return super.cancel(mayInterrupt);
          }
        };
        loopStarted.get().countDown();
        System.err.println("fixture: script started");
        return never;
      }
      if (code.startsWith("interrupted ")) {
        String big = "\"" + "x".repeat(Integer.parseInt(code.substring(12).trim())) + "\"";
        CompletableFuture<ExecutionResult> answer = new CompletableFuture<>();
        Thread t = new Thread(() -> {
          while (answer.getNumberOfDependents() == 0) { // completed later than subscribed: answered on this thread
            Thread.onSpinWait();
          }
          Thread.currentThread().interrupt();
          answer.complete(ok(big));
        }, "fixture-interrupted");
        t.setDaemon(true);
        t.start();
        return answer;
      }
      if (code.startsWith("calls ")) {
        int n = Integer.parseInt(code.substring(6).trim());
        CompletableFuture<Integer> chain = CompletableFuture.completedFuture(0);
        for (int i = 0; i < n; i++) {
          chain = chain.thenCompose(done -> bridge.call("call", "{\"api\":\"api\",\"operationId\":\"ping\",\"args\":{}}")
              .toCompletableFuture().thenApply(res -> {
                if (!readTree(res).toString().contains("pong")) {
                  throw new IllegalStateException("upstream answered " + res);
                }
                return done + 1;
              }));
        }
        return chain.handle((count, err) -> err == null ? ok(String.valueOf(count))
            : new ExecutionResult(ExecutionResult.Kind.RUNTIME_ERROR, null, String.valueOf(err.getMessage()),
                List.of(), 0, n, 1));
      }
      return CompletableFuture.completedFuture(new ExecutionResult(ExecutionResult.Kind.SYNTAX_ERROR, null,
          "the scripted sandbox does not know: " + code, List.of(), 0, 0, 0));
    }

    private static JsonNode readTree(String s) {
      try {
        return JSON.readTree(s);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    private static ExecutionResult ok(String json) {
      return new ExecutionResult(ExecutionResult.Kind.OK, json, null, List.of(), 0, 0, 1);
    }

    @Override
    public void close() {}
  }

  /**
   * Returns every operation for any query; the query {@link #SLOW_QUERY} waits until {@link #releaseSlow} or at most
   * 3 s (a test in another process cannot release it), so a test can hold a search in progress.
   */
  static final class FixtureIndex implements SearchIndex {
    private final ApiSpec spec;
    final CountDownLatch slowStarted = new CountDownLatch(1);
    private final CountDownLatch slowReleased = new CountDownLatch(1);
    private final java.util.concurrent.ConcurrentHashMap<String, CountDownLatch> together =
        new java.util.concurrent.ConcurrentHashMap<>();

    FixtureIndex(ApiSpec spec) {
      this.spec = spec;
    }

    void releaseSlow() {
      slowReleased.countDown();
    }

    @Override
    public List<SearchHit> search(SearchQuery query) {
      if (query.text().startsWith(TOGETHER)) { // "together N round": answered once N such searches are waiting
        String[] w = query.text().substring(TOGETHER.length()).trim().split(" ");
        CountDownLatch all = together.computeIfAbsent(w[1], k -> new CountDownLatch(Integer.parseInt(w[0])));
        all.countDown();
        try {
          all.await(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (SLOW_QUERY.equals(query.text())) {
        slowStarted.countDown();
        System.err.println("fixture: slow search started");
        try {
          slowReleased.await(3, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return spec.operations().stream().map(o -> new SearchHit(o, 1.0)).limit(query.limit()).toList();
    }

    @Override
    public List<ApiSpec> specs() {
      return List.of(spec);
    }

    @Override
    public void close() {}
  }
}
