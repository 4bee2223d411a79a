package dev.codemode.isolate.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codemode.isolate.ExecutionRequest;
import dev.codemode.isolate.ExecutionResult;
import dev.codemode.isolate.HostBridge;
import dev.codemode.isolate.Limits;
import dev.codemode.isolate.SandboxConfig;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.BufferedWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of a sandbox worker JVM: runs one execution at a time in an {@link InProcessSandbox} and proxies host
 * calls to the parent over stdin/stdout ({@link WorkerProtocol}). Stdout carries only the protocol: {@code System.out}
 * is pointed at stderr before anything else runs. The worker exits when its stdin closes (the parent is gone).
 */
public final class WorkerMain {
  private static final Logger log = LoggerFactory.getLogger(WorkerMain.class);

  /** Idle this long after an execution, the worker collects its heap once and gives the free part back to the OS. */
  private static final long IDLE_GC_MS = 2_000;

  private WorkerMain() {}

  public static void main(String[] args) throws Exception {
    PrintStream protocolOut = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
    System.setOut(System.err);
    WorkerProtocol.Channel channel = new WorkerProtocol.Channel(
        new BufferedWriter(new OutputStreamWriter(protocolOut, StandardCharsets.UTF_8), 1 << 16));
    Map<Long, RemoteBridge> bridges = new ConcurrentHashMap<>();
    Map<Long, CompletableFuture<ExecutionResult>> running = new ConcurrentHashMap<>();
    AtomicLong runs = new AtomicLong();
    ScheduledExecutorService idleGc = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "codemode-worker-idle-gc");
      t.setDaemon(true);
      return t;
    });
    try (InProcessSandbox sandbox = new InProcessSandbox(new SandboxConfig(1, 4, false, 0))) {
      ExecutionResult warm = sandbox.execute(new ExecutionRequest("return [1, 2].map(x => ({x}))", "",
          Limits.defaults()), HostBridge.NONE).join();
      log.debug("worker warm: {}", warm.kind());
      System.gc(); // start lean: the warm-up garbage goes, and the heap shrinks to what is live
      channel.send(WorkerProtocol.message("ready"));
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8), 1 << 16);
      for (String line; (line = in.readLine()) != null; ) {
        JsonNode m = WorkerProtocol.parse(line);
        long id = m.path("id").asLong();
        switch (m.path("op").asText()) {
          case "run" -> {
            runs.incrementAndGet();
            RemoteBridge bridge = new RemoteBridge(id, channel);
            bridges.put(id, bridge);
            CompletableFuture<ExecutionResult> f = sandbox.execute(WorkerProtocol.request(m), bridge);
            running.put(id, f);
            f.whenComplete((r, e) -> {
              bridges.remove(id);
              running.remove(id);
              if (r != null) {
                WorkerProtocol.sendResult(channel, id, r);
              }
              long seen = runs.get();
              idleGc.schedule(() -> {
                if (runs.get() == seen && running.isEmpty()) {
                  System.gc(); // -XX:MaxHeapFreeRatio makes the collector shrink the heap it no longer needs
                }
              }, IDLE_GC_MS, TimeUnit.MILLISECONDS);
            });
          }
          case "reply" -> {
            String value = WorkerProtocol.raw(m) ? in.readLine() : WorkerProtocol.text(m, "value");
            RemoteBridge bridge = bridges.get(id);
            if (bridge != null) {
              bridge.reply(m, value);
            }
          }
          case "prepare" -> sandbox.prepare(WorkerProtocol.request(m));
          case "cancel" -> {
            CompletableFuture<ExecutionResult> f = running.get(id);
            if (f != null) {
              f.cancel(true);
              channel.send(WorkerProtocol.result(id, new ExecutionResult(ExecutionResult.Kind.CANCELLED, null,
                  Messages.cancelled(), java.util.List.of(), 0, 0, 0)));
            }
          }
          default -> log.warn("unknown message from the parent: {}", m.path("op").asText());
        }
      }
    }
    System.exit(0);
  }

  /** Host calls of one execution, proxied to the parent. Thread-safe. */
  static final class RemoteBridge implements HostBridge {
    private final long id;
    private final WorkerProtocol.Channel channel;
    private final AtomicLong calls = new AtomicLong();
    private final Map<Long, CompletableFuture<String>> pending = new ConcurrentHashMap<>();

    RemoteBridge(long id, WorkerProtocol.Channel channel) {
      this.id = id;
      this.channel = channel;
    }

    @Override
    public CompletionStage<String> call(String function, String argsJson) {
      long call = calls.incrementAndGet();
      CompletableFuture<String> f = new CompletableFuture<>();
      pending.put(call, f);
      channel.send(WorkerProtocol.message("call").put("id", id).put("call", call).put("fn", function), "args",
          argsJson);
      return f;
    }

    /** @param value the reply's value (from the message or the line after it) */
    void reply(JsonNode m, String value) {
      CompletableFuture<String> f = pending.remove(m.path("call").asLong());
      if (f == null) {
        return;
      }
      if (m.path("ok").asBoolean()) {
        f.complete(value);
      } else {
        f.completeExceptionally(new RemoteHostException(WorkerProtocol.text(m, "error")));
      }
    }
  }

  /** A failed host call, as the parent described it (its message only). */
  static final class RemoteHostException extends RuntimeException {
    RemoteHostException(String message) {
      super(message, null, false, false);
    }
  }
}
