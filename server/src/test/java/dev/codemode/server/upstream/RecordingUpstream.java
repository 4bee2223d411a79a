package dev.codemode.server.upstream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real upstream on port 0 that records every request it receives (method, path with query, body) and answers each
 * with {@code 200 {"ok":true}}: proof that a rejected call sent nothing and that an accepted one arrived as bound.
 * Public so conformance tests can use it from the test-jar. Close it after use.
 *
 * <pre>{@code
 * try (RecordingUpstream up = new RecordingUpstream()) { ...; assertEquals(0, up.received().size()); }
 * }</pre>
 */
public final class RecordingUpstream implements AutoCloseable {
  /** One received request. */
  public record Received(String method, String pathAndQuery, String body) {}

  private final HttpServer server;
  private final ExecutorService pool = Executors.newFixedThreadPool(4);
  private final List<Received> received = new CopyOnWriteArrayList<>();

  public RecordingUpstream() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(pool);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Base URL; the spec's paths go under it. */
  public String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/api";
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  public void clear() {
    received.clear();
  }

  private void handle(HttpExchange ex) throws IOException {
    byte[] in = ex.getRequestBody().readAllBytes();
    String q = ex.getRequestURI().getRawQuery();
    received.add(new Received(ex.getRequestMethod(), ex.getRequestURI().getRawPath().substring(4)
        + (q == null ? "" : "?" + q), new String(in, StandardCharsets.UTF_8)));
    byte[] out = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(200, out.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(out);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
