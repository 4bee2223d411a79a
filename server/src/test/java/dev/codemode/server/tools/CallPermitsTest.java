package dev.codemode.server.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/** The server-wide bound on calls in flight: order, release on every ending, and cancelled waiters never start. */
class CallPermitsTest {

  private static void await(java.util.function.BooleanSupplier c) throws InterruptedException {
    long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!c.getAsBoolean()) {
      assertTrue(System.nanoTime() < until, "timed out");
      Thread.sleep(5);
    }
  }

  @Test
  void atMostMaxRunAndTheRestWaitInOrder() throws Exception {
    CallPermits permits = new CallPermits(2);
    AtomicInteger subscribed = new AtomicInteger();
    Sinks.One<String> a = Sinks.one();
    Sinks.One<String> b = Sinks.one();
    Sinks.One<String> c = Sinks.one();
    Mono<String> ma = permits.limit(a.asMono().doOnSubscribe(s -> subscribed.incrementAndGet()));
    Mono<String> mb = permits.limit(b.asMono().doOnSubscribe(s -> subscribed.incrementAndGet()));
    Mono<String> mc = permits.limit(c.asMono().doOnSubscribe(s -> subscribed.incrementAndGet()));
    var fa = ma.toFuture();
    var fb = mb.toFuture();
    var fc = mc.toFuture();
    assertEquals(2, subscribed.get(), "the third waits");
    assertEquals(2, permits.inFlight());
    a.tryEmitValue("a");
    assertEquals("a", fa.get());
    await(() -> subscribed.get() == 3);
    b.tryEmitError(new IllegalStateException("b failed"));
    assertTrue(fb.isCompletedExceptionally());
    c.tryEmitValue("c");
    assertEquals("c", fc.get());
    await(() -> permits.inFlight() == 0);
  }

  @Test
  void aCancelledWaiterNeverStartsAndACancelledRunnerFreesItsSlot() throws Exception {
    CallPermits permits = new CallPermits(1);
    AtomicInteger started = new AtomicInteger();
    Sinks.One<String> first = Sinks.one();
    Disposable running = permits.limit(first.asMono().doOnSubscribe(s -> started.incrementAndGet())).subscribe();
    Disposable waiting = permits.limit(Mono.fromCallable(() -> started.incrementAndGet())).subscribe();
    assertEquals(1, started.get());
    waiting.dispose();
    running.dispose(); // frees the slot; the cancelled waiter must not take it
    Thread.sleep(100);
    assertEquals(1, started.get(), "the cancelled waiter never ran");
    assertEquals(0, permits.inFlight());
    assertFalse(first.currentSubscriberCount() > 0, "the running call was cancelled upstream");
    assertEquals(7, permits.limit(Mono.just(7)).block(Duration.ofSeconds(5)));
  }
}
