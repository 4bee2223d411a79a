package dev.codemode.isolate.internal;

import dev.codemode.isolate.ExecutionRequest;
import dev.codemode.isolate.ExecutionResult;
import dev.codemode.isolate.ExecutionResult.Kind;
import dev.codemode.isolate.HostBridge;
import dev.codemode.isolate.Limits;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of one script in one fresh context, on the calling thread, which doubles as the script's event loop:
 * host-call completions arrive on other threads, are queued, and are handed to JavaScript here (GraalJS then runs the
 * microtasks on this thread). Limits are enforced by the {@link Watchdog} (time, CPU, allocation), by the context
 * (stack frames) and here (output, logs, host calls). {@link #run()} is called once; {@link #fail} and
 * {@link #check} may be called from any thread.
 */
final class Execution implements PreparedContext.Owner {
  private static final Logger log = LoggerFactory.getLogger(Execution.class);
  private static final Runnable WAKE = () -> { };

  private final JsEngine js;
  private final Spares spares;
  private final PreparedContext.Key key;
  /** The context of a run that ended normally, closed by {@link #cleanUp}. */
  private volatile Context finished;
  private final Watchdog watchdog;
  private final ExecutionRequest request;
  private final Limits limits;
  private final HostBridge bridge;
  private final LogBuffer logs;
  private final LinkedBlockingQueue<Runnable> inbox = new LinkedBlockingQueue<>();
  private final AtomicReference<Failure> failure = new AtomicReference<>();
  private volatile Context context;
  private volatile long threadId = -1;
  private volatile long startNanos;
  private volatile long limitStartNanos;
  private volatile long cpuStart;
  private volatile long allocStart;
  private int hostCalls;
  private int inFlight;
  /** Host calls not yet answered; whatever is left when the run ends is cancelled (nothing outlives its script). */
  private final java.util.Set<CompletableFuture<String>> pending = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private String outcome;
  private String outcomeText;

  private volatile long failedAtNanos;
  private volatile Consumer<ExecutionResult> onAbandon;
  private volatile boolean abandoned;

  private record Failure(Kind kind, String message) {}

  /** Grace for a cancelled script to unwind before its caller is answered without waiting for it. */
  static final long ABANDON_GRACE_NANOS = 1_500_000_000L;

  Execution(JsEngine js, Watchdog watchdog, ExecutionRequest request, HostBridge bridge) {
    this(js, null, watchdog, request, bridge);
  }

  /** @param spares where a context prepared ahead is taken from (null: every run builds its own) */
  Execution(JsEngine js, Spares spares, Watchdog watchdog, ExecutionRequest request, HostBridge bridge) {
    this.js = js;
    this.spares = spares;
    this.key = PreparedContext.Key.of(request);
    this.watchdog = watchdog;
    this.request = request;
    this.limits = request.limits();
    this.bridge = bridge;
    this.logs = new LogBuffer(limits.maxLogBytes());
  }

  ExecutionResult run() {
    startNanos = System.nanoTime();
    watchdog.register(this);
    try {
      return finish(runInContext());
    } finally {
      watchdog.unregister(this);
      threadId = -1;
      cancelPendingCalls();
    }
  }

  /** Cancels the host calls still in flight: the bridge must then abort them (or never start them). */
  private void cancelPendingCalls() {
    for (CompletableFuture<String> f : pending) {
      f.cancel(true);
    }
    pending.clear();
  }

  private Failure runInContext() {
    PreparedContext prepared = spares == null ? null : spares.take(key);
    if (prepared == null) {
      try {
        prepared = PreparedContext.create(js, key, c -> context = c);
      } catch (PolyglotException e) {
        if (failure.get() != null) {
          return failure.get();
        }
        if (e.isGuestException() && !e.isCancelled() && !e.isResourceExhausted()) {
          log.error("the prelude failed: {}", e.getMessage());
          return new Failure(Kind.INTERNAL, "The sandbox prelude failed to load; this is a server bug.");
        }
        return classify(e);
      } catch (OutOfMemoryError e) {
        return new Failure(Kind.MEMORY_LIMIT, Messages.memory(limits.maxAllocatedBytes()));
      } catch (RuntimeException e) {
        log.error("could not create a JS context", e);
        return new Failure(Kind.INTERNAL, "The sandbox could not start a JavaScript context.");
      } finally {
        context = null;
      }
    }
    Context ctx = prepared.context();
    context = ctx;
    try {
      if (failure.get() != null) {
        return failure.get();
      }
      prepared.bind(this);
      Value settle = prepared.settle();
      arm();
      Value promise;
      try {
        promise = ctx.eval(JsEngine.script(request.code()));
      } catch (PolyglotException e) {
        if (e.isSyntaxError()) {
          return new Failure(Kind.SYNTAX_ERROR, ErrorText.syntax(e, request.code()));
        }
        throw e;
      }
      settle.execute(promise, earlyOutputCut(), (ProxyExecutable) args -> {
        outcome = args[0].asString();
        outcomeText = args[1].isNull() ? null : args[1].asString();
        return null;
      });
      return eventLoop();
    } catch (PolyglotException e) {
      return classify(e);
    } catch (OutOfMemoryError e) {
      return new Failure(Kind.MEMORY_LIMIT, Messages.memory(limits.maxAllocatedBytes()));
    } catch (StackOverflowError e) {
      return new Failure(Kind.STACK_LIMIT, Messages.stack(limits.maxStackDepth()));
    } catch (RuntimeException e) {
      Failure f = failure.get();
      if (f != null) {
        return f;
      }
      log.error("sandbox execution failed", e);
      return new Failure(Kind.INTERNAL, "The sandbox failed internally; the script may be fine. Try again.");
    } finally {
      context = null;
      if (spares != null && failure.get() == null && outcome != null) {
        finished = ctx; // the script is done and nothing runs in it: closed off the caller's path (cleanUp)
      } else {
        PreparedContext.close(ctx);
      }
    }
  }

  /**
   * After the caller has its result: prepares the next execution's context and closes this one's, both on the
   * spares' thread.
   */
  void cleanUp() {
    if (spares == null) {
      return;
    }
    spares.refill(key);
    Context c = finished;
    finished = null;
    if (c != null) {
      spares.closeLater(c);
    }
  }

  /**
   * Serialising stops once the result is surely this large; below it the exact size is measured, so the model learns
   * how far over it was.
   */
  private int earlyOutputCut() {
    long cut = 4L * Math.max(1, limits.maxOutputBytes());
    return (int) Math.min(Integer.MAX_VALUE, cut);
  }

  /**
   * Starts the limit clocks once the sandbox's own set-up is done, so a cold engine's first context does not eat the
   * script's budget.
   */
  private void arm() {
    long tid = Thread.currentThread().getId();
    limitStartNanos = System.nanoTime();
    cpuStart = watchdog.cpuNanos(tid);
    allocStart = watchdog.allocatedBytes(tid);
    threadId = tid;
  }

  private Failure eventLoop() throws PolyglotException {
    while (outcome == null) {
      Failure f = failure.get();
      if (f != null) {
        return f;
      }
      Runnable next = inbox.poll();
      if (next == null) {
        if (inFlight == 0) {
          return new Failure(Kind.RUNTIME_ERROR, Messages.neverSettles());
        }
        try {
          next = inbox.poll(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          fail(Kind.CANCELLED, Messages.cancelled());
          continue;
        }
      }
      if (next != null) {
        next.run();
      }
    }
    return failure.get();
  }

  @Override
  public void log(String level, String line) {
    logs.add(level, line);
  }

  @Override
  public void logDropped() {
    logs.drop();
  }

  @Override
  public Object hostStart(Value... args) {
    if (failure.get() != null) {
      return null;
    }
    String fn = args[0].asString();
    String argsJson = args[1].asString();
    Value callback = args[2];
    if (argsJson.length() > limits.maxHostCallArgChars()) {
      // setup.js refuses these first; this is the backstop should a caller reach hostStart another way.
      callback.execute(false, "The arguments of this host call are over the " + limits.maxHostCallArgChars()
          + "-character limit of one call. Send less per call.");
      return null;
    }
    if (hostCalls >= limits.maxHostCalls()) {
      fail(Kind.HOST_CALL_LIMIT, Messages.hostCalls(limits.maxHostCalls()));
      return null;
    }
    if (inFlight >= limits.maxHostCallsInFlight()) {
      fail(Kind.HOST_CALL_LIMIT, Messages.hostCallsInFlight(limits.maxHostCallsInFlight()));
      return null;
    }
    hostCalls++;
    inFlight++;
    CompletionStage<String> stage;
    try {
      stage = bridge.call(fn, argsJson);
      if (stage == null) {
        stage = CompletableFuture.failedFuture(new IllegalStateException("the host returned nothing"));
      }
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<String> call = trackable(stage);
    pending.add(call);
    call.whenComplete((value, error) -> inbox.add(() -> {
      pending.remove(call);
      inFlight--;
      if (failure.get() != null) {
        return;
      }
      if (error == null) {
        callback.execute(true, value == null ? "null" : value);
      } else {
        callback.execute(false, ErrorText.clip(messageOf(error), ErrorText.MAX_HEAD));
      }
    }));
    return null;
  }

  /** The stage as a future whose cancellation reaches the bridge's own future (when it has one). */
  static CompletableFuture<String> trackable(CompletionStage<String> stage) {
    try {
      return stage.toCompletableFuture();
    } catch (UnsupportedOperationException e) {
      CompletableFuture<String> f = new CompletableFuture<>();
      stage.whenComplete((v, err) -> {
        if (err == null) {
          f.complete(v);
        } else {
          f.completeExceptionally(err);
        }
      });
      return f;
    }
  }

  private static String messageOf(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    String m = t.getMessage();
    return m == null || m.isBlank() ? "host call failed" : m;
  }

  private Failure classify(PolyglotException e) {
    Failure f = failure.get();
    if (f != null) {
      return f;
    }
    String m = String.valueOf(e.getMessage());
    if (e.isResourceExhausted()) {
      if (m.contains("frame limit")) {
        return new Failure(Kind.STACK_LIMIT, Messages.stack(limits.maxStackDepth()));
      }
      if (m.contains("heap space") || m.contains("memory")) {
        return new Failure(Kind.MEMORY_LIMIT, Messages.memory(limits.maxAllocatedBytes()));
      }
      if (m.contains("CPU") || m.contains("interrupted")) {
        return new Failure(Kind.CPU_LIMIT, Messages.cpuTime(limits.cpuTime()));
      }
      return new Failure(Kind.MEMORY_LIMIT, Messages.memory(limits.maxAllocatedBytes()));
    }
    if (e.isCancelled() || e.isInterrupted()) {
      return new Failure(Kind.CANCELLED, Messages.cancelled());
    }
    if (e.isHostException()) {
      Throwable h = e.asHostException();
      if (h instanceof OutOfMemoryError) {
        return new Failure(Kind.MEMORY_LIMIT, Messages.memory(limits.maxAllocatedBytes()));
      }
      if (h instanceof StackOverflowError) {
        return new Failure(Kind.STACK_LIMIT, Messages.stack(limits.maxStackDepth()));
      }
    }
    if (e.isGuestException()) {
      return new Failure(Kind.RUNTIME_ERROR, ErrorText.runtime(e.getMessage(), request.code()));
    }
    log.error("internal error in the sandbox: {}", m);
    return new Failure(Kind.INTERNAL, "The sandbox failed internally; the script may be fine. Try again.");
  }

  private ExecutionResult finish(Failure f) {
    long elapsed = (System.nanoTime() - startNanos) / 1_000_000;
    if (f == null && outcome != null) {
      switch (outcome) {
        case "ok" -> {
          long size = Utf8.length(outcomeText);
          if (size > limits.maxOutputBytes()) {
            f = new Failure(Kind.OUTPUT_LIMIT, Messages.output(size, limits.maxOutputBytes()));
          } else {
            return new ExecutionResult(Kind.OK, outcomeText, null, logs.lines(), logs.dropped(), hostCalls, elapsed);
          }
        }
        case "output" -> f = new Failure(Kind.OUTPUT_LIMIT, Messages.output(-earlyOutputCut(), limits.maxOutputBytes()));
        case "result" -> f = new Failure(Kind.RUNTIME_ERROR, "The returned value cannot be converted to JSON: "
            + ErrorText.clip(firstLine(outcomeText), ErrorText.MAX_HEAD) + ". Return plain data (objects, arrays, strings, numbers, booleans, null).");
        default -> {
          String text = ErrorText.runtime(outcomeText, request.code());
          f = new Failure(text.startsWith("RangeError: Maximum call stack size exceeded") ? Kind.STACK_LIMIT
              : Kind.RUNTIME_ERROR, text.startsWith("RangeError: Maximum call stack size exceeded")
              ? Messages.stack(limits.maxStackDepth()) : text);
        }
      }
    }
    if (f == null) {
      f = new Failure(Kind.INTERNAL, "The sandbox ended without a result.");
    }
    return new ExecutionResult(f.kind(), null, f.message(), logs.lines(), logs.dropped(), hostCalls, elapsed);
  }

  private static String firstLine(String s) {
    int nl = s == null ? -1 : s.indexOf('\n');
    return nl < 0 ? String.valueOf(s) : s.substring(0, nl);
  }

  /** Ends the run with this failure unless it already failed; safe from any thread. */
  void fail(Kind kind, String message) {
    if (!failure.compareAndSet(null, new Failure(kind, message))) {
      return;
    }
    failedAtNanos = System.nanoTime();
    inbox.add(WAKE);
    Context c = context;
    if (c != null) {
      watchdog.reap(() -> {
        try {
          c.close(true);
        } catch (RuntimeException e) {
          log.debug("cancelling a context", e);
        }
      });
    }
  }

  /** Called (from the watchdog thread) if a failed run does not unwind within the grace period. */
  void onAbandon(Consumer<ExecutionResult> listener) {
    this.onAbandon = listener;
  }

  boolean wasAbandoned() {
    return abandoned;
  }

  void failHeap() {
    fail(Kind.MEMORY_LIMIT, Messages.heapShort(allocatedSoFar()));
  }

  long allocatedSoFar() {
    long tid = threadId;
    return tid < 0 ? 0 : Math.max(0, watchdog.allocatedBytes(tid) - allocStart);
  }

  /** Called by the watchdog every few milliseconds. */
  void check(long now) {
    Failure f = failure.get();
    if (f != null) {
      Consumer<ExecutionResult> listener = onAbandon;
      if (!abandoned && listener != null && now - failedAtNanos > ABANDON_GRACE_NANOS) {
        // Stuck in a builtin that never polls for cancellation: answer now, let the thread finish on its own.
        abandoned = true;
        log.warn("a cancelled script did not stop within {} ms; answering without it", ABANDON_GRACE_NANOS / 1_000_000);
        listener.accept(new ExecutionResult(f.kind(), null, f.message(), List.of(), 0, 0,
            (now - startNanos) / 1_000_000));
      }
      return;
    }
    long tid = threadId;
    if (tid < 0) {
      return;
    }
    if (now - limitStartNanos > limits.wallTime().toNanos()) {
      fail(Kind.WALL_TIME_LIMIT, Messages.wallTime(limits.wallTime()));
    } else if (watchdog.cpuNanos(tid) - cpuStart > limits.cpuTime().toNanos()) {
      fail(Kind.CPU_LIMIT, Messages.cpuTime(limits.cpuTime()));
    } else if (watchdog.allocatedBytes(tid) - allocStart > limits.maxAllocatedBytes()) {
      fail(Kind.MEMORY_LIMIT, Messages.memory(limits.maxAllocatedBytes()));
    }
  }
}
