package dev.codemode.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 4 at the level a user sees it: the whole hostile-script corpus (the isolate module's fixture) is sent to ONE
 * packaged server process over stdio. Every script is contained (an answer, never a hang or a crash), limits are
 * reported as errors, nothing secret comes back, and afterwards the same process answers a normal execute at normal
 * speed with its heap back near its baseline and no leaked threads.
 */
class HostileScriptsOverStdioTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> MUST_FAIL = Set.of("TIME", "LIMIT", "STACK_LIMIT", "OUTPUT_LIMIT", "SYNTAX_ERROR",
      "HOST_CALL_LIMIT");
  private static StdioServer server;
  private static long pid;

  @BeforeAll
  static void start() {
    server = new StdioServer(List.of("--demo", "--no-semantic", "--exec-timeout", "3s", "--max-concurrent", "2"),
        Map.of());
    pid = ProcessHandle.current().children()
        .filter(p -> p.info().commandLine().orElse("").contains("codemode-mcp.jar"))
        .mapToLong(ProcessHandle::pid).max().orElseThrow();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static long median(List<Long> xs) {
    long[] a = xs.stream().mapToLong(Long::longValue).sorted().toArray();
    return a[a.length / 2];
  }

  private static List<Long> trivialLatencies(int n) {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long t = System.nanoTime();
      McpSchema.CallToolResult r = server.call("execute", Map.of("code", "return 6 * 7;"));
      out.add((System.nanoTime() - t) / 1_000_000);
      assertTrue(StdioServer.text(r).contains("42"), StdioServer.text(r));
    }
    return out;
  }

  private static String jcmd(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        Long.toString(pid)));
    cmd.addAll(Arrays.asList(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(60, TimeUnit.SECONDS);
    return out;
  }

  /** Used heap of the server after a full GC, in KB (from jcmd GC.heap_info). */
  private static long heapAfterGcKb() throws Exception {
    jcmd("GC.run");
    String info = jcmd("GC.heap_info");
    Matcher m = Pattern.compile("used (\\d+)K").matcher(info);
    assertTrue(m.find(), info);
    return Long.parseLong(m.group(1));
  }

  private static int threads() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("Threads:")) {
        return Integer.parseInt(line.substring(8).trim());
      }
    }
    throw new IllegalStateException("no thread count for " + pid);
  }

  @Test
  void theCorpusIsContainedAndTheServerRecovers() throws Exception {
    long before = median(trivialLatencies(15));
    long heapBefore = heapAfterGcKb();
    int threadsBefore = threads();
    JsonNode corpus = JSON.readTree(Files.readString(Path.of("..", "isolate", "src", "test", "resources", "hostile",
        "corpus.json")));
    assertTrue(corpus.size() >= 60, "corpus size " + corpus.size());
    List<String> problems = new ArrayList<>();
    long slowest = 0;
    String slowestName = "";
    for (JsonNode c : corpus) {
      String name = c.get("name").asText();
      long t = System.nanoTime();
      McpSchema.CallToolResult r = server.call("execute", Map.of("code", c.get("code").asText()));
      long ms = (System.nanoTime() - t) / 1_000_000;
      if (ms > slowest) {
        slowest = ms;
        slowestName = name;
      }
      String text = StdioServer.text(r);
      JsonNode out = JSON.readTree(text);
      if (ms > 15_000) {
        problems.add(name + ": took " + ms + " ms with a 3 s limit");
      }
      if ("INTERNAL".equals(out.path("kind").asText()) || "BUSY".equals(out.path("kind").asText())) {
        problems.add(name + ": " + out.path("kind").asText() + " " + out.path("error").asText());
      }
      if (MUST_FAIL.contains(c.get("expect").asText()) && !Boolean.TRUE.equals(r.isError())) {
        problems.add(name + ": expected a limit error, got " + text.substring(0, Math.min(200, text.length())));
      }
      if (c.has("maxChars") && text.length() > c.get("maxChars").asInt()) {
        problems.add(name + ": the result is " + text.length() + " chars, over " + c.get("maxChars").asInt());
      }
      for (JsonNode bad : c.path("mustNotContain")) {
        if (text.contains(bad.asText())) {
          problems.add(name + ": result contains '" + bad.asText() + "'");
        }
      }
      if (text.matches("(?s).*\\bat (org\\.graalvm|com\\.oracle|dev\\.codemode|java\\.)[\\w.$]+\\(.*")) {
        problems.add(name + ": a Java stack trace reached the model: " + text);
      }
    }
    System.out.println("[figure] hostile corpus over stdio: " + corpus.size() + " cases, slowest " + slowest
        + " ms (" + slowestName + ")");
    assertEquals(List.of(), problems);

    long after = median(trivialLatencies(15));
    long heapAfter = heapAfterGcKb();
    int threadsAfter = threads();
    System.out.println("[figure] trivial execute median before/after corpus: " + before + " ms / " + after
        + " ms; heap after GC " + heapBefore / 1024 + " MB / " + heapAfter / 1024 + " MB; threads " + threadsBefore
        + " / " + threadsAfter);
    assertTrue(after <= 3 * before + 50, "normal speed after the corpus: " + before + " ms then " + after + " ms");
    assertTrue(heapAfter <= heapBefore + 64 * 1024, "heap back near baseline: " + heapBefore + "K then "
        + heapAfter + "K");
    assertTrue(threadsAfter <= threadsBefore + 8, "threads stable: " + threadsBefore + " then " + threadsAfter);
  }
}
