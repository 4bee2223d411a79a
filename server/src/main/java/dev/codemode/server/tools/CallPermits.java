package dev.codemode.server.tools;

import java.util.ArrayDeque;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code --max-parallel-calls} for the whole server: at most {@code max} upstream calls of all executions together are
 * in flight; the others wait (inside their execution's wall time) for a slot, in order. A waiting call that is
 * cancelled (its execution ended) leaves the queue without ever starting. Thread-safe; one per server.
 *
 * <pre>{@code
 * CallPermits permits = new CallPermits(16);
 * Mono<String> limited = permits.limit(gateway.call(...));
 * }</pre>
 */
final class CallPermits {
  private final int max;
  private final ArrayDeque<Slot> waiting = new ArrayDeque<>();
  private int used;

  CallPermits(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, got " + max);
    }
    this.max = max;
  }

  /** One call's claim on a slot: {@code start} subscribes to the call once it holds the slot. */
  private static final class Slot {
    Runnable start;
    boolean held;
    boolean done;
    Disposable inner;
  }

  /** {@code call}, started only while it holds one of the slots; cancelling the result frees or forfeits the slot. */
  <T> Mono<T> limit(Mono<T> call) {
    return Mono.create(sink -> {
      Slot slot = new Slot();
      slot.start = () -> {
        Disposable d = call.subscribe(sink::success, sink::error, () -> sink.success());
        boolean dispose;
        synchronized (slot) {
          slot.inner = d;
          dispose = slot.done;
        }
        if (dispose) {
          d.dispose();
        }
      };
      sink.onDispose(() -> release(slot));
      boolean now;
      synchronized (this) {
        now = used < max;
        if (now) {
          used++;
          slot.held = true;
        } else {
          waiting.add(slot);
        }
      }
      if (now) {
        slot.start.run();
      }
    });
  }

  private void release(Slot slot) {
    Disposable inner;
    synchronized (slot) {
      slot.done = true;
      inner = slot.inner;
    }
    if (inner != null) {
      inner.dispose();
    }
    Slot next = null;
    synchronized (this) {
      if (slot.held) {
        slot.held = false;
        next = waiting.poll();
        if (next == null) {
          used--;
        } else {
          next.held = true;
        }
      } else {
        waiting.remove(slot);
      }
    }
    if (next != null) {
      // Not on this thread: a chain of calls that end at once would otherwise recurse through every waiting call.
      Schedulers.parallel().schedule(next.start);
    }
  }

  /** Calls holding a slot now (for tests). */
  synchronized int inFlight() {
    return used;
  }
}
