package dev.codemode.server.transport;

import dev.codemode.server.Codemode;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one MCP session over stdin/stdout with the Java SDK's stdio transport, until stdin closes (the client went
 * away) or the JVM is asked to stop. Not reusable.
 */
public final class StdioTransport {
  private static final Logger LOG = LoggerFactory.getLogger(StdioTransport.class);

  private StdioTransport() {}

  /** Blocks until the client closes stdin; returns the exit status. */
  public static int serve(Codemode app, InputStream in, OutputStream out) {
    CountDownLatch eof = new CountDownLatch(1);
    InputStream watched = new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b < 0) {
          eof.countDown();
        }
        return b;
      }

      @Override
      public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n < 0) {
          eof.countDown();
        }
        return n;
      }
    };
    StdioServerTransportProvider transport =
        new StdioServerTransportProvider(McpJsonDefaults.getMapper(), watched, out);
    McpAsyncServer server = app.mcpServer(transport);
    Thread hook = new Thread(eof::countDown, "codemode-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    LOG.info("serving MCP over stdio");
    try {
      eof.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LOG.info("stdin closed; shutting down");
    try {
      server.closeGracefully().block(Duration.ofSeconds(5));
    } catch (RuntimeException e) {
      LOG.debug("graceful close failed: {}", e.toString());
    }
    return 0;
  }
}
