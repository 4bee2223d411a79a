package dev.codemode.server.transport;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one MCP session over stdin/stdout with the Java SDK's stdio transport (its sends made one at a time by
 * {@link SerialSends}), until stdin closes (the client went away) or the JVM is asked to stop (SIGTERM). Either way,
 * executions in flight get {@link #GRACE} to finish and are then cancelled. Inbound lines pass a {@link JsonRpcInspector}, so {@code notifications/cancelled} stops a script.
 * Not reusable.
 */
public final class StdioTransport {
  /** How long running executions may take to finish at shutdown before they are cancelled. */
  public static final Duration GRACE = Duration.ofSeconds(10);
  private static final Logger LOG = LoggerFactory.getLogger(StdioTransport.class);

  private StdioTransport() {}

  /**
   * Serves {@code definition} until the client closes stdin; {@code hook} installs a SIGTERM handler (off in tests).
   * Returns the exit status.
   */
  public static int serve(ServerDefinition definition, InputStream in, OutputStream out, boolean hook) {
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(1);
    CancellationRegistry calls = new CancellationRegistry();
    JsonRpcInspector inspector = new JsonRpcInspector(calls);
    String scope = "stdio-" + UUID.randomUUID();
    InputStream watched = new InspectingInputStream(in, line -> inspector.inbound(scope, line), stop::countDown);
    SerialSends transport = new SerialSends(new StdioServerTransportProvider(McpJsonDefaults.getMapper(), watched, out));
    McpAsyncServer server = definition.sessionServer(transport, calls);
    Thread shutdownHook = new Thread(() -> {
      stop.countDown();
      try {
        done.await(GRACE.toSeconds() + 5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "codemode-shutdown");
    if (hook) {
      Runtime.getRuntime().addShutdownHook(shutdownHook);
      StopSignals.onStop(stop::countDown);
    }
    LOG.info("serving MCP over stdio");
    try {
      stop.await();
      LOG.info("stdin closed or stop requested; shutting down");
      drain(calls);
      try {
        server.closeGracefully().block(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        LOG.debug("graceful close failed: {}", e.toString());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      done.countDown();
    }
    return 0;
  }

  /** Lets running executions finish within {@link #GRACE}, then cancels the rest. */
  static void drain(CancellationRegistry calls) throws InterruptedException {
    if (calls.inFlight() > 0) {
      LOG.info("waiting up to {} s for {} running tool call(s)", GRACE.toSeconds(), calls.inFlight());
      if (!calls.awaitIdle(GRACE)) {
        LOG.warn("cancelled {} tool call(s) still running after {} s", calls.cancelAll("server shutting down"),
            GRACE.toSeconds());
        calls.awaitIdle(Duration.ofSeconds(2));
      }
    }
  }
}
