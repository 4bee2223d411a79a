package dev.codemode.isolate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.isolate.ExecutionResult.Kind;
import dev.codemode.isolate.internal.ProcessSandbox;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProcessSandboxTest extends SandboxContract {
  static Sandbox sandbox;

  @BeforeAll
  static void start() {
    sandbox = Sandboxes.processIsolated(new SandboxConfig(2, 64, true, 128));
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @Override
  Sandbox sandbox() {
    return sandbox;
  }

  @Test
  void aWorkerKilledMidRunFailsOnlyItsExecutionAndIsReplaced() throws Exception {
    ProcessSandbox ps = (ProcessSandbox) sandbox;
    var f = sandbox.execute(new ExecutionRequest("await __host('slow', '{}'); return 1", "",
        SHORT.withWallTime(Duration.ofSeconds(10))), new SlowEcho(5_000));
    Thread.sleep(500);
    var before = ps.workerPids();
    for (long pid : before) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      break;
    }
    ExecutionResult r = f.join();
    // either the killed worker was ours (INTERNAL) or the other one (then ours finishes normally)
    assertTrue(r.kind() == Kind.INTERNAL || r.kind() == Kind.OK, r.kind() + " " + r.error());
    for (int i = 0; i < 4; i++) {
      ExecutionResult ok = run("return 7");
      assertEquals("7", ok.resultJson(), ok.error());
    }
  }

  @Test
  void workersGetNoEnvironment() throws Exception {
    for (long pid : ((ProcessSandbox) sandbox).workerPids()) {
      java.nio.file.Path env = java.nio.file.Path.of("/proc/" + pid + "/environ");
      if (java.nio.file.Files.isReadable(env)) {
        String vars = new String(java.nio.file.Files.readAllBytes(env), java.nio.charset.StandardCharsets.UTF_8);
        for (String v : vars.split("\0")) {
          assertTrue(v.isEmpty() || v.startsWith("PATH=") || v.startsWith("TZ="), "worker env has " + v);
        }
      }
    }
  }

  @Test
  void hugeHeapInWorkerFailsAlone() {
    ExecutionResult r = run("const a = []; for (;;) a.push(new Array(1e5).fill(a.length))",
        SHORT.withMaxAllocatedBytes(4L << 30).withCpuTime(Duration.ofSeconds(60)).withWallTime(Duration.ofSeconds(60)),
        HostBridge.NONE);
    assertNotEquals(Kind.OK, r.kind());
    assertTrue(r.kind() == Kind.MEMORY_LIMIT, r.kind() + " " + r.error());
    assertEquals("3", run("return 3").resultJson());
  }
}
