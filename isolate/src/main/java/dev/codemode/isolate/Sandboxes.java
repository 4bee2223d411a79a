package dev.codemode.isolate;

import dev.codemode.isolate.internal.InProcessSandbox;
import dev.codemode.isolate.internal.ProcessSandbox;
import java.util.Objects;

/** Factory for {@link Sandbox} implementations. */
public final class Sandboxes {
  private Sandboxes() {}

  /** The sandbox the config asks for (in-process or a pool of worker JVMs). */
  public static Sandbox create(SandboxConfig config) {
    Objects.requireNonNull(config, "config");
    return config.processIsolated() ? processIsolated(config) : inProcess(config);
  }

  /** Scripts run in this JVM, on a shared GraalJS engine with a fresh context each. */
  public static Sandbox inProcess(SandboxConfig config) {
    return new InProcessSandbox(config);
  }

  /** Scripts run in a pool of worker JVMs; host calls are proxied back to this process. */
  public static Sandbox processIsolated(SandboxConfig config) {
    return new ProcessSandbox(config);
  }
}
