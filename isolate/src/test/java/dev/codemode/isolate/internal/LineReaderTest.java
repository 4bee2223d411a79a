package dev.codemode.isolate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.StringReader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The worker pipe's line reader: a line's size is checked before it is kept, against the limit in force. */
class LineReaderTest {

  @Test
  void aLineOverTheLimitIsSkippedAndTheNextOneIsRead() throws Exception {
    String big = "x".repeat(200_000);
    WorkerProtocol.LineReader r = new WorkerProtocol.LineReader(new StringReader("short\n" + big + "\nafter\nlast"));
    assertEquals("short", r.next(() -> 1_000));
    WorkerProtocol.LineTooLong e = assertThrows(WorkerProtocol.LineTooLong.class, () -> r.next(() -> 1_000));
    assertEquals(200_000, e.length);
    assertEquals("after", r.next(() -> 1_000));
    assertEquals("last", r.next(() -> 1_000));
    assertNull(r.next(() -> 1_000));
  }

  /** The reader waits for a job's first line under the idle limit; the job's own limit must apply to that line. */
  @Test
  void theLimitIsTheOneInForceWhenTheLineArrives() throws Exception {
    PipedWriter w = new PipedWriter();
    WorkerProtocol.LineReader r = new WorkerProtocol.LineReader(new PipedReader(w, 1 << 20));
    AtomicLong limit = new AtomicLong(100);
    CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
      try {
        return r.next(limit::get);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    Thread.sleep(200); // the reader is now blocked with the idle limit
    limit.set(1_000_000);
    w.write("y".repeat(300_000) + "\n");
    w.flush();
    assertEquals(300_000, line.get(10, TimeUnit.SECONDS).length());
  }
}
