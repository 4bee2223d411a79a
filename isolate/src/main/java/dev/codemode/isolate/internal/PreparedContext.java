package dev.codemode.isolate.internal;

import dev.codemode.isolate.ExecutionRequest;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * A fresh context with the trusted set-up ({@code setup.js}) and a prelude already evaluated, not yet used by any
 * script. It serves exactly one execution ({@link #bind}) and is closed after it: contexts are prepared ahead, never
 * reused. The set-up's host-call and log callbacks reach whichever execution is bound; before that they do nothing
 * (trusted code does not call them while it is evaluated).
 *
 * <p>Why: the first evaluation in a new GraalJS context builds its realm (every built-in object), which is most of a
 * trivial execute's cost (~4 of ~7 ms in a worker); preparing it while the sandbox is idle takes it off the path.
 */
final class PreparedContext {

  /** What a prepared context depends on: the prelude and the limits baked into the context or its set-up. */
  record Key(String prelude, int maxStackDepth, int maxLogBytes, int maxHostCallArgChars) {
    static Key of(ExecutionRequest r) {
      return new Key(r.prelude(), r.limits().maxStackDepth(), r.limits().maxLogBytes(),
          r.limits().maxHostCallArgChars());
    }
  }

  /** Where the set-up's callbacks go once an execution owns the context. */
  interface Owner {
    Object hostStart(Value... args);

    void log(String level, String line);

    void logDropped();
  }

  private final Key key;
  private final Context context;
  /** Set once by {@link #create}, before the instance is shared. */
  private Value settle;
  private volatile Owner owner;

  private PreparedContext(Key key, Context context) {
    this.key = key;
    this.context = context;
  }

  /**
   * Builds the context and evaluates the set-up, then the prelude (a failing prelude throws its
   * {@link PolyglotException}; the context is closed).
   *
   * @param published told of the context before anything is evaluated in it (so it can be cancelled), may be null
   */
  static PreparedContext create(JsEngine js, Key key, java.util.function.Consumer<Context> published) {
    Context ctx = js.newContext(key.maxStackDepth());
    try {
      if (published != null) {
        published.accept(ctx);
      }
      PreparedContext p = new PreparedContext(key, ctx);
      p.settle = ctx.eval(js.setupSource()).execute(
          (ProxyExecutable) args -> {
            Owner o = p.owner;
            return o == null ? null : o.hostStart(args);
          },
          (ProxyExecutable) args -> {
            Owner o = p.owner;
            if (o != null) {
              if (args[1].isNull()) {
                o.logDropped();
              } else {
                o.log(args[0].asString(), args[1].asString());
              }
            }
            return null;
          },
          key.maxLogBytes(), key.maxHostCallArgChars(), ErrorText.MAX_DESCRIBED);
      if (!key.prelude().isEmpty()) {
        ctx.eval(JsEngine.prelude(key.prelude()));
      }
      return p;
    } catch (RuntimeException | Error e) {
      close(ctx);
      throw e;
    }
  }

  Key key() {
    return key;
  }

  Context context() {
    return context;
  }

  /** The set-up's {@code settle(promise, maxOutputBytes, done)}. */
  Value settle() {
    return settle;
  }

  /** Hands the context to its one execution. */
  void bind(Owner execution) {
    owner = execution;
  }

  static void close(Context ctx) {
    try {
      ctx.close(true);
    } catch (RuntimeException e) {
      // a cancelled or already closed context
    }
  }
}
