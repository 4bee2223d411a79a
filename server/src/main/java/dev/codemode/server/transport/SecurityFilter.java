package dev.codemode.server.transport;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First filter in front of the SDK servlets: refuses new requests while draining (503), a foreign Host or Origin
 * (403, DNS-rebinding protection) and a missing or wrong client token (401 with {@code WWW-Authenticate: Bearer}).
 * Error bodies are JSON-RPC errors whose message says what to fix. Thread-safe.
 */
final class SecurityFilter extends HttpFilter {
  private static final Logger LOG = LoggerFactory.getLogger(SecurityFilter.class);
  private final HttpSecurity security;
  private final IntSupplier boundPort;
  private volatile boolean draining;

  SecurityFilter(HttpSecurity security, IntSupplier boundPort) {
    this.security = security;
    this.boundPort = boundPort;
  }

  void drain() {
    draining = true;
  }

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (draining) {
      res.setHeader("Retry-After", "5");
      reject(res, 503, "the server is shutting down; retry against another instance or after a restart");
      return;
    }
    String host = req.getHeader("Host");
    if (!security.hostAllowed(host, boundPort.getAsInt())) {
      LOG.warn("refused {} {}: Host '{}' is not this server", req.getMethod(), req.getRequestURI(), host);
      reject(res, 403, "Host '" + host + "' is not allowed (DNS rebinding protection); connect to the address the "
          + "server is bound to, or start it with --allowed-host");
      return;
    }
    String origin = req.getHeader("Origin");
    if (!security.originAllowed(origin, host)) {
      LOG.warn("refused {} {}: Origin '{}' is not allowed", req.getMethod(), req.getRequestURI(), origin);
      reject(res, 403, "Origin '" + origin + "' is not allowed (DNS rebinding protection); start the server with "
          + "--allowed-origin " + origin + " to permit it");
      return;
    }
    String authorization = req.getHeader("Authorization");
    if (!security.tokenAccepted(authorization)) {
      res.setHeader("WWW-Authenticate", authorization == null ? "Bearer realm=\"codemode\""
          : "Bearer realm=\"codemode\", error=\"invalid_token\"");
      reject(res, 401, authorization == null
          ? "this server requires Authorization: Bearer <token> (the token given to --client-token)"
          : "the bearer token is not valid for this server");
      return;
    }
    String identity = security.identity(authorization);
    if (identity != null) {
      req.setAttribute(HttpSecurity.IDENTITY, identity);
    }
    chain.doFilter(req, res);
  }

  /** Answers with a JSON-RPC error and closes the connection (the body was not read, so it cannot be reused). */
  static void reject(HttpServletResponse res, int status, String message) throws IOException {
    res.setStatus(status);
    res.setHeader("Connection", "close");
    res.setContentType("application/json");
    res.setCharacterEncoding("UTF-8");
    String escaped = message.replace("\\", "\\\\").replace("\"", "\\\"");
    res.getWriter().write("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,\"message\":\"" + escaped
        + "\"}}");
    res.getWriter().flush();
  }
}
