package dev.codemode.server.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** The boundary: stamping tools/call, routing notifications/cancelled by session. */
class JsonRpcInspectorTest {
  private final CancellationRegistry registry = new CancellationRegistry();
  private final JsonRpcInspector inspector = new JsonRpcInspector(registry);

  @Test
  void stampsToolsCallAndOverwritesAClientSuppliedKey() {
    String in = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"execute\","
        + "\"_meta\":{\"" + CancellationRegistry.META_KEY + "\":\"other|7\",\"progressToken\":1}}}";
    String out = inspector.inbound("s1", in);
    assertTrue(out.contains("\"" + CancellationRegistry.META_KEY + "\":\"s1|7\""), out);
    assertTrue(out.contains("\"progressToken\":1"), out);
  }

  @Test
  void leavesOtherMessagesByteForByte() {
    byte[] in = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}".getBytes(StandardCharsets.UTF_8);
    assertSame(in, inspector.inbound("s1", in));
    byte[] broken = "{\"method\":\"tools/call\", oops".getBytes(StandardCharsets.UTF_8);
    assertSame(broken, inspector.inbound("s1", broken));
  }

  @Test
  void aCancellationStopsOnlyTheCallOfTheSameSession() {
    inspector.inbound("s1", "{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"tools/call\",\"params\":{}}");
    AtomicBoolean cancelled = new AtomicBoolean();
    registry.track("s1|\"a\"", Mono.never().doOnCancel(() -> cancelled.set(true))).subscribe();
    inspector.inbound("s2", "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":\"a\"}}");
    assertFalse(cancelled.get(), "another session's cancel must not match");
    inspector.inbound("s1", "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":\"a\"}}");
    assertTrue(cancelled.get());
    assertEquals(0, registry.inFlight());
  }

  @Test
  void aCancellationThatArrivesBeforeTheHandlerStartsStillWins() {
    inspector.inbound("s1", "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{}}");
    inspector.inbound("s1", "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":3}}");
    AtomicBoolean subscribed = new AtomicBoolean();
    registry.track("s1|3", Mono.fromCallable(() -> {
      subscribed.set(true);
      return 1;
    })).block();
    assertFalse(subscribed.get(), "the work must not start");
  }
}
