package dev.codemode.server.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The HTTP part of the contract: client token, DNS-rebinding protection, body cap. */
abstract class HttpContract extends TransportContract {
  /** Small, so the 413 test's body fits in socket buffers and the client reads the answer instead of a broken pipe. */
  static final int MAX_BODY = 64 * 1024;
  static final String TOKEN = "kit-token-" + System.nanoTime();
  /** A second client's token (--client-token given twice): valid, but not for the first client's sessions. */
  static final String OTHER_TOKEN = "other-token-" + System.nanoTime();
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
        HttpSecurity.of(HttpConfig.defaults().withBind("127.0.0.1", 0)
            .withClientTokens(List.of(Secret.of("test", TOKEN), Secret.of("test", OTHER_TOKEN)))
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

  @Test
  void aSessionAnswersOnlyTheClientTokenThatOpenedIt() throws Exception {
    if (!sessions()) {
      return; // stateless HTTP has no sessions to take over
    }
    try (RawSession a = RawSession.open(this, TOKEN)) {
      HttpResponse<String> foreign = a.post(OTHER_TOKEN, call(5, FixtureApp.ADD));
      assertEquals(404, foreign.statusCode(), foreign.body());
      HttpResponse<String> unknown = new RawSession(this, "no-such-session", TOKEN, null).post(TOKEN, PING);
      assertEquals(404, unknown.statusCode(), unknown.body());
      assertEquals(unknown.body(), foreign.body(), "a foreign session must look exactly like an unknown one");
      if (mode() == McpHttpServer.Mode.STREAMABLE) {
        assertEquals(404, a.request("GET", OTHER_TOKEN).statusCode(), "listening on another client's session");
        assertEquals(404, a.request("DELETE", OTHER_TOKEN).statusCode(), "deleting another client's session");
      }
      HttpResponse<String> own = a.post(TOKEN, call(6, FixtureApp.ADD));
      assertEquals(200, own.statusCode(), own.body());
    }
  }

  @Test
  void anotherClientTokenCannotCancelACall() throws Exception {
    if (!sessions()) {
      return; // stateless HTTP routes no cancellation at all
    }
    try (RawSession a = RawSession.open(this, TOKEN)) {
      java.util.concurrent.CompletableFuture<HttpResponse<String>> running = a.postAsync(TOKEN,
          call(7, FixtureApp.LOOP));
      await("the script to start", TIMEOUT, this::scriptStarted);
      String cancel = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":7}}";
      assertEquals(404, a.post(OTHER_TOKEN, cancel).statusCode());
      Thread.sleep(300);
      assertFalse(scriptCancelled(), "another client's token cancelled the call");
      int status = a.post(TOKEN, cancel).statusCode();
      assertTrue(status == 200 || status == 202, "status " + status);
      await("the script to be cancelled", Duration.ofSeconds(5), this::scriptCancelled);
      running.cancel(true);
    }
  }

  static final String PING = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}";

  static String call(int id, String code) {
    return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"execute\","
        + "\"arguments\":{\"code\":\"" + code.replace("'", "\\u0027") + "\"}}}";
  }

  /**
   * One MCP session over raw HTTP (no SDK client), opened with {@code owner}: Streamable HTTP learns its id from the
   * {@code Mcp-Session-Id} header, legacy SSE from the stream's {@code endpoint} event. Requests can carry any token.
   */
  record RawSession(HttpContract test, String id, String owner, java.util.stream.Stream<String> stream)
      implements AutoCloseable {
    static RawSession open(HttpContract test, String token) throws Exception {
      String base = "http://127.0.0.1:" + test.server.port();
      RawSession s;
      if (test.mode() == McpHttpServer.Mode.SSE) {
        HttpResponse<java.util.stream.Stream<String>> sse = test.raw.send(HttpRequest.newBuilder(URI.create(base
            + "/sse")).version(HttpClient.Version.HTTP_1_1).header("Accept", "text/event-stream")
            .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, sse.statusCode());
        java.util.Iterator<String> lines = sse.body().iterator();
        String id = null;
        while (id == null && lines.hasNext()) {
          String line = lines.next();
          if (line.startsWith("data: ") && line.contains("sessionId=")) {
            id = line.substring(line.indexOf("sessionId=") + "sessionId=".length()).strip();
          }
        }
        s = new RawSession(test, id, token, sse.body());
        assertEquals(200, s.post(token, INIT).statusCode());
      } else {
        HttpResponse<String> init = test.post(INIT, "Authorization", "Bearer " + token);
        assertEquals(200, init.statusCode(), init.body());
        s = new RawSession(test, init.headers().firstValue("Mcp-Session-Id").orElseThrow(), token, null);
      }
      int status = s.post(token, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}").statusCode();
      assertTrue(status == 200 || status == 202, "initialized: " + status);
      return s;
    }

    private HttpRequest.Builder builder(String token) {
      String base = "http://127.0.0.1:" + test.server.port();
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(test.mode() == McpHttpServer.Mode.SSE
          ? base + "/message?sessionId=" + id : base + "/mcp")).version(HttpClient.Version.HTTP_1_1)
          .header("Authorization", "Bearer " + token).header("Accept", "application/json, text/event-stream");
      return test.mode() == McpHttpServer.Mode.SSE ? b : b.header("Mcp-Session-Id", id);
    }

    HttpResponse<String> post(String token, String body) throws Exception {
      return postAsync(token, body).get(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    }

    java.util.concurrent.CompletableFuture<HttpResponse<String>> postAsync(String token, String body) {
      return test.raw.sendAsync(builder(token).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A bodiless GET or DELETE on the session (Streamable HTTP). */
    HttpResponse<String> request(String method, String token) throws Exception {
      return test.raw.send(builder(token).method(method, HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
      if (stream != null) {
        stream.close();
      }
    }
  }
}
