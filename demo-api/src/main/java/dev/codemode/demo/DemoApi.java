package dev.codemode.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process store/CRM HTTP API with an OpenAPI document, bearer auth and deterministic data:
 * 2,000 customers, 200 products, 10,000 orders and 1,000 support tickets, plus diagnostics
 * endpoints for fault tests. It lets {@code --demo} work on a fresh clone and gives tests a real
 * upstream. Each instance owns its own state; writes change it.
 *
 * <p>Thread-safe: requests are served by a small pool of daemon threads; {@link #close()} may be
 * called from any thread, more than once. Example:
 * <pre>{@code try (DemoApi api = DemoApi.start("127.0.0.1", 0, DemoApi.DEFAULT_TOKEN)) {
 *   URI orders = URI.create(api.baseUrl() + "/orders"); } // send "Authorization: Bearer " + api.token()}</pre>
 */
public final class DemoApi implements AutoCloseable {
  /** The token {@link #main} uses when none is given. Not a secret: the demo data is fake. */
  public static final String DEFAULT_TOKEN = "demo-token-123";

  private static final Logger log = LoggerFactory.getLogger(DemoApi.class);
  private static final int WORKER_THREADS = 16;
  private static final String SPEC_RESOURCE = "/demo/openapi.json";
  private static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";

  private final HttpServer server;
  private final ExecutorService workers;
  private final ScheduledExecutorService scheduler;
  private final URI baseUrl;
  private final String token;
  private final String openApiJson;

  private DemoApi(HttpServer server, ExecutorService workers, ScheduledExecutorService scheduler, URI baseUrl,
      String token, String openApiJson) {
    this.server = server;
    this.workers = workers;
    this.scheduler = scheduler;
    this.baseUrl = baseUrl;
    this.token = token;
    this.openApiJson = openApiJson;
  }

  /**
   * Generates the data and starts serving.
   *
   * @param host address to bind, e.g. {@code 127.0.0.1}
   * @param port port to bind, {@code 0} for an ephemeral one (see {@link #baseUrl()})
   * @param token the bearer token every {@code /v1} request must carry
   * @throws UncheckedIOException when the address cannot be bound
   */
  public static DemoApi start(String host, int port, String token) {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(token, "token");
    if (token.isBlank() || token.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("token must be non-blank without whitespace");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
    }
    long started = System.nanoTime();
    ObjectMapper mapper = new ObjectMapper();
    Router router = router(new DemoStore(DemoData.generate(DemoData.SEED)), mapper);

    // The JDK server flushes headers and body separately; without TCP_NODELAY, Nagle plus delayed
    // ACKs add ~40 ms to every response. Read once per JVM, so set it before the first server.
    if (System.getProperty(NODELAY_PROPERTY) == null) {
      System.setProperty(NODELAY_PROPERTY, "true");
    }
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 64);
    } catch (IOException e) {
      throw new UncheckedIOException("Demo API could not bind " + host + ":" + port, e);
    }
    URI baseUrl = URI.create("http://" + urlHost(host) + ":" + server.getAddress().getPort() + Dispatcher.PREFIX);
    String spec = openApiJson(mapper, baseUrl);
    ExecutorService workers = Executors.newFixedThreadPool(WORKER_THREADS, daemonThreads("demo-api-"));
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(daemonThreads("demo-api-timer-"));
    server.setExecutor(workers);
    server.createContext("/", new Dispatcher(router, mapper, spec, token, scheduler, workers));
    server.start();
    log.info("Demo API listening on {} (started in {} ms)", baseUrl, (System.nanoTime() - started) / 1_000_000);
    return new DemoApi(server, workers, scheduler, baseUrl, token, spec);
  }

  /** The API's base URL including {@code /v1}, e.g. {@code http://127.0.0.1:54321/v1}. */
  public URI baseUrl() {
    return baseUrl;
  }

  /** The bearer token the API accepts. */
  public String token() {
    return token;
  }

  /** The OpenAPI 3.0.3 document, with {@code servers[0].url} set to {@link #baseUrl()}. */
  public String openApiJson() {
    return openApiJson;
  }

  /** Stops serving; in-flight and delayed responses are dropped. Idempotent. */
  @Override
  public void close() {
    server.stop(0);
    scheduler.shutdownNow();
    workers.shutdownNow();
  }

  /**
   * Runs the demo API as its own process: {@code --port N} (default 0), {@code --token T} (default
   * {@value #DEFAULT_TOKEN}), {@code --host H} (default 127.0.0.1). Prints one JSON line
   * {@code {"baseUrl":..,"token":..}} to stdout, then serves until the process is killed.
   */
  public static void main(String[] args) throws InterruptedException {
    String host = "127.0.0.1";
    int port = 0;
    String token = DEFAULT_TOKEN;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (i + 1 >= args.length) {
        usage("missing value after " + flag);
      }
      String value = args[++i];
      switch (flag) {
        case "--port" -> port = parsePort(value);
        case "--token" -> token = value;
        case "--host" -> host = value;
        default -> usage("unknown option " + flag);
      }
    }
    DemoApi api = start(host, port, token);
    Runtime.getRuntime().addShutdownHook(new Thread(api::close, "demo-api-shutdown"));
    try {
      System.out.println(new ObjectMapper().writeValueAsString(
          Map.of("baseUrl", api.baseUrl().toString(), "token", api.token())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.flush();
    new CountDownLatch(1).await();
  }

  private static int parsePort(String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      usage("--port expects a number, got '" + value + "'");
      return -1;
    }
  }

  private static void usage(String problem) {
    System.err.println("demo-api: " + problem);
    System.err.println("usage: java ... dev.codemode.demo.DemoApi [--port N] [--token T] [--host H]");
    System.exit(2);
  }

  /** Every route of the API; the OpenAPI document must describe exactly these. */
  static Router router(DemoStore store, ObjectMapper mapper) {
    Router router = new Router();
    new CustomerRoutes(store, mapper).register(router);
    new ProductRoutes(store).register(router);
    new OrderRoutes(store, mapper).register(router);
    new TicketRoutes(store).register(router);
    new DiagnosticsRoutes().register(router);
    return router;
  }

  static String openApiJson(ObjectMapper mapper, URI baseUrl) {
    try (InputStream in = DemoApi.class.getResourceAsStream(SPEC_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("Missing classpath resource " + SPEC_RESOURCE);
      }
      ObjectNode spec = (ObjectNode) mapper.readTree(in);
      spec.putArray("servers").addObject()
          .put("url", baseUrl.toString())
          .put("description", "Embedded Codemode demo API");
      return mapper.writeValueAsString(spec);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + SPEC_RESOURCE, e);
    }
  }

  private static String urlHost(String host) {
    if (host.equals("0.0.0.0") || host.equals("::") || host.isEmpty()) {
      return "127.0.0.1";
    }
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
