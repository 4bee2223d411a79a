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

  /** Every request that reached {@code /v1/record/...}: {@code METHOD rawPath?rawQuery}. */
  final java.util.Queue<String> seen = new java.util.concurrent.ConcurrentLinkedQueue<>();

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath().substring(3);
    String query = ex.getRequestURI().getRawQuery();
    if (ex.getRequestURI().getRawPath().startsWith("/v1/record/")) {
      seen.add(ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath() + (query == null ? "" : "?" + query));
      send(ex, 200, "application/json", "{\"recorded\":true}");
      return;
    }
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
      case "/echo-as" -> echoAs(ex, query);
      case "/redirect-to" -> {
        java.util.Map<String, String> q = params(query);
        ex.getResponseHeaders().add("Location", q.get("to"));
        ex.sendResponseHeaders(Integer.parseInt(q.getOrDefault("status", "302")), -1);
        ex.close();
      }
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

  /**
   * Echoes the credentials it got ({@code authorization=...} and the raw query, which carries an apiKey) in the
   * encoding {@code enc} under content type {@code ct}, after {@code pad} filler characters; the Authorization value
   * also comes back hex-encoded in a response header name and Base64-encoded in a header value. {@code chunk=1}
   * sends the body one byte per chunk. This is the hostile echo of issue 11 in every encoding a script could ask for.
   */
  private void echoAs(HttpExchange ex, String query) throws IOException {
    java.util.Map<String, String> q = params(query);
    String auth = String.valueOf(ex.getRequestHeaders().getFirst("Authorization"));
    String echo = "x".repeat(Integer.parseInt(q.getOrDefault("pad", "0"))) + "authorization=" + auth
        + "\nquery=" + query + "\n";
    byte[] body = encode(q.getOrDefault("enc", "raw"), echo);
    String ct = q.getOrDefault("ct", "text/plain");
    if (ct.contains("json")) {
      body = JSON.writeValueAsBytes(java.util.Map.of("echo", new String(body, StandardCharsets.ISO_8859_1)));
    }
    ex.getResponseHeaders().add("Content-Type", ct);
    ex.getResponseHeaders().add("X-H-" + hex(auth.getBytes(StandardCharsets.UTF_8)), "1");
    ex.getResponseHeaders().add("X-V", java.util.Base64.getEncoder().encodeToString(auth.getBytes(StandardCharsets.UTF_8)));
    ex.getResponseHeaders().add("Content-MD5", "sum-" + body.length);
    boolean chunked = "1".equals(q.get("chunk"));
    ex.sendResponseHeaders(200, chunked ? 0 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      if (chunked) {
        for (byte b : body) {
          out.write(b);
          out.flush();
        }
      } else {
        out.write(body);
      }
    }
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  static byte[] encode(String enc, String s) throws IOException {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
    return switch (enc) {
      case "raw" -> utf8;
      case "base64" -> b64.encode(utf8);
      case "base64url" -> java.util.Base64.getUrlEncoder().withoutPadding().encode(utf8);
      case "mime" -> java.util.Base64.getMimeEncoder().encode(utf8);
      case "pct" -> java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).getBytes(StandardCharsets.US_ASCII);
      case "pct20" -> java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20")
          .getBytes(StandardCharsets.US_ASCII);
      case "pct2" -> java.net.URLEncoder.encode(java.net.URLEncoder.encode(s, StandardCharsets.UTF_8),
          StandardCharsets.UTF_8).getBytes(StandardCharsets.US_ASCII);
      case "pctlower" -> lowerEscapes(java.net.URLEncoder.encode(s, StandardCharsets.UTF_8))
          .getBytes(StandardCharsets.US_ASCII);
      case "jsonu" -> {
        StringBuilder sb = new StringBuilder();
        s.chars().forEach(c -> sb.append(String.format("\\u%04x", c)));
        yield sb.toString().getBytes(StandardCharsets.US_ASCII);
      }
      case "html" -> {
        StringBuilder sb = new StringBuilder();
        s.chars().forEach(c -> sb.append("&#").append(c).append(';'));
        yield sb.toString().getBytes(StandardCharsets.US_ASCII);
      }
      case "hex" -> hex(utf8).getBytes(StandardCharsets.US_ASCII);
      case "HEX" -> hex(utf8).toUpperCase().getBytes(StandardCharsets.US_ASCII);
      case "utf16le" -> s.getBytes(StandardCharsets.UTF_16LE);
      case "utf16be" -> s.getBytes(StandardCharsets.UTF_16BE);
      case "gzip" -> {
        java.io.ByteArrayOutputStream bo = new java.io.ByteArrayOutputStream();
        try (OutputStream o = new GZIPOutputStream(bo)) {
          o.write(utf8);
        }
        yield bo.toByteArray();
      }
      case "zlib" -> {
        java.io.ByteArrayOutputStream bo = new java.io.ByteArrayOutputStream();
        bo.write("%PDF-1.4\n1 0 obj << /Filter /FlateDecode >>\nstream\n".getBytes(StandardCharsets.US_ASCII));
        try (OutputStream o = new java.util.zip.DeflaterOutputStream(bo)) {
          o.write(utf8);
        }
        yield bo.toByteArray();
      }
      case "zip" -> {
        java.io.ByteArrayOutputStream bo = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(bo)) {
          z.putNextEntry(new java.util.zip.ZipEntry("echo.txt"));
          z.write(utf8);
          z.closeEntry();
        }
        yield bo.toByteArray();
      }
      default -> throw new IllegalArgumentException(enc);
    };
  }

  private static String lowerEscapes(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '%') {
        sb.append('%').append(s.substring(i + 1, i + 3).toLowerCase());
        i += 2;
      } else {
        sb.append(s.charAt(i));
      }
    }
    return sb.toString();
  }

  static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder();
    for (byte x : b) {
      sb.append(String.format("%02x", x));
    }
    return sb.toString();
  }

  private static java.util.Map<String, String> params(String query) {
    java.util.Map<String, String> m = new java.util.HashMap<>();
    for (String pair : query == null ? new String[0] : query.split("&")) {
      String[] kv = pair.split("=", 2);
      m.put(java.net.URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
          kv.length > 1 ? java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
    }
    return m;
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
