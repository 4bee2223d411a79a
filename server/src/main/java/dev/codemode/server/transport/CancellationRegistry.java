package dev.codemode.server.transport;

import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Owns the tool calls in flight and stops them on MCP {@code notifications/cancelled}. The Java SDK (2.1.0) ignores
 * that notification and does not hand the JSON-RPC id to a tool handler, so the transport boundary
 * ({@link JsonRpcInspector}) stamps every {@code tools/call} with an opaque key in {@code params._meta} and reports
 * cancellations by the same key; {@link #decorate} makes the tool's {@code Mono} end when its key is cancelled.
 * Cancelling the {@code Mono} cancels the sandbox future, which stops the script. Thread-safe.
 *
 * <pre>{@code
 * CancellationRegistry calls = new CancellationRegistry();
 * McpServer.async(transport).tools(specs.stream().map(calls::decorate).toList());
 * }</pre>
 */
public final class CancellationRegistry {
  /** The {@code params._meta} entry holding the key; set only by the transport boundary, never trusted from clients. */
  public static final String META_KEY = "dev.codemode/requestKey";
  private static final Logger LOG = LoggerFactory.getLogger(CancellationRegistry.class);
  private static final int MAX_EXPECTED = 10_000;
  private static final long EXPECTED_TTL_NANOS = Duration.ofMinutes(10).toNanos();

  private final Map<String, Sinks.One<Boolean>> running = new ConcurrentHashMap<>();
  /** Keys stamped at the boundary whose handler has not started yet, with the time they were seen. */
  private final Map<String, Long> expected = new ConcurrentHashMap<>();
  /** Keys cancelled before their handler started. */
  private final Map<String, Long> cancelledEarly = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong anonymous = new AtomicLong();
  private final Object idle = new Object();

  /** Called by the boundary when it stamps a tools/call with {@code key}. */
  void expect(String key) {
    long now = System.nanoTime();
    if (expected.size() >= MAX_EXPECTED) {
      purge(expected, now);
      purge(cancelledEarly, now);
    }
    if (expected.size() < MAX_EXPECTED) {
      expected.put(key, now);
    }
  }

  /**
   * Stops the call stamped with {@code key}, or remembers the cancellation when the call was announced but has not
   * started. Unknown keys are ignored (the call finished already, or never existed).
   *
   * @return whether a running or announced call matched
   */
  public boolean cancel(String key, String reason) {
    Sinks.One<Boolean> sink = running.get(key);
    if (sink != null) {
      LOG.info("cancelling tool call {}: {}", key, reason == null ? "no reason given" : reason);
      sink.tryEmitValue(Boolean.TRUE);
      return true;
    }
    if (expected.remove(key) != null) {
      cancelledEarly.put(key, System.nanoTime());
      return true;
    }
    return false;
  }

  /** Cancels every call in flight (shutdown after the grace period). Returns how many were cancelled. */
  public int cancelAll(String reason) {
    int n = 0;
    for (String key : running.keySet()) {
      if (cancel(key, reason)) {
        n++;
      }
    }
    return n;
  }

  /** Tool calls running now, stamped or not. */
  public int inFlight() {
    return inFlight.get();
  }

  /** Waits until no tool call is running, at most {@code timeout}. Returns whether it became idle. */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (idle) {
      while (inFlight.get() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        idle.wait(Math.max(1, left / 1_000_000));
      }
    }
    return true;
  }

  /** The same tool whose calls are counted, and stopped when their key is cancelled. */
  public McpServerFeatures.AsyncToolSpecification decorate(McpServerFeatures.AsyncToolSpecification spec) {
    return McpServerFeatures.AsyncToolSpecification.builder()
        .tool(spec.tool())
        .callHandler((exchange, req) -> track(keyOf(req), Mono.defer(() -> spec.callHandler().apply(exchange, req))))
        .build();
  }

  /** Runs {@code work} as one tool call; it completes empty (no response is sent) when {@code key} is cancelled. */
  public <T> Mono<T> track(String key, Mono<T> work) {
    return Mono.defer(() -> {
      String k = key != null ? key : "anonymous#" + anonymous.incrementAndGet();
      if (key != null) {
        expected.remove(key);
        if (cancelledEarly.remove(key) != null) {
          LOG.info("tool call {} was cancelled before it started", key);
          return Mono.<T>empty();
        }
      }
      Sinks.One<Boolean> stop = Sinks.one();
      running.put(k, stop);
      inFlight.incrementAndGet();
      return work.takeUntilOther(stop.asMono())
          .doFinally(s -> {
            running.remove(k, stop);
            inFlight.decrementAndGet();
            synchronized (idle) {
              idle.notifyAll();
            }
          });
    });
  }

  static String keyOf(McpSchema.CallToolRequest req) {
    Object k = req.meta() == null ? null : req.meta().get(META_KEY);
    return k instanceof String s ? s : null;
  }

  private static void purge(Map<String, Long> map, long now) {
    for (Iterator<Map.Entry<String, Long>> it = map.entrySet().iterator(); it.hasNext(); ) {
      if (now - it.next().getValue() > EXPECTED_TTL_NANOS) {
        it.remove();
      }
    }
  }
}
