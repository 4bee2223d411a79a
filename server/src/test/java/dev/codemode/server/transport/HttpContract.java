package dev.codemode.server.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.server.config.HttpConfig;
import dev.codemode.server.config.Secret;
import io.modelcontextprotocol.spec.McpClientTransport;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The HTTP part of the contract: client token, DNS-rebinding protection, body cap. */
abstract class HttpContract extends TransportContract {
  /** Small, so the 413 test's body fits in socket buffers and the client reads the answer instead of a broken pipe. */
  static final int MAX_BODY = 64 * 1024;
  static final String TOKEN = "kit-token-" + System.nanoTime();
  static final String INIT = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
      + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";
  protected McpHttpServer server;
  private final HttpClient raw = HttpClient.newHttpClient();

  protected abstract McpHttpServer.Mode mode();

  /** A client transport for {@code base} (http://127.0.0.1:port) sending {@code authorization}. */
  protected abstract McpClientTransport clientTransport(String base, HttpRequest.Builder requests);

  @Override
  protected McpClientTransport start(FixtureApp app) throws Exception {
    server = McpHttpServer.start(app.definition(), mode(), "127.0.0.1", 0,
        HttpSecurity.of(HttpConfig.defaults().withBind("127.0.0.1", 0).withClientTokens(List.of(Secret.of("test", TOKEN)))
            .withRequestRules(java.util.Set.of(), java.util.Set.of(), MAX_BODY)));
    return clientTransport("http://127.0.0.1:" + server.port(),
        HttpRequest.newBuilder().header("Authorization", "Bearer " + TOKEN));
  }

  @Override
  protected void stop() {
    server.close();
  }

  private HttpResponse<String> post(String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/mcp"))
        .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return raw.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void noTokenIs401WithABearerChallenge() throws Exception {
    HttpResponse<String> r = post(INIT);
    assertEquals(401, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), r.headers().toString());
    assertTrue(r.body().contains("--client-token"), r.body());
  }

  @Test
  void aWrongTokenIs401() throws Exception {
    assertEquals(401, post(INIT, "Authorization", "Bearer " + TOKEN + "x").statusCode());
    assertEquals(401, post(INIT, "Authorization", "Basic " + TOKEN).statusCode());
  }

  @Test
  void aForeignOriginIs403() throws Exception {
    HttpResponse<String> r = post(INIT, "Authorization", "Bearer " + TOKEN, "Origin", "http://evil.example");
    assertEquals(403, r.statusCode(), r.body());
    assertTrue(r.body().contains("--allowed-origin"), r.body());
  }

  @Test
  void aLoopbackOriginIsAllowed() throws Exception {
    HttpResponse<String> r = post(INIT, "Authorization", "Bearer " + TOKEN, "Origin",
        "http://localhost:" + server.port());
    assertNotEquals(403, r.statusCode(), r.body());
    assertNotEquals(401, r.statusCode(), r.body());
  }

  @Test
  void aForeignHostIs403() throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      byte[] body = INIT.getBytes(StandardCharsets.UTF_8);
      OutputStream out = s.getOutputStream();
      out.write(("POST /mcp HTTP/1.1\r\nHost: evil.example:" + server.port() + "\r\nAuthorization: Bearer " + TOKEN
          + "\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: "
          + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      InputStream in = s.getInputStream();
      String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
      assertEquals("HTTP/1.1 403", status);
    }
  }

  @Test
  void anOversizedBodyIs413() throws Exception {
    String big = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"x\":\""
        + "a".repeat(MAX_BODY) + "\"}}";
    HttpResponse<String> r = post(big, "Authorization", "Bearer " + TOKEN);
    assertEquals(413, r.statusCode(), r.body());
    // Chunked, without a Content-Length.
    HttpRequest chunked = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/mcp"))
        .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
            big.getBytes(StandardCharsets.UTF_8)))).build();
    assertEquals(413, raw.send(chunked, HttpResponse.BodyHandlers.ofString()).statusCode());
  }
}
