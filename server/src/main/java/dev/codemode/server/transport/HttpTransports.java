package dev.codemode.server.transport;

import dev.codemode.server.config.HttpConfig;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a {@link ServerDefinition} over HTTP ({@code --transport sse|http}, optionally {@code --stateless}) until SIGTERM,
 * then shuts down gracefully: new requests get 503, executions in flight get {@link StdioTransport#GRACE} to finish,
 * the rest are cancelled. Prints {@code codemode listening on URL} on stderr once bound, for people and for tests.
 */
public final class HttpTransports {
  private static final Logger LOG = LoggerFactory.getLogger(HttpTransports.class);

  private HttpTransports() {}

  /** The HTTP flavour the config asks for. */
  public static McpHttpServer.Mode mode(HttpConfig config) {
    if (config.transport().equals("sse")) {
      return McpHttpServer.Mode.SSE;
    }
    return config.stateless() ? McpHttpServer.Mode.STATELESS : McpHttpServer.Mode.STREAMABLE;
  }

  /** Serves until the JVM is asked to stop; returns the exit status. */
  public static int serve(ServerDefinition definition, HttpConfig config, PrintStream err) {
    HttpSecurity rules = HttpSecurity.of(config);
    McpHttpServer server;
    try {
      server = McpHttpServer.start(definition, mode(config), config.host(), config.port(), rules);
    } catch (Exception e) {
      err.println("codemode-mcp: cannot listen on " + config.host() + ":" + config.port() + ": " + rootMessage(e));
      return 1;
    }
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stop.countDown();
      try {
        done.await(StdioTransport.GRACE.toSeconds() + 10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "codemode-shutdown"));
    err.println("codemode listening on " + server.url());
    err.flush();
    try {
      stop.await();
      LOG.info("stop requested; draining");
      server.shutdown(StdioTransport.GRACE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.close();
    } finally {
      done.countDown();
    }
    return 0;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
