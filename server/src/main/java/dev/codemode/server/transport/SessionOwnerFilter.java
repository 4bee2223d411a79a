package dev.codemode.server.transport;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds each MCP session to the client token that opened it. The session id is learnt as the SDK hands it out (the
 * {@code Mcp-Session-Id} header of an initialize answer; the {@code endpoint} event of a legacy SSE stream), before the
 * client can know it; afterwards a request naming a session that was not opened with its own token gets the same 404
 * as a session that does not exist (MCP: an unknown session is 404; the answer reveals nothing about other clients'
 * sessions). So another client cannot call tools in, listen to, cancel calls of, or delete a session it does not own.
 * Sits after {@link SecurityFilter} (the token is valid) and before {@link JsonRpcFilter} (cancellations are routed
 * by session). Not used for stateless HTTP, which has no sessions. Thread-safe.
 */
final class SessionOwnerFilter extends HttpFilter {
  static final String SESSION_HEADER = "Mcp-Session-Id";
  private static final Logger LOG = LoggerFactory.getLogger(SessionOwnerFilter.class);
  private final HttpSecurity security;
  private final McpHttpServer.Mode mode;
  /** Session id to the principal ({@link HttpSecurity#principal}) that opened it. */
  private final Map<String, String> owners = new ConcurrentHashMap<>();

  SessionOwnerFilter(HttpSecurity security, McpHttpServer.Mode mode) {
    this.security = security;
    this.mode = mode;
  }

  /** Sessions currently bound, for tests. */
  int sessions() {
    return owners.size();
  }

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    String principal = security.principal(req.getHeader("Authorization"));
    if (principal == null) {
      SecurityFilter.reject(res, 401, "the bearer token is not valid for this server");
      return;
    }
    String session = sessionOf(req);
    if (session != null) {
      String owner = owners.get(session);
      if (!principal.equals(owner)) {
        if (owner != null) {
          LOG.warn("refused {} {}: the session belongs to another client token", req.getMethod(),
              req.getRequestURI());
        }
        SecurityFilter.reject(res, 404, "session not found; start a new session with initialize (without "
            + SESSION_HEADER + "). A session can be used only with the client token that opened it");
        return;
      }
      chain.doFilter(req, res);
      if (mode == McpHttpServer.Mode.STREAMABLE && "DELETE".equals(req.getMethod()) && res.getStatus() < 300) {
        owners.remove(session, principal);
      }
      return;
    }
    if (mode == McpHttpServer.Mode.STREAMABLE && "POST".equals(req.getMethod())) {
      chain.doFilter(req, new SessionHeaderCapture(res, id -> owners.put(id, principal)));
    } else if (mode == McpHttpServer.Mode.SSE && "GET".equals(req.getMethod())) {
      String[] opened = new String[1];
      chain.doFilter(req, new EndpointCapture(res, id -> {
        opened[0] = id;
        owners.put(id, principal);
      }));
      forgetWhenStreamEnds(req, opened);
    } else {
      chain.doFilter(req, res);
    }
  }

  /** The session a request names: the header (Streamable HTTP) or {@code ?sessionId=} (legacy SSE messages). */
  private String sessionOf(HttpServletRequest req) {
    String id = mode == McpHttpServer.Mode.SSE ? req.getParameter("sessionId") : req.getHeader(SESSION_HEADER);
    return id == null || id.isEmpty() ? null : id;
  }

  /** A legacy SSE session lives as long as its stream. */
  private void forgetWhenStreamEnds(HttpServletRequest req, String[] opened) {
    if (opened[0] == null) {
      return;
    }
    String id = opened[0];
    if (!req.isAsyncStarted()) {
      owners.remove(id);
      return;
    }
    try {
      req.getAsyncContext().addListener(new AsyncListener() {
        @Override
        public void onComplete(AsyncEvent event) {
          owners.remove(id);
        }

        @Override
        public void onTimeout(AsyncEvent event) {
          owners.remove(id);
        }

        @Override
        public void onError(AsyncEvent event) {
          owners.remove(id);
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
          // not restarted
        }
      });
    } catch (IllegalStateException e) {
      owners.remove(id); // the stream ended already
    }
  }

  /** Sees the {@code Mcp-Session-Id} the SDK sets on an initialize answer. */
  private static final class SessionHeaderCapture extends HttpServletResponseWrapper {
    private final Consumer<String> opened;

    SessionHeaderCapture(HttpServletResponse res, Consumer<String> opened) {
      super(res);
      this.opened = opened;
    }

    @Override
    public void setHeader(String name, String value) {
      see(name, value);
      super.setHeader(name, value);
    }

    @Override
    public void addHeader(String name, String value) {
      see(name, value);
      super.addHeader(name, value);
    }

    private void see(String name, String value) {
      if (SESSION_HEADER.equalsIgnoreCase(name) && value != null && !value.isEmpty()) {
        opened.accept(value);
      }
    }
  }

  /** The legacy SSE stream's response, whose writer is an {@link SseEventWriter} that reports the session id. */
  private static final class EndpointCapture extends HttpServletResponseWrapper {
    private final Consumer<String> opened;
    private PrintWriter writer;

    EndpointCapture(HttpServletResponse res, Consumer<String> opened) {
      super(res);
      this.opened = opened;
    }

    @Override
    public synchronized PrintWriter getWriter() throws IOException {
      if (writer == null) {
        writer = new SseEventWriter(super.getWriter(), opened);
      }
      return writer;
    }
  }
}
