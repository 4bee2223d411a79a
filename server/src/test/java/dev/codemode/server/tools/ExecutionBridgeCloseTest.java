package dev.codemode.server.tools;

import dev.codemode.server.approval.Approver;
import dev.codemode.server.upstream.WritePrompt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.server.upstream.ApiGateway;
import dev.codemode.server.upstream.CallContext;
import dev.codemode.server.upstream.RecordingUpstream;
import dev.codemode.server.upstream.TestGateways;
import dev.codemode.server.upstream.UpstreamClient;
import dev.codemode.spec.ApiSpec;
import dev.codemode.spec.SpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * An execution that ends right after its last call was answered: the answered call is on record once, with its status,
 * and never also as cancelled. The script's continuation runs before the bridge's own completion handler (a dependent
 * registered later runs first), which is the order a busy machine produced: the TypeScript client saw a script that
 * made and awaited two calls report three, the third "cancelled".
 */
class ExecutionBridgeCloseTest {
  private static final String SPEC = """
      {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/orders": {"get": {
        "operationId": "listOrders", "responses": {"200": {"description": "ok"}}}}}}
      """;

  @Test
  void anAnsweredCallIsNeverAlsoRecordedAsCancelledWhenTheExecutionEndsAtOnce() throws Exception {
    Path spec = Files.createTempFile("bridge-close", ".json");
    Files.writeString(spec, SPEC);
    ApiSpec api = SpecLoader.load("api", spec.toString());
    List<CallContext.CallRecord> records = new CopyOnWriteArrayList<>();
    CallContext ctx = new CallContext() {
      @Override
      public Mono<Approver.Answer> confirmWrite(WritePrompt p) {
        return Mono.just(Approver.Answer.APPROVED);
      }

      @Override
      public void record(CallRecord call) {
        records.add(call);
      }
    };
    try (RecordingUpstream upstream = new RecordingUpstream();
        UpstreamClient http = new UpstreamClient(UpstreamClient.Settings.defaults())) {
      ApiGateway gateway = TestGateways.open(api, upstream.base(), http);
      for (int i = 0; i < 20; i++) {
        records.clear();
        ExecutionBridge bridge = new ExecutionBridge(Map.of("api", gateway), ctx);
        CompletableFuture<Void> ended = bridge.call("call",
            "{\"api\":\"api\",\"operationId\":\"listOrders\",\"args\":{}}")
            .thenAccept(answer -> bridge.close()).toCompletableFuture();
        ended.get(10, TimeUnit.SECONDS);
        assertEquals(1, records.size(), records.toString());
        assertEquals(200, records.get(0).status(), records.toString());
        assertTrue(records.get(0).error() == null, records.toString());
      }
    }
  }
}
