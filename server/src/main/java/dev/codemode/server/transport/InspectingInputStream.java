package dev.codemode.server.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/**
 * The stdio boundary: reads newline-delimited JSON-RPC messages from the client and hands each line, possibly
 * rewritten by {@link JsonRpcInspector}, to the SDK's reader. Also reports end of input, which means the client went
 * away. Used by one reader thread.
 */
final class InspectingInputStream extends InputStream {
  private final InputStream in;
  private final UnaryOperator<String> inspect;
  private final Runnable onEof;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(8192);
  private byte[] buf = new byte[0];
  private int pos;
  private boolean eof;

  InspectingInputStream(InputStream in, UnaryOperator<String> inspect, Runnable onEof) {
    this.in = in;
    this.inspect = inspect;
    this.onEof = onEof;
  }

  @Override
  public int read() throws IOException {
    if (pos >= buf.length && !fill()) {
      return -1;
    }
    return buf[pos++] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (pos >= buf.length && !fill()) {
      return -1;
    }
    int n = Math.min(len, buf.length - pos);
    System.arraycopy(buf, pos, b, off, n);
    pos += n;
    return n;
  }

  @Override
  public int available() {
    return buf.length - pos;
  }

  private boolean fill() throws IOException {
    if (eof) {
      return false;
    }
    line.reset();
    int b;
    while ((b = in.read()) != -1) {
      line.write(b);
      if (b == '\n') {
        break;
      }
    }
    if (b == -1) {
      eof = true;
      onEof.run();
      if (line.size() == 0) {
        return false;
      }
    }
    String text = line.toString(StandardCharsets.UTF_8);
    String body = text.strip();
    String out = body.isEmpty() ? text : inspect.apply(body) + "\n";
    buf = out.getBytes(StandardCharsets.UTF_8);
    pos = 0;
    return true;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
