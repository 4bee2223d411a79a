package dev.codemode.server.upstream;

import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpMethod;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Performs raw HTTP requests to the upstream API on Reactor Netty: pooled connections, connect and response timeouts,
 * gzip/deflate decompression and a cap on response size. It knows nothing of credentials or policy: callers
 * ({@link ApiGateway}) decide what may be sent. Thread-safe; one instance serves all executions.
 *
 * <pre>{@code
 * UpstreamClient http = new UpstreamClient(UpstreamClient.Settings.defaults());
 * UpstreamResponse r = http.send(new UpstreamRequest("GET", uri, List.of(), null)).block();
 * }</pre>
 */
public final class UpstreamClient implements AutoCloseable {

  /**
   * @param connectTimeout    TCP connect timeout
   * @param responseTimeout   time to wait for the response (headers and body gaps)
   * @param maxResponseBytes  bodies beyond this are cut and flagged
   * @param maxConnections    pooled connections in all
   */
  public record Settings(Duration connectTimeout, Duration responseTimeout, int maxResponseBytes, int maxConnections) {
    public static Settings defaults() {
      return new Settings(Duration.ofSeconds(5), Duration.ofSeconds(20), 8 << 20, 200);
    }
  }

  /** A fully built outgoing request. Headers are name/value pairs; body may be null. */
  public record UpstreamRequest(String method, URI uri, List<Map.Entry<String, String>> headers, byte[] body) {}

  /** What came back. Header names are lower case; repeated headers are joined with ", ". */
  public record UpstreamResponse(int status, Map<String, String> headers, byte[] body, boolean truncated,
      long durationMillis) {}

  private final Settings settings;
  private final ConnectionProvider pool;
  private final HttpClient client;

  public UpstreamClient(Settings settings) {
    this.settings = settings;
    this.pool = ConnectionProvider.builder("codemode-upstream")
        .maxConnections(settings.maxConnections())
        .pendingAcquireMaxCount(settings.maxConnections() * 4)
        .pendingAcquireTimeout(settings.responseTimeout())
        .maxIdleTime(Duration.ofSeconds(30))
        .build();
    this.client = HttpClient.create(pool)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
        .responseTimeout(settings.responseTimeout())
        .compress(true)
        .followRedirect(false);
  }

  public Settings settings() {
    return settings;
  }

  /** Sends one request. Errors are {@link UpstreamException} with a message fit for the script. */
  public Mono<UpstreamResponse> send(UpstreamRequest req) {
    long start = System.nanoTime();
    int cap = settings.maxResponseBytes();
    HttpClient.RequestSender sender = client
        .headers(h -> req.headers().forEach(e -> h.add(e.getKey(), e.getValue())))
        .request(HttpMethod.valueOf(req.method()))
        .uri(req.uri());
    HttpClient.ResponseReceiver<?> receiver = req.body() == null ? sender
        : sender.send(ByteBufFlux.fromInbound(Mono.just(req.body())));
    return receiver.response((resp, flux) -> {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      boolean[] truncated = {false};
      return flux.asByteArray()
          .takeWhile(chunk -> {
            if (out.size() + chunk.length > cap) {
              out.write(chunk, 0, cap - out.size());
              truncated[0] = true;
              return false;
            }
            out.write(chunk, 0, chunk.length);
            return true;
          })
          .then(Mono.fromCallable(() -> {
            Map<String, String> headers = new java.util.LinkedHashMap<>();
            resp.responseHeaders().forEach(e -> headers.merge(e.getKey().toLowerCase(Locale.ROOT), e.getValue(),
                (a, b) -> a + ", " + b));
            return new UpstreamResponse(resp.status().code(), headers, out.toByteArray(), truncated[0],
                (System.nanoTime() - start) / 1_000_000);
          }));
    }).next()
        .onErrorMap(e -> !(e instanceof UpstreamException), e -> translate(e, req));
  }

  private UpstreamException translate(Throwable e, UpstreamRequest req) {
    String where = req.method() + " " + req.uri().getPath();
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String name = root.getClass().getSimpleName();
    if (e instanceof TimeoutException || root instanceof TimeoutException || name.contains("Timeout")) {
      return new UpstreamException(where + " timed out after " + settings.responseTimeout().toSeconds()
          + " s waiting for the upstream; ask for less (smaller pages, filters) or try again later", e);
    }
    if (name.contains("Connect") || root instanceof java.net.ConnectException) {
      return new UpstreamException(where + " could not connect to the upstream (" + req.uri().getHost() + ":"
          + req.uri().getPort() + "): " + safe(root.getMessage()), e);
    }
    if (name.contains("PrematureClose") || String.valueOf(root.getMessage()).contains("reset")) {
      return new UpstreamException(where + " failed: the upstream closed the connection before answering; "
          + "try again", e);
    }
    return new UpstreamException(where + " failed: " + name + (root.getMessage() == null ? ""
        : ": " + safe(root.getMessage())), e);
  }

  private static String safe(String s) {
    return s == null ? "" : s.length() > 200 ? s.substring(0, 200) : s;
  }

  @Override
  public void close() {
    pool.disposeLater().block(Duration.ofSeconds(5));
  }
}
