package dev.codemode.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class DemoApiDiagnosticsTest extends DemoServerTest {
  @Test
  void echoHeadersReturnsWhatWasSentIncludingTheCredential() {
    JsonNode echo = http.get("/diagnostics/echo-headers").json();
    assertEquals("Bearer " + DemoApi.DEFAULT_TOKEN, echo.get("headers").get("authorization").asText());
    assertEquals("GET", echo.get("method").asText());
    assertEquals("/v1/diagnostics/echo-headers", echo.get("path").asText());
  }

  @Test
  void statusRespondsWithTheAskedCode() {
    DemoHttp.Reply teapot = http.get("/diagnostics/status/418");
    assertEquals(418, teapot.status());
    assertEquals("status_418", teapot.errorCode());
    assertEquals(503, http.get("/diagnostics/status/503").status());
    assertEquals(204, http.get("/diagnostics/status/204").status());
    assertEquals(400, http.get("/diagnostics/status/42").status());
  }

  @Test
  void flakyAlternates() {
    assertEquals(503, http.get("/diagnostics/flaky").status());
    assertEquals(200, http.get("/diagnostics/flaky").status());
    assertEquals(503, http.get("/diagnostics/flaky").status());
    assertEquals(200, http.get("/diagnostics/flaky").status());
  }

  @Test
  void slowWaitsWithoutBlockingOtherRequests() {
    long start = System.nanoTime();
    CompletableFuture<HttpResponse<String>> slow = HttpClient.newHttpClient().sendAsync(
        HttpRequest.newBuilder(URI.create(api.baseUrl() + "/diagnostics/slow?ms=400"))
            .header("Authorization", "Bearer " + api.token()).build(),
        HttpResponse.BodyHandlers.ofString());
    for (int i = 0; i < 20; i++) {
      assertEquals(200, http.get("/orders/" + (i + 1)).status());
    }
    HttpResponse<String> response = slow.join();
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertEquals(200, response.statusCode());
    assertTrue(response.body().contains("\"delayed_ms\":400"), response.body());
    assertTrue(elapsedMs >= 400, "answered after " + elapsedMs + " ms");
  }

  @Test
  void slowIsCapped() {
    assertEquals(400, http.get("/diagnostics/slow?ms=-1").status());
    assertEquals(60_000, DiagnosticsRoutes.MAX_DELAY_MS);
  }

  @Test
  void notFoundAndNoRouteAreDistinctJsonErrors() {
    DemoHttp.Reply missing = http.get("/customers/99999");
    assertEquals(404, missing.status());
    assertEquals("not_found", missing.errorCode());
    assertTrue(missing.json().path("error").path("message").asText().contains("99999"));
    assertEquals("no_route", http.get("/invoices").errorCode());
    assertEquals(400, http.get("/orders/abc").status());
    DemoHttp.Reply wrongMethod = http.send("PUT", "/orders/1", "{}");
    assertEquals(405, wrongMethod.status());
    assertTrue(wrongMethod.header("Allow").contains("PATCH"));
  }

  @Test
  void headIsAnsweredLikeGetWithoutBody() {
    DemoHttp.Reply head = http.send("HEAD", "/orders/1", null);
    assertEquals(200, head.status());
    assertEquals("", head.raw().body());
    assertTrue(head.header("Content-Type").startsWith("application/json"));
  }
}
