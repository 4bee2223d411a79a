package dev.codemode.isolate.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codemode.isolate.ExecutionRequest;
import dev.codemode.isolate.ExecutionResult;
import dev.codemode.isolate.Limits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON-lines protocol between the server and a worker JVM, one object per line:
 * <pre>
 * parent -> worker  {"op":"run","id":1,"code":..,"prelude":..,"limits":{..}}   {"op":"cancel","id":1}
 *                   {"op":"prepare","id":0,"code":"","prelude":..,"limits":{..}}  (a hint: prepare a context)
 *                   {"op":"reply","id":1,"call":3,"ok":true,"value":"{..}"}      (or "ok":false,"error":"..")
 * worker -> parent  {"op":"ready"}   {"op":"call","id":1,"call":3,"fn":"request","args":"{..}"}
 *                   {"op":"result","id":1,"kind":"OK","resultJson":..,"error":..,"logs":[..],..}
 * </pre>
 * A call's arguments and a reply's value are JSON texts; when one holds no line break (compact JSON never does) it
 * travels as is on the line after its message, which says {@code "raw":true} instead of carrying it as a string: the
 * body is written and read once, not escaped, parsed and unescaped again on its way.
 * Stateless helpers; {@link Channel} serialises writers.
 */
final class WorkerProtocol {
  /**
   * No string-length limit of its own: the parent bounds every line it reads ({@link LineReader}, {@link #maxLine})
   * and the worker reads only the parent's lines, whose values the server already capped.
   */
  static final ObjectMapper JSON = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
      .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
          .maxStringLength(Integer.MAX_VALUE).build())
      .build());

  private WorkerProtocol() {}

  /** A line-oriented writer shared by several threads. Thread-safe. */
  static final class Channel {
    private final Writer out;

    Channel(Writer out) {
      this.out = out;
    }

    synchronized void send(ObjectNode message) {
      try {
        out.write(JSON.writeValueAsString(message));
        out.write('\n');
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /**
     * Sends {@code message} with {@code field} set to {@code text}: as is on the next line (the message says
     * {@code "raw":true}) when the text holds no line break, else inside the message as a string.
     */
    synchronized void send(ObjectNode message, String field, String text) {
      if (!fitsOnALine(text)) {
        send(message.put(field, text));
        return;
      }
      try {
        out.write(JSON.writeValueAsString(message.put(RAW, true)));
        out.write('\n');
        out.write(text);
        out.write('\n');
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The field of a message whose text follows on the next line. */
  static final String RAW = "raw";

  /** No character that {@link java.io.BufferedReader#readLine()} or {@link LineReader} would end a line at. */
  static boolean fitsOnALine(String text) {
    return text != null && text.indexOf('\n') < 0 && text.indexOf('\r') < 0;
  }

  /** Whether the text of {@code m}'s payload field follows on the next line. */
  static boolean raw(JsonNode m) {
    return m.path(RAW).asBoolean(false);
  }

  /**
   * Reads lines of at most a given length without ever holding more: a longer line is skipped to its end and reported
   * as {@link LineTooLong}, so its size is checked before anything is built or parsed from it. Not thread-safe.
   */
  static final class LineReader {
    private final java.io.Reader in;
    private final char[] buf = new char[1 << 16];
    private int pos;
    private int end;

    LineReader(java.io.Reader in) {
      this.in = in;
    }

    /**
     * The next line without its newline, or null at the end of the stream.
     *
     * @param limit the longest line accepted, asked again as each chunk arrives (a line may start before the limit
     *              that applies to it is set)
     */
    String next(java.util.function.LongSupplier limit) throws IOException {
      StringBuilder line = new StringBuilder();
      long length = 0;
      while (true) {
        if (pos == end) {
          end = in.read(buf);
          pos = 0;
          if (end <= 0) {
            end = 0;
            if (length > limit.getAsLong()) {
              throw new LineTooLong(length);
            }
            return length == 0 ? null : line.toString();
          }
        }
        long maxChars = limit.getAsLong();
        int start = pos;
        while (pos < end && buf[pos] != '\n') {
          pos++;
        }
        int n = pos - start;
        if (length + n <= maxChars) {
          line.append(buf, start, n);
        } else if (line.length() > 0) {
          line.setLength(0);
          line.trimToSize();
        }
        length += n;
        if (pos < end) {
          pos++; // the newline
          if (length > maxChars) {
            throw new LineTooLong(length);
          }
          return line.toString();
        }
      }
    }
  }

  /** A line over the reader's limit; it was skipped, the stream can be read on. */
  static final class LineTooLong extends IOException {
    final long length;

    LineTooLong(long length) {
      super("a protocol line of " + length + " chars, over the limit", null);
      this.length = length;
    }
  }

  /**
   * The longest line a worker may send while running {@code l}: a call's arguments or the result with its logs and
   * error, each escaped at worst six-fold (control characters as {@code \\u00XX}), plus room for the envelope.
   */
  static long maxLine(Limits l) {
    long payload = Math.max(l.maxHostCallArgChars(), (long) l.maxOutputBytes() + l.maxLogBytes()
        + ErrorText.MAX_DESCRIBED);
    return 6 * payload + (256 << 10);
  }

  static ObjectNode message(String op) {
    return JSON.createObjectNode().put("op", op);
  }

  static JsonNode parse(String line) throws JsonProcessingException {
    return JSON.readTree(line);
  }

  static ObjectNode run(long id, ExecutionRequest r) {
    Limits l = r.limits();
    ObjectNode m = message("run").put("id", id).put("code", r.code()).put("prelude", r.prelude());
    m.putObject("limits")
        .put("wallMs", l.wallTime().toMillis())
        .put("cpuMs", l.cpuTime().toMillis())
        .put("maxAllocatedBytes", l.maxAllocatedBytes())
        .put("maxStackDepth", l.maxStackDepth())
        .put("maxOutputBytes", l.maxOutputBytes())
        .put("maxLogBytes", l.maxLogBytes())
        .put("maxHostCalls", l.maxHostCalls())
        .put("maxHostCallsInFlight", l.maxHostCallsInFlight())
        .put("maxHostCallArgChars", l.maxHostCallArgChars());
    return m;
  }

  static ExecutionRequest request(JsonNode m) {
    JsonNode l = m.get("limits");
    Limits limits = new Limits(Duration.ofMillis(l.get("wallMs").asLong()), Duration.ofMillis(l.get("cpuMs").asLong()),
        l.get("maxAllocatedBytes").asLong(), l.get("maxStackDepth").asInt(), l.get("maxOutputBytes").asInt(),
        l.get("maxLogBytes").asInt(), l.get("maxHostCalls").asInt(), l.get("maxHostCallsInFlight").asInt(),
        l.get("maxHostCallArgChars").asInt());
    return new ExecutionRequest(m.get("code").asText(), m.get("prelude").asText(), limits);
  }

  /** Sends a result; its JSON text (the largest part) on the line after the message when it fits on one. */
  static void sendResult(Channel channel, long id, ExecutionResult r) {
    if (r.resultJson() == null) {
      channel.send(result(id, r));
    } else {
      ObjectNode m = result(id, r);
      m.remove("resultJson");
      channel.send(m, "resultJson", r.resultJson());
    }
  }

  static ObjectNode result(long id, ExecutionResult r) {
    ObjectNode m = message("result").put("id", id).put("kind", r.kind().name())
        .put("resultJson", r.resultJson()).put("error", r.error())
        .put("droppedLogLines", r.droppedLogLines()).put("hostCalls", r.hostCalls())
        .put("elapsedMillis", r.elapsedMillis());
    ArrayNode logs = m.putArray("logs");
    r.logs().forEach(logs::add);
    return m;
  }

  /** @param payload the result's JSON text when it followed the message on its own line, else null */
  static ExecutionResult result(JsonNode m, String payload) {
    List<String> logs = new ArrayList<>();
    m.get("logs").forEach(n -> logs.add(n.asText()));
    return new ExecutionResult(ExecutionResult.Kind.valueOf(m.get("kind").asText()),
        payload != null ? payload : text(m, "resultJson"),
        text(m, "error"), logs, m.get("droppedLogLines").asInt(), m.get("hostCalls").asInt(),
        m.get("elapsedMillis").asLong());
  }

  static String text(JsonNode m, String field) {
    JsonNode n = m.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }
}
