package dev.codemode.conformance;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** SIGTERM while an execution runs: the execution finishes and is answered, then the server exits with status 0. */
class GracefulShutdownTest {

  @Test
  void sigtermLetsTheRunningExecutionFinish() throws Exception {
    HttpServerProcess server = new HttpServerProcess(List.of("--demo", "--no-semantic", "--transport", "http",
        "--port", "0", "--cache-dir", Path.of("target", "codemode-cache").toAbsolutePath().toString()), Map.of());
    List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();
    McpAsyncClient client = McpClient.async(HttpClientStreamableHttpTransport.builder(
            server.url.getScheme() + "://" + server.url.getAuthority()).endpoint(server.url.getPath()).build())
        .requestTimeout(Duration.ofSeconds(60))
        .progressConsumer(p -> {
          progress.add(p);
          return Mono.empty();
        }).build();
    try {
      client.initialize().block(Duration.ofSeconds(60));
      CompletableFuture<McpSchema.CallToolResult> running = client.callTool(McpSchema.CallToolRequest.builder()
          .name("execute").arguments(Map.of("code", "await api.call('listOrders', {per_page: 1});\n"
              + "await api.request({method: 'GET', path: '/diagnostics/slow', query: {ms: 2000}});\n"
              + "return 'finished';"))
          .progressToken("p").build()).toFuture();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (progress.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertFalse(progress.isEmpty(), "the execution did not start");
      server.process.destroy(); // SIGTERM
      McpSchema.CallToolResult r = running.get(30, TimeUnit.SECONDS);
      assertFalse(Boolean.TRUE.equals(r.isError()), r.toString());
      assertTrue(r.structuredContent().toString().contains("finished"), r.structuredContent().toString());
      assertTrue(server.process.waitFor(30, TimeUnit.SECONDS), "the server did not exit after SIGTERM");
      // The JVM reports 143 (128 + SIGTERM) once shutdown hooks ran; anything else means a crash.
      assertTrue(List.of(0, 143).contains(server.process.exitValue()), "exit status " + server.process.exitValue());
    } finally {
      server.process.destroyForcibly();
    }
  }
}
