package dev.codemode.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Runs {@link TransportBench} on request only: the name matches none of Surefire's default patterns, so
 * {@code ./mvnw verify} never runs it; {@code -Dtest=TransportBenchRun} does. It prints figures, it is not a timed test.
 */
class TransportBenchRun {
  @Test
  void printsLatencyFigures() throws Exception {
    assertEquals(0, TransportBench.run(Integer.getInteger("codemode.bench.calls", 200),
        Integer.getInteger("codemode.bench.clients", 64), Integer.getInteger("codemode.bench.perClient", 20)),
        "errors among the concurrent calls");
  }
}
