package dev.codemode.server.upstream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPOutputStream;

/**
 * A real local upstream on port 0 that misbehaves on purpose: slow, 5xx, malformed JSON, huge bodies, redirects
 * in and out of the base path and origin, gzip, and an endpoint that echoes request headers back. A second socket
 * resets every connection. Close it after each test class.
 */
final class FaultyUpstream implements AutoCloseable {
  final HttpServer server;
  final ServerSocket resetter;
  final ExecutorService pool = Executors.newFixedThreadPool(8);
  final Thread resetThread;

  FaultyUpstream() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(pool);
    server.createContext("/v1/", this::handle);
    server.createContext("/outside", ex -> send(ex, 200, "application/json", "{\"outside\":true}"));
    server.createContext("/oauth/token", this::token);
    server.start();
    resetter = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
    resetThread = new Thread(() -> {
      while (!resetter.isClosed()) {
        try (Socket s = resetter.accept()) {
          s.setSoLinger(true, 0);
          s.getInputStream().read(new byte[64]);
        } catch (IOException e) {
          // closed
        }
      }
    }, "resetter");
    resetThread.setDaemon(true);
    resetThread.start();
  }

  String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  String resetBase() {
    return "http://127.0.0.1:" + resetter.getLocalPort() + "/v1";
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath().substring(3);
    String query = ex.getRequestURI().getRawQuery();
    switch (path) {
      case "/ok" -> send(ex, 200, "application/json", "{\"ok\":true,\"query\":\"" + (query == null ? "" : query)
          + "\",\"method\":\"" + ex.getRequestMethod() + "\"}");
      case "/echo", "/echo-keyed" -> {
        StringBuilder sb = new StringBuilder("{");
        ex.getRequestHeaders().forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append('"')
            .append(k.toLowerCase()).append("\":\"").append(String.join(",", v).replace("\"", "'")).append('"'));
        sb.append(",\"query\":\"").append(query == null ? "" : query).append("\"}");
        ex.getResponseHeaders().add("X-Echo-Auth", String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
        send(ex, 200, "application/json", sb.toString());
      }
      case "/slow" -> {
        try {
          Thread.sleep(3_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        send(ex, 200, "application/json", "{}");
      }
      case "/500" -> send(ex, 500, "application/json", "{\"error\":\"boom\"}");
      case "/malformed" -> send(ex, 200, "application/json", "{\"a\": [1, 2,");
      case "/huge" -> {
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
          byte[] chunk = ("\"" + "x".repeat(1022) + "\",").getBytes(StandardCharsets.UTF_8);
          out.write('[');
          for (int i = 0; i < 20_000; i++) {
            out.write(chunk);
          }
          out.write("0]".getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
          // the client stopped reading at its cap
        }
      }
      case "/gzip" -> {
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.getResponseHeaders().add("Content-Encoding", "gzip");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = new GZIPOutputStream(ex.getResponseBody())) {
          out.write("{\"zipped\":true}".getBytes(StandardCharsets.UTF_8));
        }
      }
      case "/binary" -> send(ex, 200, "image/png", "\u0089PNG....");
      case "/redirect-inside" -> redirect(ex, "/v1/ok?from=redirect");
      case "/redirect-outside-prefix" -> redirect(ex, "/outside");
      case "/redirect-other-origin" -> redirect(ex, "http://localhost:" + server.getAddress().getPort() + "/v1/echo");
      case "/oauth-protected" -> {
        boolean ok = ("Bearer " + OAUTH_TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"));
        send(ex, ok ? 200 : 401, "application/json", "{\"authorized\":" + ok + ",\"saw\":\""
            + ex.getRequestHeaders().getFirst("Authorization") + "\"}");
      }
      case "/unauthorized" -> send(ex, 401, "application/json", "{\"message\":\"Bad credentials\"}");
      default -> send(ex, 404, "application/json", "{\"error\":\"no route " + path + "\"}");
    }
  }

  /** OAuth2 client credentials: client "cid" with secret "csecret" gets a short-lived token. */
  private void token(HttpExchange ex) throws IOException {
    String expected = "Basic " + java.util.Base64.getEncoder().encodeToString("cid:csecret".getBytes());
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    if (!expected.equals(ex.getRequestHeaders().getFirst("Authorization"))
        || !body.contains("grant_type=client_credentials")) {
      send(ex, 401, "application/json", "{\"error\":\"invalid_client\"}");
      return;
    }
    tokensIssued.incrementAndGet();
    send(ex, 200, "application/json", "{\"access_token\":\"" + OAUTH_TOKEN + "\",\"expires_in\":3600}");
  }

  static final String OAUTH_TOKEN = "oauth-access-" + System.nanoTime();
  final java.util.concurrent.atomic.AtomicInteger tokensIssued = new java.util.concurrent.atomic.AtomicInteger();

  private static void redirect(HttpExchange ex, String location) throws IOException {
    ex.getResponseHeaders().add("Location", location);
    ex.sendResponseHeaders(302, -1);
    ex.close();
  }

  private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", type);
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  @Override
  public void close() throws IOException {
    server.stop(0);
    resetter.close();
    pool.shutdownNow();
  }
}
