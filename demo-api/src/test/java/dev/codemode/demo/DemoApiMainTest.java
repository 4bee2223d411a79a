package dev.codemode.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Runs {@link DemoApi#main} as its own process, the way benchmarks and conformance tests use it. */
class DemoApiMainTest {
  private Process process;

  @AfterEach
  void stop() throws InterruptedException {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  @Test
  void printsOneJsonLineThenServes() throws Exception {
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    process = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
        DemoApi.class.getName(), "--port", "0", "--token", "proc-token"))
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = stdout.readLine();
    assertNotNull(line, "no line on stdout");
    JsonNode announced = DemoHttp.MAPPER.readTree(line);
    assertEquals("proc-token", announced.get("token").asText());
    String baseUrl = announced.get("baseUrl").asText();
    assertTrue(baseUrl.matches("http://127\\.0\\.0\\.1:\\d+/v1"), baseUrl);

    DemoHttp http = new DemoHttp(baseUrl, "proc-token");
    assertEquals(DemoData.ORDERS, http.get("/orders").json().get("total").asInt());
    assertEquals(baseUrl, http.getRoot("/openapi.json").json().at("/servers/0/url").asText());
    assertEquals(401, http.send("GET", "/orders", null, null).status());
    assertTrue(process.isAlive());
  }
}
