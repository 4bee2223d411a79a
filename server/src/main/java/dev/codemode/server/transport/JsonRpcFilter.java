package dev.codemode.server.transport;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * Second filter: caps the body of a POST (413 beyond the limit, also for chunked bodies) and passes it through
 * {@link JsonRpcInspector} with the request's MCP session as scope, so {@code notifications/cancelled} reaches the
 * {@link CancellationRegistry}. The SDK servlet then reads the (possibly stamped) body from a wrapper. Thread-safe.
 */
final class JsonRpcFilter extends HttpFilter {
  private final int maxBytes;
  private final JsonRpcInspector inspector;
  private final Function<HttpServletRequest, String> scope;

  /** {@code scope} names the request's MCP session, or returns null where there is none (stateless). */
  JsonRpcFilter(int maxBytes, JsonRpcInspector inspector, Function<HttpServletRequest, String> scope) {
    this.maxBytes = maxBytes;
    this.inspector = inspector;
    this.scope = scope;
  }

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (!"POST".equals(req.getMethod())) {
      chain.doFilter(req, res);
      return;
    }
    if (req.getContentLengthLong() > maxBytes) {
      tooLarge(res, req.getContentLengthLong());
      return;
    }
    byte[] body = readAtMost(req.getInputStream(), maxBytes + 1);
    if (body.length > maxBytes) {
      tooLarge(res, -1);
      return;
    }
    String s = scope.apply(req);
    byte[] forwarded = s == null ? body : inspector.inbound(s, body);
    chain.doFilter(new BodyRequest(req, forwarded), res);
  }

  private void tooLarge(HttpServletResponse res, long length) throws IOException {
    SecurityFilter.reject(res, 413, "the request body " + (length >= 0 ? "(" + length + " bytes) " : "")
        + "exceeds the " + maxBytes + "-byte limit; send smaller scripts or arguments (the operator can raise "
        + "--max-request-bytes)");
  }

  private static byte[] readAtMost(InputStream in, int limit) throws IOException {
    return in.readNBytes(limit);
  }

  /** The request with its body replaced by bytes already read. */
  private static final class BodyRequest extends HttpServletRequestWrapper {
    private final byte[] body;

    BodyRequest(HttpServletRequest req, byte[] body) {
      super(req);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new IllegalStateException("the body was read already; use blocking reads");
        }

        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return in.read(b, off, len);
        }
      };
    }

    @Override
    public BufferedReader getReader() {
      String enc = getCharacterEncoding();
      return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body),
          enc == null ? StandardCharsets.UTF_8 : java.nio.charset.Charset.forName(enc)));
    }

    @Override
    public int getContentLength() {
      return body.length;
    }

    @Override
    public long getContentLengthLong() {
      return body.length;
    }
  }
}
