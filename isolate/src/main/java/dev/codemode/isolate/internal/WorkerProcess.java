package dev.codemode.isolate.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codemode.isolate.ExecutionRequest;
import dev.codemode.isolate.ExecutionResult;
import dev.codemode.isolate.ExecutionResult.Kind;
import dev.codemode.isolate.HostBridge;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker JVM running {@link WorkerMain}, seen from the server: starts it, runs one execution at a time on it,
 * answers its host calls through the execution's {@link HostBridge}, and turns its death into a result for the
 * execution it was running. Its stderr is inherited (goes to the server's stderr). Thread-safe.
 */
final class WorkerProcess {
  private static final Logger log = LoggerFactory.getLogger(WorkerProcess.class);
  /** HotSpot's exit status under -XX:+ExitOnOutOfMemoryError. */
  private static final int OOM_EXIT = 3;
  private static final AtomicLong IDS = new AtomicLong();
  /** System property: extra JVM options for every worker (whitespace-separated), for profiling. */
  static final String EXTRA_JVM_ARGS = "codemode.worker.jvmArgs";

  private final Process process;
  private final WorkerProtocol.Channel channel;
  private final CompletableFuture<WorkerProcess> ready = new CompletableFuture<>();
  private final long started = System.nanoTime();
  /**
   * Host calls are answered here, never on the thread that reads the worker's pipe: that thread only reads and parses
   * bounded lines, so a costly call cannot delay the execution's result (or its end).
   */
  private final java.util.concurrent.ExecutorService hostCalls;
  private volatile boolean hostCallsStopped;
  private volatile Job job;
  /** Host calls handed to {@link #hostCalls} and not yet started. */
  private final java.util.concurrent.atomic.AtomicInteger callsQueued = new java.util.concurrent.atomic.AtomicInteger();
  private volatile long idleSince = System.nanoTime();
  private volatile boolean killed;
  /** Longest line accepted from the worker: small until a job says how large its messages may be. */
  private volatile long maxLine = 64 << 10;

  /** One execution on this worker; {@code calls} are its host calls still in flight. */
  private record Job(long id, HostBridge bridge, CompletableFuture<ExecutionResult> result, long startNanos,
      java.util.Set<CompletableFuture<String>> calls) {}

  private WorkerProcess(Process process) {
    this.process = process;
    this.channel = new WorkerProtocol.Channel(new BufferedWriter(
        new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), 1 << 16));
    this.hostCalls = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "codemode-worker-host-" + process.pid());
      t.setDaemon(true);
      return t;
    });
    Thread reader = new Thread(this::readLoop, "codemode-worker-reader-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  /** Launches a worker with the same java binary and classpath as this JVM, and no class-data archive of its own. */
  static WorkerProcess start(int heapMb) throws IOException {
    return start(heapMb, List.of());
  }

  /**
   * Launches a worker with the same java binary and classpath as this JVM.
   *
   * @param archive JVM options that map a class-data-sharing archive ({@link WorkerArchive#options()}), or none
   */
  static WorkerProcess start(int heapMb, List<String> archive) throws IOException {
    Process p = launch(command(heapMb, archive), ProcessBuilder.Redirect.PIPE);
    log.debug("started sandbox worker pid {}", p.pid());
    return new WorkerProcess(p);
  }

  /** The worker's command line: {@code java <options> <archive options> WorkerMain}. */
  static List<String> command(int heapMb, List<String> archive) {
    List<String> cmd = new ArrayList<>(List.of(javaBinary(),
        "-Xmx" + heapMb + "m",
        // Start small and give memory back: the heap grows with the script's needs (the limits are checked against
        // the maximum) and shrinks again at the full collection an idle worker runs (WorkerMain).
        "-Xms8m",
        "-XX:MinHeapFreeRatio=10",
        "-XX:MaxHeapFreeRatio=30",
        "-XX:+UseSerialGC",
        "-XX:+ExitOnOutOfMemoryError",
        "-XX:+DisplayVMOutputToStderr",
        "-XX:TieredStopAtLevel=1",
        "-XX:CICompilerCount=1",
        // A crashing worker must not leave hs_err/replay files (or a core) in the user's working directory.
        "-XX:ErrorFile=" + crashDir() + File.separator + "codemode-hs_err_pid%p.log",
        "-XX:ReplayDataFile=" + crashDir() + File.separator + "codemode-replay_pid%p.log",
        "-XX:-CreateCoredumpOnCrash",
        // Stdout is the protocol: the JVM's own log lines go to stderr, and an archive that does not fit this JVM
        // is ignored without a word (-Xshare:auto maps it only when it matches).
        "-Xlog:disable",
        "-Xlog:all=warning,cds*=off:stderr",
        "-Xshare:auto"));
    cmd.addAll(archive);
    cmd.addAll(List.of(
        "-Dpolyglot.engine.WarnInterpreterOnly=false",
        "-Dpolyglotimpl.AttachLibraryFailureAction=ignore",
        "-cp", System.getProperty("java.class.path")));
    if (Runtime.version().feature() >= 23) {
      cmd.add(1, "--sun-misc-unsafe-memory-access=allow"); // Truffle still uses it; keep the worker's stderr quiet
    }
    // Diagnostics only (profiling a worker, e.g. -XX:StartFlightRecording=...): options the operator put on the
    // server's own command line; nothing a script or a client can set.
    String extra = System.getProperty(EXTRA_JVM_ARGS, "").trim();
    if (!extra.isEmpty()) {
      cmd.addAll(List.of(extra.split("\\s+")));
    }
    cmd.add(WorkerMain.class.getName());
    return cmd;
  }

  /** Starts {@code cmd} with stderr inherited and no environment but PATH and TZ=UTC. */
  static Process launch(List<String> cmd, ProcessBuilder.Redirect stdout) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).redirectOutput(stdout);
    // The server's environment may hold credentials; the worker needs none of it.
    String path = System.getenv("PATH");
    pb.environment().clear();
    if (path != null) {
      pb.environment().put("PATH", path);
    }
    pb.environment().put("TZ", "UTC");
    return pb.start();
  }

  /** Where a worker JVM writes its crash report: the temporary directory, never the working directory. */
  static String crashDir() {
    return System.getProperty("java.io.tmpdir");
  }

  /** This JVM's java launcher; java.home's if this process was started by something else (a native launcher). */
  private static String javaBinary() {
    String fallback = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    return ProcessHandle.current().info().command()
        .filter(c -> new File(c).getName().startsWith("java"))
        .orElse(fallback);
  }

  /** Completes when the worker has warmed up and can take work; fails if it dies first. */
  CompletableFuture<WorkerProcess> ready() {
    return ready;
  }

  /** Notes that the worker has just become idle ({@link #idleSince}). */
  void markIdle() {
    idleSince = System.nanoTime();
  }

  /** {@link System#nanoTime()} when the worker last became idle. */
  long idleSince() {
    return idleSince;
  }

  /** False once the worker was killed (killing is asynchronous: the process may not have exited yet) or has died. */
  boolean alive() {
    return !killed && process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  CompletableFuture<ExecutionResult> run(ExecutionRequest request, HostBridge bridge) {
    Job j = new Job(IDS.incrementAndGet(), bridge, new CompletableFuture<>(), System.nanoTime(),
        java.util.concurrent.ConcurrentHashMap.newKeySet());
    maxLine = WorkerProtocol.maxLine(request.limits());
    job = j;
    // Whatever ends the execution (result, limit, cancel, death) also ends its calls still in flight.
    j.result().whenComplete((r, e) -> j.calls().forEach(c -> c.cancel(true)));
    try {
      channel.send(WorkerProtocol.run(j.id(), request));
    } catch (RuntimeException e) {
      kill();
      j.result().complete(died(-1, 0));
    }
    return j.result();
  }

  /** Passes a {@link dev.codemode.isolate.Sandbox#prepare} hint on; a worker that cannot take it is left as it is. */
  void prepare(ExecutionRequest likely) {
    try {
      channel.send(WorkerProtocol.run(0, likely).put("op", "prepare"));
    } catch (RuntimeException e) {
      log.debug("could not pass a prepare hint to sandbox worker {}: {}", process.pid(), e.getMessage());
    }
  }

  void cancel() {
    Job j = job;
    if (j != null) {
      try {
        channel.send(WorkerProtocol.message("cancel").put("id", j.id()));
      } catch (RuntimeException e) {
        kill();
      }
    }
  }

  /** Answers the current execution with {@code result}, then kills the worker (it overran its deadline). */
  void killWith(ExecutionResult result) {
    Job j = job;
    if (j != null) {
      j.result().complete(result);
    }
    kill();
  }

  void kill() {
    killed = true;
    process.destroyForcibly();
    stopHostCalls();
  }

  /**
   * No new host call starts (queued ones are skipped, see {@link #handle}); a task already running finishes. Never
   * {@code shutdownNow}: the host-call thread may be completing an execution's result, and the tool answer is written
   * on the completing thread; an interrupt there can make a blocking transport write fail and end a live session (a
   * legacy SSE stream did, #11 item 15). Host calls themselves never block this thread (they return a stage).
   */
  private void stopHostCalls() {
    hostCallsStopped = true;
    hostCalls.shutdown();
  }

  /** Returned (compared by identity) for a line over the limit: it was skipped and its execution ended. */
  private static final String SKIPPED = new String("skipped");

  /** The worker's next line; {@link #SKIPPED} when it was over the limit; null at the end of its output. */
  private String nextLine(WorkerProtocol.LineReader lines) throws IOException {
    try {
      return lines.next(() -> maxLine);
    } catch (WorkerProtocol.LineTooLong e) {
      unreadable("a message of " + e.length + " chars, over the " + maxLine + "-char limit");
      return SKIPPED;
    }
  }

  private void readLoop() {
    try (InputStreamReader in = new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)) {
      WorkerProtocol.LineReader lines = new WorkerProtocol.LineReader(in);
      while (true) {
        String line = nextLine(lines);
        if (line == SKIPPED) {
          continue;
        }
        if (line == null) {
          break;
        }
        JsonNode m;
        try {
          m = WorkerProtocol.parse(line);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          // Only the JVM itself can write here (the script has no IO): keep it visible.
          log.warn("worker {}: {}", process.pid(), line.length() > 300 ? line.substring(0, 300) + "..." : line);
          if (line.startsWith("{")) {
            unreadable("a message the server could not read (" + e.getOriginalMessage() + ")");
          }
          continue;
        }
        String payload = WorkerProtocol.raw(m) ? nextLine(lines) : null;
        if (payload == SKIPPED) {
          continue;
        }
        if (payload == null && WorkerProtocol.raw(m)) {
          break;
        }
        handle(m, payload);
      }
    } catch (IOException | RuntimeException e) {
      log.debug("worker {} output ended", process.pid(), e);
    }
    stopHostCalls();
    int exit;
    try {
      process.destroy();
      exit = process.waitFor(5, TimeUnit.SECONDS) ? process.exitValue() : -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exit = -1;
    }
    if (!ready.isDone()) {
      ready.completeExceptionally(new IOException("sandbox worker exited with status " + exit + " while starting"));
    }
    Job j = job;
    if (j != null && !j.result().isDone()) {
      log.warn("sandbox worker {} died (exit {}) while running execution {}", process.pid(), exit, j.id());
      j.result().complete(died(exit, (System.nanoTime() - j.startNanos()) / 1_000_000));
    }
  }

  /**
   * The worker sent a protocol line the server will not read (the worker's own limits should have prevented it):
   * its execution ends now with an error instead of waiting for an answer that will never come.
   */
  private void unreadable(String what) {
    Job j = job;
    log.warn("sandbox worker {} sent {}; killing it", process.pid(), what);
    if (j != null && !j.result().isDone()) {
      killWith(new ExecutionResult(Kind.INTERNAL, null, "The sandbox worker sent " + what + "; it was restarted."
          + " Keep host-call arguments and results smaller.", List.of(), 0, 0,
          (System.nanoTime() - j.startNanos()) / 1_000_000));
    }
  }

  /** @param payload the text that followed a {@code "raw"} message on its own line, else null */
  private void handle(JsonNode m, String payload) {
    Job j = job;
    switch (m.path("op").asText()) {
      case "ready" -> {
        log.debug("sandbox worker {} ready in {} ms", process.pid(), (System.nanoTime() - started) / 1_000_000);
        ready.complete(this);
      }
      case "call" -> {
        long id = m.path("id").asLong();
        long call = m.path("call").asLong();
        if (j == null || j.id() != id) {
          return;
        }
        String fn = m.path("fn").asText();
        String args = payload != null ? payload : WorkerProtocol.text(m, "args");
        callsQueued.incrementAndGet();
        try {
          hostCalls.execute(() -> {
            try {
              if (hostCallsStopped) {
                return; // the worker was killed or its output ended while this call waited to start
              }
              startCall(j, call, fn, args);
            } finally {
              callsQueued.decrementAndGet();
            }
          });
        } catch (java.util.concurrent.RejectedExecutionException e) {
          callsQueued.decrementAndGet();
          log.debug("worker {} stopped before a host call", process.pid());
        }
      }
      case "result" -> {
        if (j != null && j.id() == m.path("id").asLong()) {
          ExecutionResult r = WorkerProtocol.result(m, payload);
          // Behind the calls the script started before it ended, so each of them is started (and seen) first; with
          // none waiting to start, answered from here (one thread hop less).
          if (callsQueued.get() == 0) {
            j.result().complete(r);
            return;
          }
          try {
            hostCalls.execute(() -> j.result().complete(r));
          } catch (java.util.concurrent.RejectedExecutionException e) {
            j.result().complete(r);
          }
        }
      }
      default -> log.warn("unknown message from worker {}: {}", process.pid(), m.path("op").asText());
    }
  }

  private void startCall(Job j, long call, String fn, String args) {
    long id = j.id();
    CompletionStage<String> stage;
    try {
      stage = j.bridge().call(fn, args);
      if (stage == null) {
        stage = CompletableFuture.failedFuture(new IllegalStateException("the host returned nothing"));
      }
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<String> tracked = Execution.trackable(stage);
    j.calls().add(tracked);
    if (j.result().isDone()) {
      tracked.cancel(true); // the execution ended while this call was being started
    }
    tracked.whenComplete((value, error) -> {
      j.calls().remove(tracked);
      if (j.result().isDone()) {
        return;
      }
      ObjectNode reply = WorkerProtocol.message("reply").put("id", id).put("call", call);
      try {
        if (error == null && value != null) {
          channel.send(reply.put("ok", true), "value", value);
        } else if (error == null) {
          channel.send(reply.put("ok", true).putNull("value"));
        } else {
          channel.send(reply.put("ok", false).put("error", messageOf(error)));
        }
      } catch (RuntimeException e) {
        log.debug("worker {} gone before a host reply", process.pid());
      }
    });
  }

  private static ExecutionResult died(int exit, long elapsedMillis) {
    if (exit == OOM_EXIT) {
      return new ExecutionResult(Kind.MEMORY_LIMIT, null, "The script exhausted the sandbox worker's memory, which"
          + " was restarted. Work in smaller pieces: fewer items per page, keep only the fields you need.", List.of(),
          0, 0, elapsedMillis);
    }
    return new ExecutionResult(Kind.INTERNAL, null, "The sandbox worker process died (exit status " + exit
        + ") and was restarted; the script may have crashed it. Try again, doing less at once.", List.of(), 0, 0, elapsedMillis);
  }

  private static String messageOf(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    String m = t.getMessage();
    return m == null || m.isBlank() ? "host call failed" : m;
  }
}
