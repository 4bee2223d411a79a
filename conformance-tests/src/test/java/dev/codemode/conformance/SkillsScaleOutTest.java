package dev.codemode.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codemode.server.skills.TestPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Skills across server instances, for real: two packaged servers on stateless Streamable HTTP behind nginx (round
 * robin), sharing one PostgreSQL, driven by the official TypeScript client. The skill saved through one instance is
 * found by search and run through the other; the audit logs prove which instance served what. nginx is installed
 * from the Debian packages when missing and the tests run as root.
 */
class SkillsScaleOutTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aSkillSavedThroughOneInstanceIsFoundAndRunThroughTheOther() throws Exception {
    Path nginx = Nginx.binary();
    Path node = NodeTools.node();
    Files.copy(NodeTools.SOURCES.resolve("ts-skills-client.mjs"), NodeTools.HOME.resolve("ts-skills-client.mjs"),
        StandardCopyOption.REPLACE_EXISTING);
    Path dir = Files.createTempDirectory("codemode-scaleout-");
    Map<String, String> env = Map.of("CM_TOKEN", "scale-out-token-ann", "CM_PG_PASSWORD", "unused-with-trust");
    try (TestPostgres pg = TestPostgres.start()) {
      // In-process isolation: two pools of worker JVMs would triple the start-up on a small machine, and the
      // sandbox is not what this test is about.
      List<String> common = List.of("--demo", "--no-semantic", "--isolation", "in-process", "--transport", "http",
          "--stateless", "--port", "0", "--client-token", "ann=env:CM_TOKEN", "--store", pg.jdbcUrl(),
          "--store-user", pg.user(), "--store-password", "env:CM_PG_PASSWORD", "--cache-dir",
          Path.of("target", "codemode-cache").toAbsolutePath().toString());
      List<String> a = new ArrayList<>(common);
      a.addAll(List.of("--audit-log", dir.resolve("a.jsonl").toString()));
      List<String> b = new ArrayList<>(common);
      b.addAll(List.of("--audit-log", dir.resolve("b.jsonl").toString()));
      // Both instances start at once (each takes seconds to index the spec and start its sandbox).
      java.util.concurrent.CompletableFuture<HttpServerProcess> second = java.util.concurrent.CompletableFuture
          .supplyAsync(() -> {
            try {
              return new HttpServerProcess(b, env);
            } catch (Exception e) {
              throw new java.util.concurrent.CompletionException(e);
            }
          });
      try (HttpServerProcess one = new HttpServerProcess(a, env); HttpServerProcess two = second.join();
          Nginx lb = Nginx.start(nginx, dir, one.url.getPort(), two.url.getPort())) {
        NodeTools.Run r = NodeTools.run(List.of("env", "CODEMODE_TOKEN=scale-out-token-ann", node.toString(),
            "ts-skills-client.mjs", lb.url()), NodeTools.HOME, Duration.ofMinutes(3));
        String last = r.output().strip().lines().reduce((x, y) -> y).orElse("");
        JsonNode out = JSON.readTree(last);
        System.out.println("[ts-skills-client via nginx] " + NodeTools.tail(out.toString(), 1500));
        assertTrue(out.path("ok").asBoolean(), out.toString());
        assertFalse(out.at("/save/isError").asBoolean(), out.get("save").toString());
        assertEquals("ordersPerStatus", out.at("/save/structuredContent/result/name").asText());
        JsonNode first = out.at("/search/structuredContent/results/0");
        assertEquals("skill", first.path("kind").asText(), out.get("search").toString());
        assertEquals("ordersPerStatus", first.path("name").asText());
        for (JsonNode run : out.get("runs")) {
          assertFalse(run.path("isError").asBoolean(), run.toString());
          int sum = 0;
          for (JsonNode n : run.at("/structuredContent/result")) {
            sum += n.asInt();
          }
          assertEquals(20, sum, "the skill counted the 20 orders by status: " + run);
        }
        assertEquals(4, out.at("/detail/structuredContent/skill/versions/0/runs").asInt(), out.get("detail")
            .toString());

        // The audit logs show the save on one instance and runs on the other.
        List<String> auditA = skillLines(dir.resolve("a.jsonl"));
        List<String> auditB = skillLines(dir.resolve("b.jsonl"));
        boolean savedOnA = auditA.stream().anyMatch(l -> l.contains("\"action\":\"save\""));
        List<String> saver = savedOnA ? auditA : auditB;
        List<String> other = savedOnA ? auditB : auditA;
        assertEquals(1, saver.stream().filter(l -> l.contains("\"action\":\"save\"")).count());
        assertTrue(other.stream().anyMatch(l -> l.contains("\"action\":\"run\"") && l.contains("\"outcome\":\"OK\"")
            && l.contains("\"owner\":\"token:ann\"")), "the other instance ran the skill: " + other);
        assertTrue(lb.accessLog().lines().count() >= 7, "every request went through nginx");
      }
    }
  }

  private static List<String> skillLines(Path audit) throws IOException {
    return Files.exists(audit) ? Files.readAllLines(audit).stream().filter(l -> l.contains("\"skill\":{")).toList()
        : List.of();
  }

  /** nginx from the Debian packages, run in the foreground on a free loopback port with a generated config. */
  static final class Nginx implements AutoCloseable {
    private final Process process;
    private final Path dir;
    private final int port;

    private Nginx(Process process, Path dir, int port) {
      this.process = process;
      this.dir = dir;
      this.port = port;
    }

    /** The nginx binary, installed with apt-get (nginx-light) when missing and the tests run as root. */
    static Path binary() throws IOException, InterruptedException {
      for (String p : List.of("/usr/sbin/nginx", "/usr/bin/nginx")) {
        if (Files.isExecutable(Path.of(p))) {
          return Path.of(p);
        }
      }
      if (!"root".equals(System.getProperty("user.name"))) {
        throw new AssertionError("nginx is not installed; install it (apt-get install nginx-light) or run as root");
      }
      NodeTools.Run install = NodeTools.run(List.of("sh", "-c", "export DEBIAN_FRONTEND=noninteractive; "
          + "apt-get install -y --no-install-recommends nginx-light || (apt-get update && apt-get install -y "
          + "--no-install-recommends nginx-light)"), Path.of("."), Duration.ofMinutes(5));
      assertEquals(0, install.exit(), "apt-get install nginx-light failed:\n" + NodeTools.tail(install.output(),
          3000));
      return Path.of("/usr/sbin/nginx");
    }

    static Nginx start(Path binary, Path dir, int portA, int portB) throws IOException, InterruptedException {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      Path conf = dir.resolve("nginx.conf");
      // The sample in the repository (deploy/nginx-codemode.conf) with ports and paths filled in for the test.
      String sample = Files.readString(Path.of("..", "deploy", "nginx-codemode.conf"));
      String body = sample.substring(sample.indexOf("upstream codemode"));
      body = body.replace("server 10.0.0.11:8080;", "server 127.0.0.1:" + portA + ";")
          .replace("server 10.0.0.12:8080;", "server 127.0.0.1:" + portB + ";")
          .replace("listen 80;", "listen 127.0.0.1:" + port + ";");
      Files.writeString(conf, "daemon off;\nworker_processes 1;\npid " + dir.resolve("nginx.pid") + ";\n"
          + "error_log " + dir.resolve("error.log") + " warn;\nevents { worker_connections 256; }\nhttp {\n"
          + "  access_log " + dir.resolve("access.log") + ";\n"
          + "  client_body_temp_path " + dir.resolve("body") + ";\n  proxy_temp_path " + dir.resolve("proxy") + ";\n"
          + "  fastcgi_temp_path " + dir.resolve("fcgi") + ";\n  uwsgi_temp_path " + dir.resolve("uwsgi") + ";\n"
          + "  scgi_temp_path " + dir.resolve("scgi") + ";\n" + body + "}\n");
      Process p = new ProcessBuilder(binary.toString(), "-c", conf.toString(), "-p", dir.toString() + "/")
          .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
      Nginx n = new Nginx(p, dir, port);
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (true) {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
          return n;
        } catch (IOException e) {
          if (!p.isAlive() || System.nanoTime() > deadline) {
            n.close();
            throw new AssertionError("nginx did not start: " + Files.readString(dir.resolve("nginx.out"))
                + (Files.exists(dir.resolve("error.log")) ? Files.readString(dir.resolve("error.log")) : ""));
          }
          Thread.sleep(50);
        }
      }
    }

    String url() {
      return "http://127.0.0.1:" + port + "/mcp";
    }

    String accessLog() throws IOException {
      return Files.readString(dir.resolve("access.log"));
    }

    @Override
    public void close() {
      process.destroy(); // SIGTERM: nginx's fast shutdown
      try {
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
