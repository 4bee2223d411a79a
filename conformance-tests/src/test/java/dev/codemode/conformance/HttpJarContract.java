package dev.codemode.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.spec.McpClientTransport;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The jar contract over HTTP, with {@code --client-token}: 401 without it, 403 for a foreign Origin. */
abstract class HttpJarContract extends JarTransportContract {
  static final String TOKEN = "jar-token-" + UUID.randomUUID();
  protected HttpServerProcess server;

  protected abstract String transportFlag();

  protected abstract McpClientTransport client(String base, String path, HttpRequest.Builder requests);

  @Override
  protected McpClientTransport start(List<String> args) throws Exception {
    List<String> a = new ArrayList<>(args);
    a.addAll(List.of("--transport", transportFlag(), "--port", "0", "--client-token", "env:MCP_CLIENT_TOKEN"));
    server = new HttpServerProcess(a, Map.of("MCP_CLIENT_TOKEN", TOKEN));
    return client(server.url.getScheme() + "://" + server.url.getAuthority(), server.url.getPath(),
        HttpRequest.newBuilder().header("Authorization", "Bearer " + TOKEN));
  }

  @Override
  protected void stop() {
    server.close();
  }

  private HttpResponse<String> post(String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(server.url).header("Content-Type", "application/json")
        .header("Accept", "application/json, text/event-stream")
        .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}"));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void withoutTheClientTokenIs401() throws Exception {
    HttpResponse<String> r = post();
    assertEquals(401, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
  }

  @Test
  void aForeignOriginIs403() throws Exception {
    assertEquals(403, post("Authorization", "Bearer " + TOKEN, "Origin", "https://evil.example").statusCode());
  }
}
