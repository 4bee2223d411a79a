package dev.codemode.isolate.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Source;

/**
 * Owns the one GraalJS {@link Engine} shared by all contexts of a sandbox (code caches survive, contexts do not), and
 * knows how a locked-down context is built. Thread-safe.
 *
 * <pre>{@code
 * try (JsEngine js = new JsEngine()) { Context c = js.newContext(2000); }
 * }</pre>
 */
public final class JsEngine implements AutoCloseable {

  /** Source name of the wrapped user script; stack frames from it are the only ones shown to the model. */
  public static final String SCRIPT_NAME = "script.js";
  static final String PRELUDE_NAME = "prelude.js";
  /** Put on line 1 before the user's code, so user line N is script line N. */
  static final String WRAP_PREFIX = "(async () => {";
  static final String WRAP_SUFFIX = "\n})()";
  /** Frames the wrapper and the prelude's api layer may add above the user's own depth. */
  private static final int FRAME_SLACK = 16;

  private final Engine engine;
  private final Source setup;

  public JsEngine() {
    this.engine = Engine.newBuilder("js")
        .sandbox(SandboxPolicy.CONSTRAINED)
        .out(OutputStream.nullOutputStream())
        .err(OutputStream.nullOutputStream())
        .option("engine.WarnInterpreterOnly", "false")
        .build();
    this.setup = Source.newBuilder("js", resource("setup.js"), "codemode-setup.js").buildLiteral();
  }

  /** A fresh context that sees only the ECMAScript built-ins; the caller must close it. */
  public Context newContext(int maxStackDepth) {
    return Context.newBuilder("js")
        .engine(engine)
        .sandbox(SandboxPolicy.CONSTRAINED)
        .out(OutputStream.nullOutputStream())
        .err(OutputStream.nullOutputStream())
        .in(InputStream.nullInputStream())
        .timeZone(ZoneOffset.UTC) // the host's zone and locale are nobody's business
        .option("js.locale", "en-US")
        .option("js.console", "false")
        .option("js.print", "false")
        .option("js.load", "false")
        .option("js.graal-builtin", "false")
        .option("js.performance", "false")
        .option("js.webassembly", "false")
        .option("js.text-encoding", "false")
        .option("js.unhandled-rejections", "none")
        .option("sandbox.MaxStackFrames", Integer.toString(Math.max(1, maxStackDepth) + FRAME_SLACK))
        .option("sandbox.MaxThreads", "1")
        .build();
  }

  Source setupSource() {
    return setup;
  }

  static Source script(String code) {
    return Source.newBuilder("js", WRAP_PREFIX + code + WRAP_SUFFIX, SCRIPT_NAME).buildLiteral();
  }

  static Source prelude(String prelude) {
    return Source.newBuilder("js", prelude, PRELUDE_NAME).buildLiteral();
  }

  private static String resource(String name) {
    try (InputStream in = JsEngine.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    engine.close(true);
  }
}
