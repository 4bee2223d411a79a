package dev.codemode.isolate;

/** Factory for {@link Sandbox} implementations. */
public final class Sandboxes {
  private Sandboxes() {}

  /** The sandbox the config asks for (in-process or a pool of worker JVMs). */
  public static Sandbox create(SandboxConfig config) {
    throw new UnsupportedOperationException("not yet implemented");
  }
}
