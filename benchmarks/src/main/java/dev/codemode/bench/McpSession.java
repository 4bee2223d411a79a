package dev.codemode.bench;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One MCP server process driven by the MCP Java SDK client, over stdio or Streamable HTTP, with the server's PID for
 * RSS readings and the time from process start to the first {@code tools/list} answer. Close it.
 *
 * <pre>{@code try (McpSession s = McpSession.stdio(cmd, env)) { s.listTools(); s.call("execute", Map.of("code", "return 1")); }}</pre>
 */
final class McpSession implements AutoCloseable {
  /**
   * How long a start (and any one request, initialize included) may take: on this shared 2-core machine the baseline
   * server answers initialize for Microsoft Graph's spec only after about two minutes.
   */
  static final Duration START_TIMEOUT = Duration.ofSeconds(360);
  private static final Pattern LISTENING = Pattern.compile("(http://[^\\s]+/mcp)\\b");

  final McpSyncClient client;
  final long pid;
  final ConcurrentLinkedQueue<String> stderr;
  private final long startNanos;
  private final Process ownProcess;
  /** The Streamable HTTP endpoint, or null over stdio. */
  final java.net.URI endpoint;
  private long firstToolsListMillis = -1;
  /** When a line containing each of {@link #MARKS} first arrived on stderr, System.nanoTime(). */
  private final Map<String, Long> marks;
  static final List<String> MARKS = List.of("semantic search ready", "semantic search unavailable");

  private McpSession(McpSyncClient client, long pid, ConcurrentLinkedQueue<String> stderr, long startNanos,
      Process own, java.net.URI endpoint, Map<String, Long> marks) {
    this.client = client;
    this.marks = marks;
    this.endpoint = endpoint;
    this.pid = pid;
    this.stderr = stderr;
    this.startNanos = startNanos;
    this.ownProcess = own;
  }

  /** Starts {@code cmd} as an MCP server over stdio and initializes a client session. */
  static McpSession stdio(List<String> cmd, Map<String, String> env) {
    ServerParameters.Builder params = ServerParameters.builder(cmd.get(0)).args(cmd.subList(1, cmd.size()));
    env.forEach(params::addEnvVar);
    StdioClientTransport transport = new StdioClientTransport(params.build(), McpJsonDefaults.getMapper());
    ConcurrentLinkedQueue<String> err = new ConcurrentLinkedQueue<>();
    Map<String, Long> marks = new java.util.concurrent.ConcurrentHashMap<>();
    transport.setStdErrorHandler(line -> {
      mark(marks, line);
      if (err.size() < 5000 || line.contains("semantic search")) {
        err.add(line);
      }
    });
    long t0 = System.nanoTime();
    McpSyncClient client = build(transport);
    CompletableFuture<Object> init = CompletableFuture.supplyAsync(client::initialize);
    long pid = -1;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT.toSeconds());
    while (true) {
      try {
        init.get(100, TimeUnit.MILLISECONDS);
        break;
      } catch (java.util.concurrent.TimeoutException e) {
        if (pid < 0) {
          pid = findChild(cmd).orElse(-1L);
        }
        boolean dead = pid > 0 && ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
        if (dead || System.nanoTime() > deadline) {
          client.close();
          throw new IllegalStateException((dead ? "server exited during start-up: " : "no answer to initialize: ")
              + String.join(" | ", err).replaceAll("\\s+", " "));
        }
      } catch (Exception e) {
        client.close();
        throw new IllegalStateException("initialize failed: " + e + " " + String.join(" | ", err));
      }
    }
    if (pid < 0) {
      pid = findChild(cmd).orElse(-1L);
    }
    return new McpSession(client, pid, err, t0, null, null, marks);
  }

  /**
   * Starts {@code cmd} (which must include {@code --transport http --port 0}), waits for the "listening on" line and
   * connects over Streamable HTTP. Empty with the reason when the server cannot serve HTTP.
   */
  static McpSession http(List<String> cmd, Map<String, String> env, StringBuilder whyNot) throws IOException {
    return http(cmd, env, whyNot, null);
  }

  /** As {@link #http(List, Map, StringBuilder)}, every request sent with {@code Authorization: Bearer clientToken}. */
  static McpSession http(List<String> cmd, Map<String, String> env, StringBuilder whyNot, String clientToken)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().putAll(env);
    long t0 = System.nanoTime();
    Process p = pb.start();
    ConcurrentLinkedQueue<String> err = new ConcurrentLinkedQueue<>();
    Map<String, Long> marks = new java.util.concurrent.ConcurrentHashMap<>();
    CompletableFuture<String> url = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          mark(marks, line);
          if (err.size() < 5000 || line.contains("semantic search")) {
            err.add(line);
          }
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            url.complete(m.group(1));
          }
        }
      } catch (IOException ignored) {
        // process gone
      }
      url.complete(null);
    }, "bench-http-stderr");
    reader.setDaemon(true);
    reader.start();
    String endpoint;
    try {
      endpoint = url.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      endpoint = null;
    }
    if (endpoint == null) {
      p.destroy();
      whyNot.append(err.isEmpty() ? "no 'listening on' line" : reason(new IllegalStateException(String.join(" | ", err))));
      return null;
    }
    java.net.URI u = java.net.URI.create(endpoint);
    McpSyncClient client;
    try {
      client = httpClient(u, clientToken);
    } catch (RuntimeException e) {
      p.destroy();
      throw e;
    }
    return new McpSession(client, p.pid(), err, t0, p, u, marks);
  }

  /** A new initialized Streamable HTTP client session on {@code endpoint}, with the bearer token when not null. */
  static McpSyncClient httpClient(java.net.URI endpoint, String clientToken) {
    java.net.http.HttpRequest.Builder requests = java.net.http.HttpRequest.newBuilder();
    if (clientToken != null) {
      requests.header("Authorization", "Bearer " + clientToken);
    }
    McpClientTransport transport = HttpClientStreamableHttpTransport
        .builder(endpoint.getScheme() + "://" + endpoint.getAuthority()).endpoint(endpoint.getPath())
        .requestBuilder(requests).build();
    McpSyncClient client = build(transport);
    client.initialize();
    return client;
  }

  private static McpSyncClient build(McpClientTransport transport) {
    // No client-side output-schema validation: it costs the client CPU on this 2-core machine and is not the
    // server's latency. The servers' own tests check their results against their schemas.
    return McpClient.sync(transport)
        .jsonSchemaValidator(new io.modelcontextprotocol.json.schema.JsonSchemaValidator() {
          @Override
          public ValidationResponse validate(Map<String, Object> schema, Object content) {
            return ValidationResponse.asValid(null);
          }
        })
        .requestTimeout(START_TIMEOUT)
        .initializationTimeout(START_TIMEOUT)
        .clientInfo(new McpSchema.Implementation("codemode-bench", "1.0"))
        .build();
  }

  /** The newest child of this JVM whose command line contains the last path-like element of {@code cmd}. */
  private static Optional<Long> findChild(List<String> cmd) {
    String marker = cmd.stream().filter(a -> a.endsWith(".jar") || a.endsWith(".js")).findFirst().orElse(cmd.get(0));
    return ProcessHandle.current().children()
        .filter(h -> h.info().commandLine().map(c -> c.contains(marker)).orElse(false)
            || h.info().arguments().map(a -> String.join(" ", a).contains(marker)).orElse(false))
        .max(Comparator.comparing(h -> h.info().startInstant().orElse(java.time.Instant.EPOCH)))
        .map(ProcessHandle::pid);
  }

  /** The server's own fatal line ("codemode-mcp: ...") when there is one, else the exception message, short. */
  static String reason(Throwable e) {
    String m = String.valueOf(e.getMessage());
    int i = m.lastIndexOf("codemode-mcp: ");
    String r = i >= 0 ? m.substring(i + "codemode-mcp: ".length()) : m;
    int bar = r.indexOf(" | ");
    r = bar > 0 ? r.substring(0, bar) : r;
    return r.length() > 160 ? r.substring(0, 160) + "..." : r;
  }

  McpSchema.ListToolsResult listTools() {
    McpSchema.ListToolsResult r = client.listTools();
    if (firstToolsListMillis < 0) {
      firstToolsListMillis = (System.nanoTime() - startNanos) / 1_000_000;
    }
    return r;
  }

  /** Milliseconds from process start to the first tools/list answer (call {@link #listTools} first). */
  long firstToolsListMillis() {
    return firstToolsListMillis;
  }

  McpSchema.CallToolResult call(String tool, Map<String, Object> args) {
    return client.callTool(new McpSchema.CallToolRequest(tool, args));
  }

  static String text(McpSchema.CallToolResult r) {
    StringBuilder sb = new StringBuilder();
    for (McpSchema.Content c : r.content()) {
      if (c instanceof McpSchema.TextContent t) {
        sb.append(t.text());
      }
    }
    return sb.toString();
  }

  /** VmRSS and VmHWM of the server process in MiB, or -1 when unknown. */
  long[] rssMiB() {
    ProcTree.Snapshot s = ProcTree.of(pid);
    return new long[] {s.rootMiB(), s.rootPeakMiB()};
  }

  /** VmRSS in MiB of the server process plus all its descendants (the sandbox worker JVMs), or -1. */
  long rssTreeMiB() {
    return ProcTree.of(pid).totalMiB();
  }

  /** Waits until a stderr line contains one of {@code needles}; returns the last such line, or null at the deadline. */
  String awaitStderr(Duration timeout, String... needles) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String last = null;
      for (String line : stderr) {
        for (String n : needles) {
          if (line.contains(n)) {
            last = line;
          }
        }
      }
      if (last != null) {
        return last;
      }
      Thread.sleep(50);
    }
    return null;
  }

  private static void mark(Map<String, Long> marks, String line) {
    for (String m : MARKS) {
      if (line.contains(m)) {
        marks.putIfAbsent(m, System.nanoTime());
      }
    }
  }

  /** Milliseconds from process start to the first stderr line containing {@code mark} (one of MARKS), or -1. */
  long markMillis(String mark) {
    Long at = marks.get(mark);
    return at == null ? -1 : (at - startNanos) / 1_000_000;
  }

  long millisSinceStart() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  @Override
  public void close() {
    try {
      client.closeGracefully();
    } catch (RuntimeException e) {
      client.close();
    }
    if (ownProcess != null) {
      ownProcess.destroy();
      try {
        if (!ownProcess.waitFor(10, TimeUnit.SECONDS)) {
          ownProcess.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } else if (pid > 0) {
      ProcessHandle.of(pid).ifPresent(h -> {
        try {
          h.onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
          h.destroyForcibly();
        }
      });
    }
  }
}
