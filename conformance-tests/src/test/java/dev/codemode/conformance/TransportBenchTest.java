package dev.codemode.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** Runs {@link TransportBench} on request only ({@code -Dcodemode.bench=true}): it prints figures, it is not a timed test. */
class TransportBenchTest {
  @Test
  @EnabledIfSystemProperty(named = "codemode.bench", matches = "true")
  void printsLatencyFigures() throws Exception {
    assertEquals(0, TransportBench.run(Integer.getInteger("codemode.bench.calls", 200),
        Integer.getInteger("codemode.bench.clients", 64), Integer.getInteger("codemode.bench.perClient", 20)),
        "errors among the concurrent calls");
  }
}
