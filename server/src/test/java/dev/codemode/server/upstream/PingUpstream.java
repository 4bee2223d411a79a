package dev.codemode.server.upstream;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A real upstream on a free loopback port that answers {@code GET /ping} with {@code {"pong":true}} and records each
 * request, so tests can see what reached it (a credential, a query parameter). Shared with conformance-tests through
 * the test-jar. Close it after use.
 *
 * <pre>{@code
 * try (PingUpstream up = PingUpstream.start()) { ... up.baseUrl() ... up.requests() }
 * }</pre>
 */
public final class PingUpstream implements AutoCloseable {
  /** One request as the upstream saw it. */
  public record Seen(Headers headers, URI uri) {}

  private final HttpServer server;
  private final ConcurrentLinkedQueue<Seen> requests = new ConcurrentLinkedQueue<>();

  private PingUpstream(HttpServer server) {
    this.server = server;
  }

  public static PingUpstream start() throws IOException {
    PingUpstream up = new PingUpstream(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
    up.server.createContext("/ping", x -> {
      up.requests.add(new Seen(x.getRequestHeaders(), x.getRequestURI()));
      byte[] b = "{\"pong\":true}".getBytes(StandardCharsets.UTF_8);
      x.getResponseHeaders().add("Content-Type", "application/json");
      x.sendResponseHeaders(200, b.length);
      x.getResponseBody().write(b);
      x.close();
    });
    up.server.start();
    return up;
  }

  /** {@code http://127.0.0.1:PORT}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The requests so far, oldest first. */
  public List<Seen> requests() {
    return List.copyOf(requests);
  }

  public void clear() {
    requests.clear();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
