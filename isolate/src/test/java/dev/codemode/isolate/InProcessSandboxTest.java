package dev.codemode.isolate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.isolate.ExecutionResult.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class InProcessSandboxTest extends SandboxContract {
  static Sandbox sandbox;

  @BeforeAll
  static void start() {
    sandbox = Sandboxes.inProcess(SandboxConfig.defaults().withConcurrency(2, 64));
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @Override
  Sandbox sandbox() {
    return sandbox;
  }

  /** The test JVM has a 512 MB heap: two bombs with a 4 GB budget each must be stopped by the heap guard. */
  @Test
  void memoryBombsBeyondTheHeapEndAloneAndTheJvmSurvives() {
    Limits big = SHORT.withMaxAllocatedBytes(4L << 30).withCpuTime(Duration.ofSeconds(60))
        .withWallTime(Duration.ofSeconds(120));
    String bomb = "const a = []; for (;;) a.push(new Array(1e4).fill(a.length))";
    var first = sandbox.execute(new ExecutionRequest(bomb, "", big), HostBridge.NONE);
    var second = sandbox.execute(new ExecutionRequest(bomb, "", big), HostBridge.NONE);
    for (ExecutionResult r : List.of(first.join(), second.join())) {
      assertEquals(Kind.MEMORY_LIMIT, r.kind(), r.error());
    }
    assertEquals("5", run("return 2 + 3").resultJson());
  }

  @Test
  void beyondTheQueueIsBusy() {
    try (Sandbox small = Sandboxes.inProcess(SandboxConfig.defaults().withConcurrency(1, 1))) {
      Limits l = SHORT.withWallTime(Duration.ofMillis(800));
      List<CompletableFuture<ExecutionResult>> fs = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        fs.add(small.execute(new ExecutionRequest("await __host('x', '{}'); return 1", "", l), new SlowEcho(600)));
      }
      long busy = fs.stream().map(CompletableFuture::join).filter(r -> r.kind() == Kind.BUSY).count();
      assertEquals(2, busy);
      assertTrue(fs.get(3).join().error().contains("retry"));
    }
  }
}
