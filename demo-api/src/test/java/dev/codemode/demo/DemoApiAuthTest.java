package dev.codemode.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DemoApiAuthTest {
  private DemoApi api;
  private DemoHttp http;

  @BeforeEach
  void start() {
    api = DemoApi.start("127.0.0.1", 0, "s3cret-token");
    http = new DemoHttp(api);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void missingTokenIs401WithChallenge() {
    DemoHttp.Reply reply = http.send("GET", "/orders", null, null);
    assertEquals(401, reply.status());
    assertTrue(reply.header("WWW-Authenticate").startsWith("Bearer"), reply.header("WWW-Authenticate"));
    assertEquals("unauthorized", reply.errorCode());
    assertTrue(reply.header("Content-Type").startsWith("application/json"));
  }

  @Test
  void wrongTokenIs401InvalidToken() {
    DemoHttp.Reply reply = http.send("GET", "/customers/1", null, "Bearer demo-token-123");
    assertEquals(401, reply.status());
    assertTrue(reply.header("WWW-Authenticate").contains("invalid_token"));
  }

  @Test
  void otherSchemeIs401() {
    assertEquals(401, http.send("GET", "/orders", null, "Basic czNjcmV0LXRva2Vu").status());
  }

  @Test
  void everyV1RouteIsGuardedIncludingDiagnosticsAndUnknownPaths() {
    for (String path : new String[] {"/diagnostics/echo-headers", "/diagnostics/flaky", "/tickets", "/nope"}) {
      assertEquals(401, http.send("GET", path, null, null).status(), path);
    }
    assertEquals(401, http.send("POST", "/orders", "{}", null).status());
  }

  @Test
  void rightTokenPassesAndSchemeIsCaseInsensitive() {
    assertEquals(200, http.get("/orders/1").status());
    assertEquals(200, http.send("GET", "/orders/1", null, "bearer s3cret-token").status());
  }

  @Test
  void specIsPublic() {
    DemoHttp.Reply reply = http.getRoot("/openapi.json");
    assertEquals(200, reply.status());
    assertNotNull(reply.json().get("openapi"));
  }

  @Test
  void tokenIsCheckedAtStart() {
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> DemoApi.start("127.0.0.1", 0, " "));
  }
}
