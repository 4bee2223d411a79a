package dev.codemode.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.server.transport.ServerDefinition;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/** The idle trim fires once per idle spell after activity, never while a call is in flight. */
class IdleTrimTest {
  private static final Duration IDLE = Duration.ofMillis(80);
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final AtomicInteger trims = new AtomicInteger();
  private final IdleTrim trim = new IdleTrim(IDLE, trims::incrementAndGet, timer);

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  /** Waits until the timer has run everything due by now (tasks run in order on its one thread). */
  private void settle() throws InterruptedException {
    Thread.sleep(IDLE.toMillis() * 2);
    CountDownLatch done = new CountDownLatch(1);
    timer.execute(done::countDown);
    assertTrue(done.await(10, TimeUnit.SECONDS));
  }

  @Test
  void firesOnceAfterAnIdleSpellThatFollowsActivity() throws InterruptedException {
    settle();
    assertEquals(0, trims.get(), "no trim without activity");
    trim.begin();
    trim.end();
    settle();
    assertEquals(1, trims.get());
    settle();
    assertEquals(1, trims.get(), "once per idle spell");
    trim.end(); // a stray end is no activity
    settle();
    assertEquals(1, trims.get());
    trim.begin();
    trim.end();
    settle();
    assertEquals(2, trims.get(), "the next spell after new activity trims again");
  }

  @Test
  void neverWhileACallIsInFlight() throws InterruptedException {
    trim.begin();
    trim.begin();
    trim.end();
    settle();
    assertEquals(0, trims.get(), "one call still in flight");
    trim.end();
    settle();
    assertEquals(1, trims.get());
  }

  @Test
  void aCallStartingBeforeTheSpellEndsCancelsTheTrim() throws InterruptedException {
    IdleTrim slow = new IdleTrim(Duration.ofSeconds(30), trims::incrementAndGet, timer);
    slow.begin();
    slow.end();
    slow.begin(); // within the idle time: the scheduled trim is stale
    slow.end();
    slow.begin();
    Thread.sleep(50);
    assertEquals(0, trims.get());
    // The same with a short spell: the trim scheduled by the first end must not run while the second call is open.
    trim.begin();
    trim.end();
    trim.begin();
    settle();
    assertEquals(0, trims.get(), "the trim scheduled before the new call is stale");
    trim.end();
    settle();
    assertEquals(1, trims.get());
  }

  @Test
  void wrappedToolsCountEveryCallInAndOutWhateverItsEnd() throws InterruptedException {
    Sinks.One<McpSchema.CallToolResult> pending = Sinks.one();
    McpSchema.Tool tool = McpSchema.Tool.builder().name("t").inputSchema(new McpSchema.JsonSchema("object", null,
        null, null, null, null)).build();
    ServerDefinition d = new ServerDefinition(new McpSchema.Implementation("x", "1"), ServerDefinition.CAPABILITIES,
        null, Duration.ofSeconds(5), List.of(
            McpServerFeatures.AsyncToolSpecification.builder().tool(tool).callHandler((ex, req) -> pending.asMono())
                .build(),
            McpServerFeatures.AsyncToolSpecification.builder().tool(tool).callHandler((ex, req) -> {
              throw new IllegalStateException("boom");
            }).build()));
    ServerDefinition wrapped = trim.wrap(d);
    assertEquals(2, wrapped.tools().size());
    McpSchema.CallToolRequest req = new McpSchema.CallToolRequest("t", java.util.Map.of());
    var inFlight = wrapped.tools().get(0).callHandler().apply(null, req).subscribe();
    settle();
    assertEquals(0, trims.get(), "in flight");
    pending.tryEmitValue(McpSchema.CallToolResult.builder().addTextContent("ok").build());
    settle();
    assertEquals(1, trims.get());
    assertTrue(inFlight.isDisposed());
    Mono<McpSchema.CallToolResult> failing = wrapped.tools().get(1).callHandler().apply(null, req);
    assertEquals(1, trims.get(), "nothing counted before subscription");
    failing.onErrorResume(e -> Mono.empty()).block(Duration.ofSeconds(5));
    settle();
    assertEquals(2, trims.get(), "a call that throws still ends");
    var cancelled = Sinks.<McpSchema.CallToolResult>one();
    ServerDefinition d2 = trim.wrap(new ServerDefinition(d.serverInfo(), d.capabilities(), null, d.requestTimeout(),
        List.of(McpServerFeatures.AsyncToolSpecification.builder().tool(tool)
            .callHandler((ex, r) -> cancelled.asMono()).build())));
    d2.tools().get(0).callHandler().apply(null, req).subscribe().dispose();
    settle();
    assertEquals(3, trims.get(), "a cancelled call ends too");
  }
}
