package dev.codemode.conformance;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged server started as a child process on an HTTP transport with {@code --port 0}; the URL is read from the
 * {@code codemode listening on URL} line it prints on stderr. Closing it sends SIGTERM and waits for the exit.
 */
final class HttpServerProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("codemode listening on (\\S+)");
  final Process process;
  final URI url;
  final ConcurrentLinkedQueue<String> stderr = new ConcurrentLinkedQueue<>();

  HttpServerProcess(List<String> args, Map<String, String> env) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(Jar.command(args));
    pb.environment().putAll(env);
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    process = pb.start();
    process.getOutputStream().close();
    CompletableFuture<URI> bound = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          stderr.add(line);
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            bound.complete(URI.create(m.group(1)));
          }
        }
      } catch (IOException e) {
        // the process ended
      }
      bound.completeExceptionally(new IllegalStateException("the server exited before listening"));
    }, "server-stderr");
    reader.setDaemon(true);
    reader.start();
    try {
      url = bound.get(180, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
      process.destroyForcibly();
      throw new AssertionError("the server did not print 'codemode listening on URL' (" + e.getMessage()
          + "); stderr:\n" + String.join("\n", stderr));
    }
  }

  /** SIGTERM, then wait for a graceful exit. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail("the server did not exit within 30 s of SIGTERM");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
