package dev.codemode.server.transport;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Turns SIGTERM, SIGINT and SIGHUP into the same orderly stop as a closed stdin: the transport drains, the application
 * closes, and only then does {@code Main} let the JVM exit. Left to the JVM, a signal runs every shutdown hook at
 * once, among them ONNX Runtime's, which frees the embedding runtime while the search warm-up may still be loading
 * the model on another thread (a SIGSEGV). A signal during start-up is kept until the transport is serving. A second
 * signal exits at once. Where the JVM does not let the process handle a signal ({@code -Xrs}), the transports'
 * shutdown hooks still drain. Thread-safe.
 */
public final class StopSignals {
  private static final AtomicBoolean REQUESTED = new AtomicBoolean();
  private static Runnable action;

  private StopSignals() {}

  /** Takes over the stop signals for this process; call once, early in {@code main}. */
  public static void install() {
    for (String name : new String[] {"TERM", "INT", "HUP"}) {
      try {
        Signal.handle(new Signal(name), s -> {
          if (REQUESTED.compareAndSet(false, true)) {
            log().info("SIG{} received; stopping", s.getName());
            Runnable a;
            synchronized (StopSignals.class) {
              a = action;
            }
            if (a != null) {
              a.run();
            }
          } else {
            log().warn("SIG{} received again; exiting now", s.getName());
            System.exit(128 + s.getNumber());
          }
        });
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        // the JVM keeps this signal (-Xrs); the transports' shutdown hooks drain instead
      }
    }
  }

  /**
   * Looked up only when a signal comes: {@link #install} runs before {@code --log-level} configures the logging, which
   * the first logger fixes.
   */
  private static Logger log() {
    return LoggerFactory.getLogger(StopSignals.class);
  }

  /** Runs {@code stop} (quickly, on the signal's thread) on the first stop signal, or now if one came already. */
  static void onStop(Runnable stop) {
    synchronized (StopSignals.class) {
      action = stop;
    }
    if (REQUESTED.get()) {
      stop.run();
    }
  }
}
