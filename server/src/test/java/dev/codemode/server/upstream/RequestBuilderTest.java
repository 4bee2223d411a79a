package dev.codemode.server.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestBuilderTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static RequestBuilder.Checked build(String json) throws Exception {
    return RequestBuilder.build(JSON.readTree(json), Set.of("authorization", "x-api-key"), Set.of("api_key"));
  }

  @Test
  void buildsPathQueryHeadersAndJsonBody() throws Exception {
    RequestBuilder.Checked c = build("{\"method\":\"post\",\"path\":\"/orders/a b\",\"query\":{\"tag\":[\"x\",\"y\"],"
        + "\"q\":\"a&b\"},\"headers\":{\"X-Trace\":\"1\"},\"body\":{\"n\":1}}");
    assertEquals("POST", c.method());
    assertEquals("/orders/a%20b?tag=x&tag=y&q=a%26b", c.pathAndQuery());
    assertEquals("{\"n\":1}", new String(c.body()));
    assertTrue(c.headers().stream().anyMatch(h -> h.getKey().equals("Content-Type")
        && h.getValue().equals("application/json")));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"path\":\"http://evil.example/x\"}",
      "{\"path\":\"//evil.example/x\"}",
      "{\"path\":\"/a/../../admin\"}",
      "{\"path\":\"/a/%2e%2e/admin\"}",
      "{\"path\":\"/a\\\\b\"}",
      "{\"path\":\"orders\"}",
      "{\"path\":\"/x\",\"method\":\"TRACE\"}",
      "{\"path\":\"/x\",\"method\":\"CONNECT\"}",
      "{\"path\":\"/x\",\"headers\":{\"Host\":\"evil\"}}",
      "{\"path\":\"/x\",\"headers\":{\"authorization\":\"Bearer mine\"}}",
      "{\"path\":\"/x\",\"headers\":{\"X-Api-Key\":\"k\"}}",
      "{\"path\":\"/x\",\"headers\":{\"X-A\":\"v\\r\\nX-Injected: 1\"}}",
      "{\"path\":\"/x\",\"headers\":{\"Bad Name\":\"v\"}}",
      "{\"path\":\"/x\",\"query\":{\"api_key\":\"mine\"}}",
      "{\"path\":\"/x?api_key=mine\"}",
      "{\"path\":\"/x\",\"headers\":{\"Content-Length\":\"5\"}}"})
  void refusesEscapesAndCredentialHeadersWithAReason(String json) {
    UpstreamException e = assertThrows(UpstreamException.class, () -> build(json));
    assertTrue(e.getMessage().length() > 20, e.getMessage());
  }

  @Test
  void boundsTheUrlAndTheBody() {
    assertThrows(UpstreamException.class, () -> build("{\"path\":\"/" + "a".repeat(9000) + "\"}"));
    assertThrows(UpstreamException.class, () -> build("{\"path\":\"/x\",\"body\":\"" + "a".repeat(1_100_000)
        + "\"}"));
  }
}
