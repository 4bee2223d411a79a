package dev.codemode.bench;

/** Benchmarks live here; see benchmarks/README.md. */
final class Placeholder {
  private Placeholder() {}
}
