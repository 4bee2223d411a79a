package dev.codemode.isolate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.isolate.ExecutionResult.Kind;
import dev.codemode.isolate.internal.ProcessSandbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The worker pool is sized to load: warm workers first, more under load up to the maximum, spares retired. */
class ProcessPoolTest {
  private static final Limits LIMITS = SandboxContract.SHORT.withWallTime(Duration.ofSeconds(20));

  @Test
  void growsUnderLoadToTheMaxNeverBeyondThenRetiresTheSpareAndGrowsAgainOnDemand() throws Exception {
    try (ProcessSandbox sandbox = new ProcessSandbox(new SandboxConfig(2, 16, true, 128)
        .withWorkerPool(1, Duration.ofMillis(1_500)))) {
      assertEquals(1, sandbox.workerPids().size(), "one warm worker at start");
      for (int i = 0; i < 5; i++) {
        assertEquals(String.valueOf(i), run(sandbox, "return " + i).resultJson());
      }
      assertEquals(1, sandbox.workerPids().size(), "one execution at a time needs one worker");

      Set<Long> seen = new HashSet<>();
      int most = load(sandbox, 5, seen);
      assertEquals(2, most, "the pool grows to the maximum under load and never beyond");
      assertEquals(2, seen.size());

      long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (sandbox.workerPids().size() > 1 && System.nanoTime() < until) {
        Thread.sleep(100);
      }
      List<Long> left = sandbox.workerPids();
      assertEquals(1, left.size(), "the idle spare is stopped, the warm one stays");
      for (long pid : seen) {
        if (!left.contains(pid)) {
          // Killing is asynchronous: the process is gone once it has exited.
          ProcessHandle.of(pid).ifPresent(p -> p.onExit().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join());
          assertTrue(ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true), "the retired worker " + pid + " is gone");
        }
      }
      assertEquals(2, load(sandbox, 3, new HashSet<>()), "a retired worker is replaced when load comes back");
    }
  }

  @Test
  void withNoWarmWorkerTheFirstExecuteStartsOneAndIdleStopsIt() throws Exception {
    try (ProcessSandbox sandbox = new ProcessSandbox(new SandboxConfig(2, 16, true, 128)
        .withWorkerPool(0, Duration.ofMillis(500)))) {
      assertEquals(List.of(), sandbox.workerPids(), "no worker before the first execute");
      assertEquals("2", run(sandbox, "return 1 + 1").resultJson());
      long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!sandbox.workerPids().isEmpty() && System.nanoTime() < until) {
        Thread.sleep(100);
      }
      assertEquals(List.of(), sandbox.workerPids(), "the idle worker is stopped");
      assertEquals("3", run(sandbox, "return 1 + 2").resultJson());
    }
  }

  /** Runs n executions at once that each wait on a slow host call; the most workers seen while they ran. */
  private static int load(ProcessSandbox sandbox, int n, Set<Long> seen) throws InterruptedException {
    List<CompletableFuture<ExecutionResult>> runs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      runs.add(sandbox.execute(new ExecutionRequest("return JSON.parse(await __host('slow', '" + i + "')).args", "", LIMITS),
          new SandboxContract.SlowEcho(400)));
    }
    int most = 0;
    while (!runs.stream().allMatch(CompletableFuture::isDone)) {
      List<Long> pids = sandbox.workerPids();
      seen.addAll(pids);
      most = Math.max(most, pids.size());
      Thread.sleep(20);
    }
    for (int i = 0; i < n; i++) {
      ExecutionResult r = runs.get(i).join();
      assertEquals(Kind.OK, r.kind(), r.error());
      assertEquals(String.valueOf(i), r.resultJson());
    }
    return most;
  }

  private static ExecutionResult run(Sandbox sandbox, String code) {
    return sandbox.execute(new ExecutionRequest(code, "", LIMITS), HostBridge.NONE).join();
  }
}
