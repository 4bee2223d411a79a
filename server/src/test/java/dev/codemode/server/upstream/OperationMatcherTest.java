package dev.codemode.server.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.spec.Operation;
import java.util.List;
import org.junit.jupiter.api.Test;

class OperationMatcherTest {
  private static Operation op(String id, String method, String path) {
    return new Operation("api", id, method, path, "", "", List.of(), List.of(), null, null, false);
  }

  @Test
  void prefersLiteralSegmentsAndMatchesTemplates() {
    OperationMatcher m = new OperationMatcher(List.of(op("getUser", "GET", "/users/{id}"),
        op("me", "GET", "/users/me"), op("file", "GET", "/files/{name}.json"), op("del", "DELETE", "/users/{id}")));
    assertEquals("me", m.match("GET", "/users/me").orElseThrow().operationId());
    assertEquals("getUser", m.match("GET", "/users/42").orElseThrow().operationId());
    assertEquals("del", m.match("delete", "/users/42").orElseThrow().operationId());
    assertEquals("file", m.match("GET", "/files/a.json").orElseThrow().operationId());
    assertTrue(m.match("GET", "/users/42/extra").isEmpty());
    assertTrue(m.match("GET", "/files/a.xml").isEmpty());
    assertTrue(m.match("POST", "/users/42").isEmpty());
  }
}
