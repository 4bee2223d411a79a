package dev.codemode.server.transport;

import dev.codemode.server.Codemode;
import java.io.PrintStream;

/** HTTP transports (legacy SSE, Streamable HTTP). */
public final class HttpTransports {
  private HttpTransports() {}

  /** Serves over HTTP until the JVM stops; returns the exit status. */
  public static int serve(Codemode app, PrintStream err) {
    err.println("codemode-mcp: --transport " + app.config().transport() + " is not available yet");
    return 2;
  }
}
