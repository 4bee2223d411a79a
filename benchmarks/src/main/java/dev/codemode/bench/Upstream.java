package dev.codemode.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local HTTP upstream for any spec: every request, whatever its method and path, gets 200 with the same small JSON
 * object, so a server under test can be pointed at it with {@code --base-url}. Also the "same call made directly"
 * side of the comparison: {@link #direct(String)} sends one GET from this JVM with a warm {@link HttpClient}.
 * Thread-safe. Close it.
 *
 * <pre>{@code try (Upstream u = Upstream.start()) { long ns = u.direct("/repos/o/r"); }}</pre>
 */
final class Upstream implements AutoCloseable {
  static final byte[] BODY = ("{\"id\":1,\"name\":\"bench\",\"full_name\":\"octo/bench\",\"private\":false,"
      + "\"displayName\":\"Bench\",\"mail\":\"bench@example.com\"}").getBytes(StandardCharsets.UTF_8);

  private final HttpServer server;
  private final ExecutorService pool;
  private final HttpClient client;
  private final AtomicLong served = new AtomicLong();

  private Upstream(HttpServer server, ExecutorService pool) {
    this.server = server;
    this.pool = pool;
    this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  static Upstream start() throws IOException {
    // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's delayed ACK: ~40 ms
    // per request instead of well under 1 ms. Read once, when the first server is created.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
    ExecutorService pool = Executors.newFixedThreadPool(16, r -> {
      Thread t = new Thread(r, "bench-upstream");
      t.setDaemon(true);
      return t;
    });
    Upstream u = new Upstream(s, pool);
    s.createContext("/", ex -> {
      try (InputStream in = ex.getRequestBody(); OutputStream out = ex.getResponseBody()) {
        in.readAllBytes();
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, BODY.length);
        out.write(BODY);
      }
      u.served.incrementAndGet();
    });
    s.setExecutor(pool);
    s.start();
    return u;
  }

  /** {@code http://127.0.0.1:PORT} (no trailing slash). */
  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Requests answered so far. */
  long served() {
    return served.get();
  }

  /** Nanoseconds of one GET of {@code path} from this JVM, body read; throws unless the answer is 200. */
  long direct(String path) {
    HttpRequest req = HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET()
        .header("Accept", "application/json").timeout(Duration.ofSeconds(10)).build();
    long t0 = System.nanoTime();
    try {
      HttpResponse<byte[]> r = client.send(req, HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("direct GET " + path + " answered " + r.statusCode());
      }
    } catch (IOException e) {
      throw new IllegalStateException("direct GET " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    return System.nanoTime() - t0;
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
