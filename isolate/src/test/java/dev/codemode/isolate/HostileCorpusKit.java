package dev.codemode.isolate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codemode.isolate.ExecutionResult.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every case of {@code hostile/corpus.json} against ONE shared sandbox of a backend, then checks that the same
 * sandbox still answers normally, that heap is back near its baseline and that no threads leaked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class HostileCorpusKit {
  static final Limits LIMITS = new Limits(Duration.ofMillis(1200), Duration.ofMillis(600), 64L << 20, 500, 1 << 20,
      64 << 10, 50, 8);
  /** Cases expected to succeed get room for a loaded machine; short clocks are only for cases that must fail. */
  static final Limits ROOMY = LIMITS.withWallTime(Duration.ofSeconds(10)).withCpuTime(Duration.ofSeconds(10));
  static final String PRELUDE = SandboxContract.PRELUDE;
  static final HostBridge ECHO = (fn, args) -> args.contains("fail")
      ? CompletableFuture.failedFuture(new IllegalStateException("upstream said 500"))
      : CompletableFuture.completedFuture("{\"ok\":true}");
  /** An endless loop may hit either clock first: GC threads and a busy machine make CPU and wall time diverge. */
  private static final EnumSet<Kind> TIME = EnumSet.of(Kind.CPU_LIMIT, Kind.WALL_TIME_LIMIT);
  /** A memory bomb may hit the allocation budget, or be so slow to allocate that a clock ends it first. */
  private static final EnumSet<Kind> LIMIT = EnumSet.of(Kind.CPU_LIMIT, Kind.WALL_TIME_LIMIT, Kind.MEMORY_LIMIT);
  private static final EnumSet<Kind> NOT_CONTAINED = EnumSet.of(Kind.INTERNAL, Kind.BUSY, Kind.CANCELLED);

  /** @param maxChars when set, the whole answer (result, error and logs) must be at most this long */
  record Case(String name, String code, String expect, List<String> mustNotContain, String result, Integer maxChars) {
    @Override
    public String toString() {
      return name;
    }
  }

  Sandbox sandbox;
  long baselineHeap;
  int baselineThreads;

  abstract Sandbox create();

  @BeforeAll
  void start() {
    sandbox = create();
    for (int i = 0; i < 5; i++) {
      ExecutionResult r = sandbox.execute(new ExecutionRequest("return 1 + 1", PRELUDE, LIMITS), ECHO).join();
      assertEquals("2", r.resultJson(), r.kind() + " " + r.error());
    }
    baselineHeap = usedHeapAfterGc();
    baselineThreads = ManagementFactory.getThreadMXBean().getThreadCount();
  }

  @AfterAll
  void stop() throws IOException {
    sandbox.close();
    // What each case ended as, for humans: target/hostile-corpus-<Backend>.tsv
    java.nio.file.Files.write(java.nio.file.Path.of("target", "hostile-corpus-" + getClass().getSimpleName()
        + ".tsv"), (String.join("\n", outcomes) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private final List<String> outcomes = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

  static Stream<Case> corpus() throws IOException {
    try (InputStream in = HostileCorpusKit.class.getResourceAsStream("/hostile/corpus.json")) {
      List<Case> cases = new ObjectMapper().readValue(in, new TypeReference<>() {});
      assertTrue(cases.size() >= 60, "corpus has " + cases.size() + " cases");
      return cases.stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  @Order(1)
  void contained(Case c) {
    long t0 = System.nanoTime();
    boolean ok = "OK".equals(c.expect());
    ExecutionResult r = sandbox.execute(new ExecutionRequest(c.code(), PRELUDE, ok ? ROOMY : LIMITS), ECHO).join();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    String full = r.kind() + " " + r.resultJson() + " " + r.error() + " " + r.logs();
    outcomes.add(c.name() + "\t" + c.expect() + "\t" + r.kind() + "\t" + ms + " ms\t"
        + String.valueOf(r.error() == null ? r.resultJson() : r.error()).replace('\n', ' ').replace('\t', ' ')
            .substring(0, Math.min(160, String.valueOf(r.error() == null ? r.resultJson() : r.error()).length())));
    String all = c.name() + ": " + (full.length() > 400 ? full.substring(0, 400) + "..." : full);
    assertTrue(ms < (ok ? 12_000 : 8_000), c.name() + " took " + ms + " ms: " + all);
    assertFalse(NOT_CONTAINED.contains(r.kind()), all);
    switch (c.expect()) {
      case "OK" -> {
        assertEquals(Kind.OK, r.kind(), all);
        if (c.result() != null) {
          assertEquals(c.result(), r.resultJson(), all);
        }
      }
      case "ERROR" -> assertNotEquals(Kind.OK, r.kind(), all);
      case "CONTAINED" -> { }
      case "TIME" -> assertTrue(TIME.contains(r.kind()), all);
      case "LIMIT" -> assertTrue(LIMIT.contains(r.kind()), all);
      default -> assertEquals(Kind.valueOf(c.expect()), r.kind(), all);
    }
    if (r.error() != null) {
      assertFalse(r.error().contains("\tat "), "Java stack trace in: " + r.error());
      assertFalse(r.error().contains("org.graalvm"), all);
      assertFalse(r.error().contains("script.js"), all);
    }
    if (c.maxChars() != null) {
      assertTrue(full.length() <= c.maxChars(), c.name() + ": the answer is " + full.length() + " chars, over "
          + c.maxChars());
    }
    if (c.mustNotContain() != null) {
      for (String s : c.mustNotContain()) {
        assertFalse(full.contains(s), "must not contain " + s + ": " + all);
      }
    }
  }

  @Test
  @Order(2)
  void afterTheCorpusTheSandboxIsHealthy() throws InterruptedException {
    long t0 = System.nanoTime();
    ExecutionResult r = sandbox.execute(new ExecutionRequest("return [1, 2, 3].map(x => x * 2)", PRELUDE, LIMITS),
        ECHO).join();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals("[2,4,6]", r.resultJson(), r.error());
    assertTrue(ms < 1_000, "a normal execute took " + ms + " ms after the corpus");
    long heap = usedHeapAfterGc();
    assertTrue(heap < baselineHeap + (96L << 20),
        "heap " + (heap >> 20) + " MB vs baseline " + (baselineHeap >> 20) + " MB");
    int threadsNow = ManagementFactory.getThreadMXBean().getThreadCount();
    assertTrue(threadsNow <= baselineThreads + 8, "threads " + threadsNow + " vs baseline " + baselineThreads);
  }

  static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }
}
