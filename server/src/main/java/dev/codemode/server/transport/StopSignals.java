package dev.codemode.server.transport;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Turns SIGTERM, SIGINT and SIGHUP into the same orderly stop as a closed stdin: the transport drains, the application
 * closes, and only then does {@code Main} let the JVM exit. Left to the JVM, a signal runs every shutdown hook at
 * once, among them ONNX Runtime's, which frees the embedding runtime while the search warm-up may still be loading
 * the model on another thread (a SIGSEGV). A second signal exits at once. Where the JVM does not let the process
 * handle a signal ({@code -Xrs}), the transports' shutdown hooks still drain.
 */
final class StopSignals {
  private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);

  private StopSignals() {}

  /** Runs {@code stop} (quickly, on the signal's thread) on the first stop signal. */
  static void install(Runnable stop) {
    AtomicBoolean stopping = new AtomicBoolean();
    for (String name : new String[] {"TERM", "INT", "HUP"}) {
      try {
        Signal.handle(new Signal(name), s -> {
          if (stopping.compareAndSet(false, true)) {
            LOG.info("SIG{} received; stopping", s.getName());
            stop.run();
          } else {
            LOG.warn("SIG{} received again; exiting now", s.getName());
            System.exit(128 + s.getNumber());
          }
        });
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        LOG.debug("SIG{} is left to the JVM: {}", name, e.getMessage());
      }
    }
  }
}
