package dev.codemode.server.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The legacy SSE stream's writer: whole events, the endpoint first, senders' interrupts and a stalled client. */
class SseEventWriterTest {
  private static final String ENDPOINT = "event: endpoint\ndata: /message?sessionId=abc-123\n\n";

  @Test
  void anEventSentBeforeTheEndpointGoesOutAfterItAndTheSessionIdIsSeenFirst() throws Exception {
    StringWriter out = new StringWriter();
    List<String> opened = new ArrayList<>();
    SseEventWriter w = new SseEventWriter(new PrintWriter(out), id -> {
      assertEquals("", out.toString(), "the session id is reported before the endpoint event is written");
      opened.add(id);
    });
    send(w, "event: message\ndata: {\"method\":\"ping\"}\n\n");
    send(w, ENDPOINT);
    String ping = "event: message\ndata: {\"method\":\"ping\"}\n\n";
    await(() -> out.toString().length() == ENDPOINT.length() + ping.length());
    assertEquals(ENDPOINT + ping, out.toString());
    assertEquals(List.of("abc-123"), opened);
  }

  @Test
  void anInterruptedSenderNeitherFailsTheStreamNorLosesItsEvent() throws Exception {
    StringWriter out = new StringWriter();
    SseEventWriter w = new SseEventWriter(new PrintWriter(out), id -> { });
    send(w, ENDPOINT);
    Thread sender = new Thread(() -> {
      Thread.currentThread().interrupt();
      send(w, "event: message\ndata: {\"id\":2}\n\n");
    });
    sender.start();
    sender.join();
    await(() -> out.toString().contains("{\"id\":2}"));
    assertFalse(w.checkError());
  }

  @Test
  void aClientThatStopsReadingIsGivenUpWithoutHoldingUpTheSender() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Writer stalled = new Writer() {
      @Override
      public void write(char[] buf, int off, int len) {
        try {
          release.await(); // the client reads nothing
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    SseEventWriter w = new SseEventWriter(new PrintWriter(stalled), id -> { });
    try {
      send(w, ENDPOINT);
      String big = "event: message\ndata: " + "x".repeat(1 << 20) + "\n\n";
      long start = System.nanoTime();
      for (int i = 0; i < 40 && !w.checkError(); i++) {
        send(w, big);
      }
      assertTrue(w.checkError(), "more than " + SseEventWriter.MAX_QUEUED_CHARS + " unread characters end the stream");
      assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "the sender was held up");
    } finally {
      release.countDown();
    }
  }

  private static void send(SseEventWriter w, String event) {
    w.write(event.substring(0, event.indexOf('\n') + 1));
    w.write(event.substring(event.indexOf('\n') + 1));
    w.flush();
  }

  private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertTrue(condition.getAsBoolean(), "timed out");
  }
}
