package dev.codemode.spec.internal;

import java.time.Duration;

/**
 * Keeps native model work (ONNX Runtime session creation and inference) and JVM exit apart. ONNX Runtime releases its
 * environment in a JVM shutdown hook, and native code still running then (a session being created on the daemon
 * warm-up thread when a client disconnects within seconds of start) crashed the JVM with SIGSEGV in
 * {@code OrtSession.createSession}. Every native call is bracketed by {@link #enter}/{@link #leave}; {@link #stop},
 * called once before the process exits, refuses new calls and waits for those in flight. Thread-safe.
 */
final class NativeGate {
  private static final Object LOCK = new Object();
  private static int inFlight;
  private static boolean stopped;

  private NativeGate() {}

  /**
   * Refuses new native model work and waits up to {@code timeout} for the work in flight (at most one model load or
   * one embedding batch, normally well under a few seconds).
   *
   * @return whether no native work is left running
   */
  public static boolean stop(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (LOCK) {
      stopped = true;
      while (inFlight > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        LOCK.wait(Math.max(1, left / 1_000_000));
      }
    }
    return true;
  }

  /** Before a native call; throws once {@link #stop} was called. */
  static void enter() {
    synchronized (LOCK) {
      if (stopped) {
        throw new IllegalStateException("the embedding model is stopped because the process is exiting");
      }
      inFlight++;
    }
  }

  /** After a native call, in a finally block. */
  static void leave() {
    synchronized (LOCK) {
      inFlight--;
      LOCK.notifyAll();
    }
  }
}
