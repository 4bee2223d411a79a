package dev.codemode.conformance;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Latency figures per transport (not a timed test): p50/p99 of {@code tools/call} for a trivial execute and for a
 * search against the packaged jar with the demo API, over stdio, legacy SSE, Streamable HTTP and stateless HTTP; then
 * 64 concurrent clients over Streamable HTTP. Run it through {@link TransportBenchTest} (see README.md):
 *
 * <pre>
 * ./mvnw -B -o -pl conformance-tests -am verify -Dtest=TransportBenchTest -Dsurefire.failIfNoSpecifiedTests=false \
 *   -Dcodemode.bench=true
 * </pre>
 */
public final class TransportBench {
  private static final Map<String, Object> EXECUTE = Map.of("code", "return 1 + 1");
  private static final Map<String, Object> SEARCH = Map.of("query", "list orders of a customer", "limit", 5);

  private TransportBench() {}

  public static void main(String[] args) throws Exception {
    run(args.length > 0 ? Integer.parseInt(args[0]) : 200, args.length > 1 ? Integer.parseInt(args[1]) : 64,
        args.length > 2 ? Integer.parseInt(args[2]) : 20);
    System.exit(0);
  }

  /** Prints the figures; returns the error count of the concurrent run. */
  static int run(int calls, int clients, int perClient) throws Exception {
    int errors = 0;
    List<String> server = List.of("--demo", "--no-semantic", "--cache-dir",
        Path.of("target", "codemode-cache").toAbsolutePath().toString());
    System.out.printf("%-16s %-8s %8s %8s %8s%n", "transport", "tool", "p50 ms", "p99 ms", "errors");
    try (StdioServer s = new StdioServer(server, Map.of())) {
      report("stdio", s.client, calls);
    }
    for (String t : List.of("sse", "http", "stateless")) {
      List<String> a = new ArrayList<>(server);
      a.addAll(List.of("--transport", t.equals("sse") ? "sse" : "http", "--port", "0"));
      if (t.equals("stateless")) {
        a.add("--stateless");
      }
      try (HttpServerProcess p = new HttpServerProcess(a, Map.of())) {
        McpSyncClient c = client(p.url, t.equals("sse"));
        report(t.equals("http") ? "streamable-http" : t, c, calls);
        c.closeGracefully();
        if (t.equals("http")) {
          errors = concurrent(p.url, clients, perClient);
        }
      }
    }
    return errors;
  }

  static McpSyncClient client(URI url, boolean sse) {
    String base = url.getScheme() + "://" + url.getAuthority();
    McpClientTransport t = sse ? HttpClientSseClientTransport.builder(base).sseEndpoint(url.getPath()).build()
        : HttpClientStreamableHttpTransport.builder(base).endpoint(url.getPath()).build();
    McpSyncClient c = McpClient.sync(t).requestTimeout(Duration.ofSeconds(60))
        .clientInfo(new McpSchema.Implementation("bench", "1")).build();
    c.initialize();
    return c;
  }

  private static void report(String transport, McpSyncClient c, int calls) {
    for (String tool : List.of("execute", "search")) {
      Map<String, Object> args = tool.equals("execute") ? EXECUTE : SEARCH;
      for (int i = 0; i < Math.max(20, calls / 5); i++) {
        c.callTool(new McpSchema.CallToolRequest(tool, args));
      }
      long[] ns = new long[calls];
      int errors = 0;
      for (int i = 0; i < calls; i++) {
        long t0 = System.nanoTime();
        McpSchema.CallToolResult r = c.callTool(new McpSchema.CallToolRequest(tool, args));
        ns[i] = System.nanoTime() - t0;
        if (Boolean.TRUE.equals(r.isError())) {
          errors++;
        }
      }
      System.out.printf("%-16s %-8s %8.2f %8.2f %8d%n", transport, tool, pct(ns, 50), pct(ns, 99), errors);
    }
  }

  private static int concurrent(URI url, int clients, int perClient) throws Exception {
    List<McpSyncClient> all = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      all.add(client(url, false));
    }
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    AtomicInteger errors = new AtomicInteger();
    long[] ns = new long[clients * perClient];
    long t0 = System.nanoTime();
    List<Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      int k = i;
      futures.add(pool.submit(() -> {
        for (int j = 0; j < perClient; j++) {
          long s = System.nanoTime();
          try {
            McpSchema.CallToolResult r = all.get(k).callTool(new McpSchema.CallToolRequest("execute", EXECUTE));
            if (Boolean.TRUE.equals(r.isError())) {
              errors.incrementAndGet();
            }
          } catch (RuntimeException e) {
            errors.incrementAndGet();
          }
          ns[k * perClient + j] = System.nanoTime() - s;
        }
      }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    pool.shutdown();
    all.forEach(McpSyncClient::closeGracefully);
    System.out.printf("%d concurrent clients x %d executes over Streamable HTTP: p50 %.2f ms, p99 %.2f ms, "
        + "%.0f calls/s, errors %d%n", clients, perClient, pct(ns, 50), pct(ns, 99), ns.length / seconds, errors.get());
    return errors.get();
  }

  private static double pct(long[] ns, int p) {
    long[] s = ns.clone();
    Arrays.sort(s);
    int i = (int) Math.ceil(p / 100.0 * s.length) - 1;
    return s[Math.max(0, Math.min(s.length - 1, i))] / 1e6;
  }
}
