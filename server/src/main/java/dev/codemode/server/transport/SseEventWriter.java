package dev.codemode.server.transport;

import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer of a legacy SSE stream, handed to the SDK in place of the response's own. The SDK writes an event as
 * two writes and a flush, then asks {@link #checkError}, on whichever thread sends (a tool answer, a progress
 * notification, the keep-alive ping, which may come before the endpoint event), and on any error it drops the session
 * and ends the stream. Jetty's blocking write throws when the sending thread is interrupted while the client is slow
 * to read, and the response writer then stays failed: the session was dropped though the client was still there, its
 * EventSource silently reconnected to a new session, and the call in flight was never answered (#11 item 15).
 *
 * <p>Here each thread's writes are kept apart and queued whole on {@code flush}; a writer thread of this class (never
 * interrupted, never a tool's) puts them on the wire in order, the endpoint event first. So events never interleave,
 * no interrupt or cancellation of a sender can break the stream, and a slow client holds up no tool thread.
 * {@link #checkError} is true only once a write really failed (the client is gone) or the client has left more than
 * {@link #MAX_QUEUED_CHARS} unread. The session id from the endpoint event ({@code data: /message?sessionId=ID}) goes
 * to {@code opened} before that event is written, so the client cannot use it sooner. Thread-safe.
 */
final class SseEventWriter extends PrintWriter {
  /** Unwritten events past this mean the client stopped reading: the stream is given up. */
  static final int MAX_QUEUED_CHARS = 32 << 20;
  private static final Logger LOG = LoggerFactory.getLogger(SseEventWriter.class);
  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final ExecutorService WRITERS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "codemode-sse-writer-" + THREADS.incrementAndGet());
    t.setDaemon(true);
    return t;
  });
  private final ThreadLocal<StringBuilder> pending = ThreadLocal.withInitial(StringBuilder::new);
  private final PrintWriter target;
  private final Consumer<String> opened;
  private final Object guard = new Object();
  private final ArrayDeque<String> queue = new ArrayDeque<>();
  /** Events flushed before the endpoint event, written right after it. */
  private final List<String> held = new ArrayList<>();
  private long queuedChars;
  private boolean endpointSeen;
  private boolean draining;
  private volatile boolean failed;

  SseEventWriter(PrintWriter target, Consumer<String> opened) {
    super(target);
    this.target = target;
    this.opened = opened;
  }

  @Override
  public void write(int c) {
    pending.get().append((char) c);
  }

  @Override
  public void write(char[] buf, int off, int len) {
    pending.get().append(buf, off, len);
  }

  @Override
  public void write(String s, int off, int len) {
    pending.get().append(s, off, off + len);
  }

  /** Queues what this thread wrote since its last flush as one piece; the writer thread sends it. */
  @Override
  public void flush() {
    StringBuilder mine = pending.get();
    if (mine.length() == 0) {
      return;
    }
    String event = mine.toString();
    pending.remove(); // a big answer's buffer is not kept for the life of the stream
    synchronized (guard) {
      if (failed) {
        return;
      }
      if (!endpointSeen && !event.contains("event: endpoint")) {
        held.add(event);
        count(event.length());
        return;
      }
      if (!endpointSeen) {
        endpointSeen = true;
        String id = sessionId(event);
        if (id != null) {
          opened.accept(id);
        }
        queue.add(event);
        queue.addAll(held);
        held.clear();
      } else {
        queue.add(event);
      }
      count(event.length());
      if (!failed && !draining) {
        draining = true;
        WRITERS.execute(this::drain);
      }
    }
  }

  /** Whether the stream is lost for good; the SDK then closes the session. Never blocks on the client. */
  @Override
  public boolean checkError() {
    return failed;
  }

  private void count(int chars) {
    queuedChars += chars;
    if (queuedChars > MAX_QUEUED_CHARS) {
      LOG.warn("the client has left more than {} characters of its SSE stream unread; closing the stream",
          MAX_QUEUED_CHARS);
      fail();
    }
  }

  private void fail() {
    failed = true;
    queue.clear();
    held.clear();
    queuedChars = 0;
  }

  /** On a writer thread: sends what is queued, in order, until the queue is empty. */
  private void drain() {
    Thread.interrupted(); // a pool thread; nothing here may be cut short
    while (true) {
      StringBuilder batch = new StringBuilder();
      synchronized (guard) {
        if (failed || queue.isEmpty()) {
          draining = false;
          return;
        }
        for (String e = queue.poll(); e != null; e = queue.poll()) {
          batch.append(e);
        }
        queuedChars = 0;
      }
      target.write(batch.toString());
      target.flush();
      if (target.checkError()) {
        LOG.debug("SSE stream lost: the client is gone");
        synchronized (guard) {
          fail();
          draining = false;
        }
        return;
      }
    }
  }

  /** The id in {@code data: /message?sessionId=ID}, or null. */
  static String sessionId(String endpointEvent) {
    int at = endpointEvent.indexOf("sessionId=");
    if (at < 0) {
      return null;
    }
    String id = endpointEvent.substring(at + "sessionId=".length()).strip();
    int end = id.indexOf('\n');
    id = end < 0 ? id : id.substring(0, end).strip();
    int amp = id.indexOf('&');
    return amp < 0 ? id : id.substring(0, amp);
  }
}
