package dev.codemode.isolate.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.graalvm.polyglot.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Contexts prepared ahead ({@link PreparedContext}) on one background thread, at most {@code capacity} of them, and
 * finished contexts closed there too, so neither sits on an execution's path. Each spare serves one execution;
 * {@link #take} hands over a ready spare, or waits for one being prepared (it has a head start), or returns null
 * (the caller builds its own). Thread-safe.
 */
final class Spares implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Spares.class);
  /** Longer than any preparation takes on a loaded machine; past it the caller builds its own context. */
  private static final long TAKE_WAIT_MS = 2_000;

  private record Spare(PreparedContext.Key key, CompletableFuture<PreparedContext> context) {}

  private final JsEngine js;
  private final int capacity;
  /** Spares ready or being prepared, the oldest first. */
  private final List<Spare> spares = new ArrayList<>();
  private final ThreadPoolExecutor thread;
  private boolean closed;

  /** @param stackBytes the preparing thread's Java stack (evaluates trusted code only) */
  Spares(JsEngine js, int capacity, long stackBytes) {
    this.js = js;
    this.capacity = capacity;
    this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(null, r, "codemode-sandbox-prepare", stackBytes);
      t.setDaemon(true);
      return t;
    });
    thread.prestartCoreThread(); // started with the sandbox, not in the middle of someone's thread count
  }

  /** A spare for this key (waiting for one in preparation), or null if there is none. */
  PreparedContext take(PreparedContext.Key key) {
    Spare found = null;
    synchronized (this) {
      for (int i = 0; i < spares.size(); i++) {
        if (spares.get(i).key().equals(key)) {
          found = spares.remove(i);
          break;
        }
      }
    }
    if (found == null) {
      return null;
    }
    try {
      return found.context().get(TAKE_WAIT_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | java.util.concurrent.CancellationException e) {
      log.debug("a spare context could not be prepared: {}", String.valueOf(e.getCause()));
    } catch (TimeoutException e) {
      log.debug("a spare context took over {} ms to prepare; building one instead", TAKE_WAIT_MS);
    }
    found.context().thenAccept(p -> PreparedContext.close(p.context())); // late or never used: closed
    return null;
  }

  /** Prepares a spare for this key unless one is there or on its way; the oldest spare makes room. */
  void refill(PreparedContext.Key key) {
    Spare evicted = null;
    Spare added = new Spare(key, new CompletableFuture<>());
    synchronized (this) {
      if (closed || spares.stream().anyMatch(s -> s.key().equals(key))) {
        return;
      }
      if (spares.size() >= capacity) {
        evicted = spares.remove(0);
      }
      spares.add(added);
    }
    if (evicted != null) {
      evicted.context().thenAccept(p -> PreparedContext.close(p.context()));
    }
    try {
      thread.execute(() -> {
        try {
          added.context().complete(PreparedContext.create(js, key, null));
        } catch (Throwable t) {
          added.context().completeExceptionally(t);
        }
      });
    } catch (RejectedExecutionException e) {
      added.context().cancel(false);
    }
  }

  /** Closes a context whose script has finished (nothing runs in it any more) off the execution's path. */
  void closeLater(Context ctx) {
    try {
      thread.execute(() -> PreparedContext.close(ctx));
    } catch (RejectedExecutionException e) {
      PreparedContext.close(ctx);
    }
  }

  @Override
  public void close() {
    List<Spare> left;
    synchronized (this) {
      closed = true;
      left = new ArrayList<>(spares);
      spares.clear();
    }
    thread.shutdownNow(); // contexts still queued for closing go with their engine, which the caller closes next
    for (Spare s : left) {
      s.context().cancel(false);
      s.context().thenAccept(p -> PreparedContext.close(p.context()));
    }
  }
}
