package dev.codemode.server.transport;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.McpStatelessAsyncServer;
import io.modelcontextprotocol.server.transport.HttpServletSseServerTransportProvider;
import io.modelcontextprotocol.server.transport.HttpServletStatelessServerTransport;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.function.Function;
import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * One MCP server on embedded Jetty 12, with the SDK's servlet transport for the chosen {@link Mode} behind a
 * {@link SecurityFilter}, a {@link SessionOwnerFilter} (a session belongs to the client token that opened it) and a
 * {@link JsonRpcFilter}. Streamable HTTP and stateless serve {@code /mcp}; legacy SSE
 * serves {@code /sse} with messages posted to {@code /message}. Start it with {@link #start}, stop it with
 * {@link #shutdown} (drain, then cancel) or {@link #close}. Thread-safe.
 *
 * <pre>{@code
 * try (McpHttpServer s = McpHttpServer.start(def, Mode.STREAMABLE, "127.0.0.1", 0, security)) {
 *   URI url = s.url(); // http://127.0.0.1:41234/mcp
 * }
 * }</pre>
 */
public final class McpHttpServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(McpHttpServer.class);

  /** The three HTTP flavours. */
  public enum Mode {
    /** Streamable HTTP with sessions at /mcp. */
    STREAMABLE("/mcp"),
    /** Streamable HTTP without sessions at /mcp, for several instances behind a load balancer. */
    STATELESS("/mcp"),
    /** The 2024-11-05 HTTP+SSE transport: GET /sse, POST /message?sessionId=. */
    SSE("/sse");

    private final String path;

    Mode(String path) {
      this.path = path;
    }

    public String path() {
      return path;
    }
  }

  private final Server jetty;
  private final ServerConnector connector;
  private final SecurityFilter security;
  private final CancellationRegistry calls;
  private final Mono<Void> closeMcp;
  private final Mode mode;
  private final String host;

  private McpHttpServer(Server jetty, ServerConnector connector, SecurityFilter security, CancellationRegistry calls,
      Mono<Void> closeMcp, Mode mode, String host) {
    this.jetty = jetty;
    this.connector = connector;
    this.security = security;
    this.calls = calls;
    this.closeMcp = closeMcp;
    this.mode = mode;
    this.host = host;
  }

  /** Binds {@code host:port} (0 = any free port) and starts serving. */
  public static McpHttpServer start(ServerDefinition definition, Mode mode, String host, int port,
      HttpSecurity rules) throws Exception {
    CancellationRegistry calls = new CancellationRegistry();
    HttpServlet servlet;
    Mono<Void> closeMcp;
    Function<HttpServletRequest, String> scope;
    switch (mode) {
      case STREAMABLE -> {
        HttpServletStreamableServerTransportProvider t = HttpServletStreamableServerTransportProvider.builder()
            .jsonMapper(McpJsonDefaults.getMapper()).mcpEndpoint(mode.path())
            .contextExtractor(McpHttpServer::identity)
            .keepAliveInterval(Duration.ofSeconds(20)).build();
        McpAsyncServer server = definition.streamableServer(t, calls);
        servlet = t;
        closeMcp = Mono.defer(server::closeGracefully);
        scope = r -> prefixed("http:", r.getHeader("Mcp-Session-Id"));
      }
      case STATELESS -> {
        HttpServletStatelessServerTransport t = HttpServletStatelessServerTransport.builder()
            .jsonMapper(McpJsonDefaults.getMapper()).messageEndpoint(mode.path())
            .contextExtractor(McpHttpServer::identity).build();
        McpStatelessAsyncServer server = definition.statelessServer(t, calls);
        servlet = t;
        closeMcp = Mono.defer(server::closeGracefully);
        scope = r -> null;
      }
      case SSE -> {
        HttpServletSseServerTransportProvider t = HttpServletSseServerTransportProvider.builder()
            .jsonMapper(McpJsonDefaults.getMapper()).sseEndpoint("/sse").messageEndpoint("/message")
            .contextExtractor(McpHttpServer::identity)
            .keepAliveInterval(Duration.ofSeconds(20)).build();
        McpAsyncServer server = definition.sessionServer(t, calls);
        servlet = t;
        closeMcp = Mono.defer(server::closeGracefully);
        scope = r -> prefixed("sse:", r.getParameter("sessionId"));
      }
      default -> throw new IllegalArgumentException("mode " + mode);
    }

    QueuedThreadPool threads = new QueuedThreadPool(256, 8);
    threads.setName("codemode-http");
    Server jetty = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    // A tool call may stream nothing for as long as an execution runs; SSE streams get keep-alive pings.
    connector.setIdleTimeout(Math.max(Duration.ofMinutes(2).toMillis(),
        definition.requestTimeout().plusSeconds(30).toMillis()));
    jetty.addConnector(connector);

    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    SecurityFilter securityFilter = new SecurityFilter(rules, connector::getLocalPort);
    FilterHolder sf = new FilterHolder(securityFilter);
    sf.setAsyncSupported(true);
    context.addFilter(sf, "/*", EnumSet.of(DispatcherType.REQUEST));
    if (mode != Mode.STATELESS) {
      FilterHolder of = new FilterHolder(new SessionOwnerFilter(rules, mode));
      of.setAsyncSupported(true);
      context.addFilter(of, "/*", EnumSet.of(DispatcherType.REQUEST));
    }
    FilterHolder jf = new FilterHolder(new JsonRpcFilter(rules.maxRequestBytes(), new JsonRpcInspector(calls), scope));
    jf.setAsyncSupported(true);
    context.addFilter(jf, "/*", EnumSet.of(DispatcherType.REQUEST));
    ServletHolder holder = new ServletHolder("mcp", servlet);
    holder.setAsyncSupported(true);
    if (mode == Mode.SSE) {
      context.addServlet(holder, "/sse");
      context.addServlet(holder, "/message");
    } else {
      context.addServlet(holder, mode.path());
    }
    jetty.setHandler(context);
    jetty.setStopTimeout(2_000);
    jetty.start();
    McpHttpServer server = new McpHttpServer(jetty, connector, securityFilter, calls, closeMcp, mode, host);
    LOG.info("MCP over {} at {}", mode, server.url());
    return server;
  }

  /** The caller's identity, as the {@link SecurityFilter} found it from the client token, for the tools. */
  private static McpTransportContext identity(HttpServletRequest r) {
    Object id = r.getAttribute(HttpSecurity.IDENTITY);
    return id == null ? McpTransportContext.EMPTY : McpTransportContext.create(Map.of(HttpSecurity.IDENTITY, id));
  }

  private static String prefixed(String prefix, String session) {
    return session == null || session.isBlank() ? null : prefix + session;
  }

  /** The endpoint a client connects to, with the port actually bound. */
  public URI url() {
    String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    if (h.equals("0.0.0.0") || h.equals("[::]")) {
      h = "127.0.0.1";
    }
    return URI.create("http://" + h + ":" + connector.getLocalPort() + mode.path());
  }

  public int port() {
    return connector.getLocalPort();
  }

  public Mode mode() {
    return mode;
  }

  /** The tool calls in flight, for tests and shutdown. */
  public CancellationRegistry calls() {
    return calls;
  }

  /**
   * Graceful stop: refuse new requests (503), let running tool calls finish within {@code grace}, cancel the rest,
   * close the MCP sessions, stop Jetty.
   */
  public void shutdown(Duration grace) {
    security.drain();
    try {
      if (calls.inFlight() > 0) {
        LOG.info("waiting up to {} s for {} running tool call(s)", grace.toSeconds(), calls.inFlight());
        if (!calls.awaitIdle(grace)) {
          LOG.warn("cancelled {} tool call(s) still running after {} s", calls.cancelAll("server shutting down"),
              grace.toSeconds());
          calls.awaitIdle(Duration.ofSeconds(2));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    close();
  }

  /** Stops at once: running calls are cancelled. */
  @Override
  public void close() {
    security.drain();
    calls.cancelAll("server stopped");
    try {
      closeMcp.block(Duration.ofSeconds(5));
    } catch (RuntimeException e) {
      LOG.debug("MCP close: {}", e.toString());
    }
    try {
      jetty.stop();
    } catch (Exception e) {
      LOG.warn("HTTP server did not stop cleanly: {}", e.toString());
    }
  }
}
