package dev.codemode.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codemode.server.upstream.PingUpstream;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every {@code codemode-mcp.jar} command the README shows (shell blocks and client-config {@code args}) starts the
 * packaged server and serves. A spec file the reader would bring (tmdb.json, GitHub's spec) is replaced by a
 * one-operation spec on a local upstream, which checks that the credential arrives; each {@code env:VAR} gets a test
 * value; a fixed port becomes 0.
 */
class ReadmeCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern FENCE = Pattern.compile("```(\\w*)\\n(.*?)```", Pattern.DOTALL);
  private static final List<String> KINDS = List.of("bearer", "basic", "header:", "query:");
  private static PingUpstream upstream;
  /** The model stack is loaded, and the start checked for noise, once; the other commands add --no-semantic. */
  private static boolean semanticChecked;

  record Command(String where, List<String> args) {}

  /** The store of the README's {@code skills} commands. */
  private static Path skillsDir;

  @BeforeAll
  static void startUpstream() throws Exception {
    upstream = PingUpstream.start();
    skillsDir = Files.createTempDirectory("readme-skills");
  }

  @AfterAll
  static void stopUpstream() {
    upstream.close();
  }

  static List<Command> commands() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    List<Command> out = new ArrayList<>();
    Matcher m = FENCE.matcher(readme);
    while (m.find()) {
      String lang = m.group(1);
      String body = m.group(2);
      if (lang.equals("json")) {
        collectJsonArgs(JSON.readTree(body), out);
        continue;
      }
      for (String line : body.split("\n")) {
        int at = line.indexOf("codemode-mcp.jar");
        if (at < 0 || line.strip().startsWith("#")) {
          continue;
        }
        String rest = line.substring(at + "codemode-mcp.jar".length()).replaceAll("\\[[^\\]]*\\]", " ")
            .split("\\s(2>|\\||#|&&)")[0].strip();
        if (rest.contains("...")) {
          continue; // a usage pattern, not a command (its flags are shown in full elsewhere)
        }
        out.add(new Command(line.strip(), rest.isEmpty() ? List.of() : List.of(rest.split("\\s+"))));
      }
    }
    return out;
  }

  private static void collectJsonArgs(JsonNode n, List<Command> out) {
    if (n.isObject() && n.path("args").isArray()) {
      List<String> args = new ArrayList<>();
      n.get("args").forEach(a -> args.add(a.asText()));
      for (int i = 0; i < args.size(); i++) {
        if (args.get(i).endsWith("codemode-mcp.jar")) {
          out.add(new Command("args " + args, List.copyOf(args.subList(i + 1, args.size()))));
        }
      }
    }
    n.forEach(child -> collectJsonArgs(child, out));
  }

  @Test
  void theReadmeShowsTheCommandsThisTestRuns() throws Exception {
    List<Command> all = commands();
    assertTrue(all.size() >= 5, "commands found: " + all);
    assertTrue(all.stream().anyMatch(c -> c.args().contains("bearer=env:GITHUB_TOKEN")), "the GitHub example");
  }

  @TestFactory
  Stream<DynamicTest> everyCommandStartsAndServes() throws Exception {
    Map<List<String>, Command> distinct = new LinkedHashMap<>();
    commands().forEach(c -> distinct.putIfAbsent(c.args(), c));
    return distinct.values().stream().map(c -> DynamicTest.dynamicTest(c.where(), () -> run(c)));
  }

  private static void run(Command c) throws Exception {
    if (!c.args().isEmpty() && c.args().get(0).equals("skills")) {
      runSkills(c);
      return;
    }
    Map<String, String> env = new LinkedHashMap<>();
    List<String> args = new ArrayList<>();
    boolean local = false;
    for (int i = 0; i < c.args().size(); i++) {
      String a = c.args().get(i);
      Matcher v = Pattern.compile("env:([A-Za-z_][A-Za-z0-9_]*)").matcher(a);
      while (v.find()) {
        env.put(v.group(1), "readme-secret-" + v.group(1).toLowerCase());
      }
      if (i > 0 && c.args().get(i - 1).equals("--port")) {
        a = "0";
      }
      if (i > 0 && c.args().get(i - 1).equals("--spec") && !Files.exists(Path.of("..", a)) && !Files.exists(Path.of(a))) {
        a = localSpec(schemes(c.args())).toString();
        local = true;
      }
      args.add(a);
    }
    boolean checkSemantic = !semanticChecked && !args.contains("--no-semantic") && !args.contains("--transport");
    if (checkSemantic) {
      semanticChecked = true;
    } else if (!args.contains("--no-semantic")) {
      args.add("--no-semantic");
    }
    args.add("--cache-dir");
    args.add(Path.of("target", "codemode-cache").toAbsolutePath().toString());
    String transport = args.contains("--transport") ? args.get(args.indexOf("--transport") + 1) : "stdio";
    if (!transport.equals("stdio")) {
      try (HttpServerProcess server = new HttpServerProcess(args, env)) {
        assertNotNull(server.url, c.where());
      }
      return;
    }
    try (StdioServer server = new StdioServer(args, env)) {
      assertEquals(2, server.client.listTools().tools().size(), c.where());
      if (local) {
        upstream.clear();
        McpSchema.CallToolResult r = server.call("execute", Map.of("code", "return (await api.call('ping', {})).pong"));
        assertFalse(Boolean.TRUE.equals(r.isError()), StdioServer.text(r));
        String secret = env.values().iterator().next();
        List<String> seen = upstream.requests().stream().map(q -> q.headers().entrySet() + " " + q.uri()).toList();
        assertTrue(seen.stream().anyMatch(q -> q.contains(secret)), "credential at the upstream: " + seen);
        assertFalse(StdioServer.text(r).contains(secret), "the secret never comes back");
      } else {
        McpSchema.CallToolResult r = server.call("search", Map.of("query", "list orders", "limit", 2));
        assertFalse(Boolean.TRUE.equals(r.isError()), StdioServer.text(r));
      }
      if (checkSemantic) {
        awaitSemanticSearch(server);
        assertTrue(server.stderr.stream().noneMatch(l -> l.contains("WARN") || l.contains("ERROR")),
            "a start at the default log level prints only real problems: " + server.stderr);
      }
    }
  }

  /**
   * {@code codemode-mcp.jar skills ...}: the operator's commands run, in the README's order, over one store in a
   * temporary data directory (which is also the working directory, for export and import files). A command naming a
   * placeholder skill ({@code NAME}) must fail cleanly: a non-zero status and one message, no stack trace.
   */
  private static void runSkills(Command c) throws Exception {
    List<String> args = new ArrayList<>(c.args());
    args.add("--data-dir");
    args.add(skillsDir.toString());
    Process p = new ProcessBuilder(Jar.command(args)).directory(skillsDir.toFile()).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), c.where());
    boolean placeholder = c.args().stream().anyMatch(a -> a.matches("[A-Z]{2,}"));
    if (placeholder) {
      assertTrue(p.exitValue() != 0 && !out.isBlank() && !out.contains("Exception"), c.where() + ": " + out);
    } else {
      assertEquals(0, p.exitValue(), c.where() + ": " + out);
    }
  }

  /** Waits until the embedding model is loaded (a query no word of which is in the spec finds something). */
  private static void awaitSemanticSearch(StdioServer server) throws InterruptedException {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode r = JSON.valueToTree(server.call("search", Map.of("query", "bake a chocolate cake")).structuredContent());
      if (r.path("results").size() > 0) {
        return;
      }
      Thread.sleep(250);
    }
  }

  private static List<String> schemes(List<String> args) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i + 1 < args.size(); i++) {
      if (args.get(i).equals("--auth")) {
        String name = args.get(i + 1).split("=")[0];
        out.add(name.contains(".") && !name.contains(":") ? name.substring(name.indexOf('.') + 1) : name);
      }
    }
    return out;
  }

  /** One GET operation on the local upstream; schemes that are not kinds are declared as API keys in a header. */
  private static Path localSpec(List<String> schemes) throws Exception {
    Map<String, Object> declared = new LinkedHashMap<>();
    for (String s : schemes) {
      if (KINDS.stream().noneMatch(k -> k.endsWith(":") ? s.startsWith(k) : s.equals(k))) {
        declared.put(s, Map.of("type", "apiKey", "in", "header", "name", "X-Readme-Key"));
      }
    }
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("openapi", "3.0.3");
    spec.put("info", Map.of("title", "Readme stand-in", "version", "1"));
    spec.put("servers", List.of(Map.of("url", upstream.baseUrl())));
    spec.put("paths", Map.of("/ping", Map.of("get", Map.of("operationId", "ping", "summary", "Ping",
        "responses", Map.of("200", Map.of("description", "ok"))))));
    if (!declared.isEmpty()) {
      spec.put("components", Map.of("securitySchemes", declared));
    }
    Path p = Files.createTempFile("readme-spec", ".json");
    Files.writeString(p, JSON.writeValueAsString(spec));
    return p;
  }
}
