package dev.codemode.spec;

import dev.codemode.spec.internal.Indexes;
import java.time.Duration;

/**
 * The embedding model's native runtime (ONNX Runtime) as seen by a process about to exit. Call
 * {@link #stopBeforeExit} once, after the last search, right before {@code System.exit}: the runtime frees itself in a
 * JVM shutdown hook, and native work still running then (a model being loaded in the background, an embedding batch)
 * crashes the JVM.
 *
 * <pre>{@code
 * int status = serve();
 * NativeModel.stopBeforeExit(Duration.ofSeconds(30));
 * System.exit(status);
 * }</pre>
 */
public final class NativeModel {
  private NativeModel() {}

  /**
   * Refuses new model work (a search that needs the model then fails) and waits up to {@code timeout} for the work in flight.
   *
   * @return whether nothing native was left running
   */
  public static boolean stopBeforeExit(Duration timeout) throws InterruptedException {
    return Indexes.stopNativeWork(timeout);
  }
}
