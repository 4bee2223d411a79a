package dev.codemode.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server stops while the embedding model is still being loaded (semantic search on, a fresh cache): a client
 * that connects, calls and disconnects within seconds, and a SIGTERM at the same moment. Both used to crash the JVM
 * (SIGSEGV in ONNX Runtime's createSession on the warm-up thread, hs_err file in the working directory). Each run
 * stops the server the instant it logs that the model load starts, so the window is hit every time.
 */
class ModelShutdownTest {
  private static final String INIT = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
      + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"quick\",\"version\":\"1\"}}}\n"
      + "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n"
      + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"search\",\"arguments\":{"
      + "\"query\":\"list orders\"}}}\n";

  @Test
  void aClientThatLeavesWhileTheModelLoadsEndsTheServerCleanly(@TempDir Path dir) throws Exception {
    Process p = start(dir, List.of());
    p.getOutputStream().write(INIT.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().flush();
    Stderr err = Stderr.watch(p);
    err.awaitModelLoading(p);
    p.getOutputStream().close(); // the client goes away
    assertCleanExit(p, err, dir, List.of(0));
  }

  @Test
  void sigtermWhileTheModelLoadsEndsTheServerCleanly(@TempDir Path dir) throws Exception {
    Process p = start(dir, List.of("--transport", "http", "--port", "0"));
    Stderr err = Stderr.watch(p);
    err.awaitModelLoading(p);
    p.destroy(); // SIGTERM
    assertCleanExit(p, err, dir, List.of(0, 143));
  }

  private static Process start(Path dir, List<String> extra) throws IOException {
    Path work = Files.createDirectories(dir.resolve("work"));
    List<String> args = new ArrayList<>(List.of("--demo", "--log-level", "info", "--cache-dir",
        dir.resolve("cache").toString()));
    args.addAll(extra);
    // The working directory is where the JVM would drop hs_err_pid*.log.
    return new ProcessBuilder(Jar.command(args)).directory(work.toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
  }

  private static void assertCleanExit(Process p, Stderr err, Path dir, List<Integer> statuses) throws Exception {
    if (!p.waitFor(120, TimeUnit.SECONDS)) { // a loaded 2-core machine can take a minute to load the model
      p.destroyForcibly();
      fail("the server did not exit within 120 s:\n" + err.text());
    }
    String log = err.done();
    assertTrue(statuses.contains(p.exitValue()), "exit status " + p.exitValue() + ":\n" + NodeTools.tail(log, 4000));
    assertFalse(log.contains("A fatal error has been detected"), NodeTools.tail(log, 4000));
    try (Stream<Path> files = Files.list(dir.resolve("work"))) {
      assertEquals(List.of(), files.map(f -> f.getFileName().toString()).toList(),
          "nothing (hs_err_pid*.log, core, replay_pid*.log) may be written to the working directory");
    }
  }

  /** The server's stderr, collected on a thread; tells when the model load begins. */
  private static final class Stderr {
    private final StringBuffer text = new StringBuffer();
    private final CompletableFuture<Void> loading = new CompletableFuture<>();
    private final Thread reader;

    private Stderr(InputStream in) {
      reader = new Thread(() -> {
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8))) {
          String line;
          while ((line = lines.readLine()) != null) {
            text.append(line).append('\n');
            if (line.contains("Loading embedding model")) {
              loading.complete(null);
            }
          }
        } catch (IOException e) {
          text.append("[stderr lost: ").append(e).append("]\n");
        }
      }, "model-shutdown-stderr");
      reader.setDaemon(true);
      reader.start();
    }

    static Stderr watch(Process p) {
      return new Stderr(p.getErrorStream());
    }

    void awaitModelLoading(Process p) throws Exception {
      try {
        loading.get(60, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        p.destroyForcibly();
        fail("the server never started loading the embedding model:\n" + NodeTools.tail(text(), 4000));
      }
    }

    String text() {
      return text.toString();
    }

    String done() throws InterruptedException {
      reader.join(5000);
      return text();
    }
  }
}
