package dev.codemode.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Part 4: a peer OpenAPI MCP server from npm ({@value #PACKAGE}, one tool per operation), installed by npm into
 * {@code benchmarks/target/peer}, run on this machine against the same spec and the same demo API, driven by the same
 * Java SDK client: {@code tools/list} tokens, start-up, memory and the latency of one {@code getOrder} call.
 */
final class Peer {
  static final String PACKAGE = "@ivotoby/openapi-mcp-server";
  static final String VERSION = "1.16.1";
  static final int WARMUP = 20;
  static final int MEASURED = 150;

  private final Env env;
  private final Env.Demo demo;

  Peer(Env env, Env.Demo demo) {
    this.env = env;
    this.demo = demo;
  }

  ObjectNode run() throws Exception {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("package", PACKAGE + "@" + VERSION);
    Path bin = install();
    out.put("node", exec(List.of("node", "--version")).trim());
    List<String> demoCmd = List.of("node", bin.toString(), "--api-base-url", demo.baseUrl(), "--openapi-spec",
        demo.specFile().toString(), "--headers", "Authorization:Bearer " + demo.api().token());
    ObjectNode d = out.putObject("demo");
    try (McpSession peer = McpSession.stdio(demoCmd, Map.of("VERBOSE", "false"))) {
      McpSchema.ListToolsResult tools = peer.listTools();
      d.put("peerTools", tools.tools().size());
      d.put("peerToolsListTokens", Tokens.count(InProcess.rpcResult(tools)));
      String getOrder = tools.tools().stream().map(McpSchema.Tool::name)
          .filter(n -> n.replaceAll("[^A-Za-z]", "").equalsIgnoreCase("getorder")).findFirst()
          .orElseThrow(() -> new IllegalStateException("the peer exposes no getOrder tool"));
      d.put("peerTool", getOrder);
      McpSchema.CallToolResult sample = peer.call(getOrder, Map.of("orderId", 42));
      d.put("peerResultTokens", Tokens.count(McpSession.text(sample)));
      d.set("peerGetOrder", time(() -> peer.call(getOrder, Map.of("orderId", 42))));
      d.put("peerRssMiB", peer.rssMiB()[0]);
    }
    try (McpSession ours = McpSession.stdio(env.serverCommand(demo.codemodeArgs()), demo.env())) {
      McpSchema.ListToolsResult tools = ours.listTools();
      d.put("oursToolsListTokens", Tokens.count(InProcess.rpcResult(tools)));
      String code = "const o = await api.call('getOrder', { orderId: 42 }); return o;";
      d.put("oursResultTokens", Tokens.count(McpSession.text(ours.call("execute", Map.of("code", code)))));
      d.set("oursExecuteGetOrder", time(() -> ours.call("execute", Map.of("code", code))));
      d.put("oursRssMiB", ours.rssMiB()[0]);
      d.put("oursRssTreeMiB", ours.rssTreeMiB());
    } catch (RuntimeException e) {
      d.put("oursError", McpSession.reason(e));
      d.put("oursToolsListTokens", Tokens.count(InProcess.toolsListJson(
          dev.codemode.spec.SpecLoader.load("api", demo.specFile().toString()))));
      d.put("oursToolsListSource", "in-process (server did not start)");
    }
    d.put("tokensRatio", ratio(d.get("peerToolsListTokens").asDouble(), d.get("oursToolsListTokens").asDouble()));
    d.put("latencyP50Ratio", ratio(d.at("/oursExecuteGetOrder/p50ms").asDouble(),
        d.at("/peerGetOrder/p50ms").asDouble()));
    Bench.log("  peer demo: tools/list %d vs ours %d tokens; getOrder p50 %.2f ms vs our execute %.2f ms",
        d.get("peerToolsListTokens").asInt(), d.get("oursToolsListTokens").asInt(),
        d.at("/peerGetOrder/p50ms").asDouble(), d.at("/oursExecuteGetOrder/p50ms").asDouble());

    ObjectNode g = out.putObject("github");
    for (String mode : List.of("all", "dynamic")) {
      ObjectNode m = g.putObject(mode);
      List<String> cmd = List.of("node", bin.toString(), "--api-base-url", "https://api.github.com",
          "--openapi-spec", env.githubSpec().toString(), "--tools", mode);
      try (McpSession peer = McpSession.stdio(cmd, Map.of("VERBOSE", "false"))) {
        McpSchema.ListToolsResult tools = peer.listTools();
        m.put("firstToolsListMs", peer.firstToolsListMillis());
        m.put("tools", tools.tools().size());
        m.put("toolsListTokens", Tokens.count(InProcess.rpcResult(tools)));
        m.put("rssMiB", peer.rssMiB()[0]);
      } catch (RuntimeException e) {
        m.put("error", String.valueOf(e.getMessage()));
      }
      Bench.log("  peer github --tools %s: %s", mode, m);
    }
    try (McpSession ours = McpSession.stdio(env.serverCommand(List.of("--spec", env.githubSpec().toString(),
        "--no-semantic")), Map.of())) {
      ObjectNode o = g.putObject("ours");
      McpSchema.ListToolsResult tools = ours.listTools();
      o.put("firstToolsListMs", ours.firstToolsListMillis());
      o.put("tools", tools.tools().size());
      o.put("toolsListTokens", Tokens.count(InProcess.rpcResult(tools)));
      o.put("rssMiB", ours.rssMiB()[0]);
      o.put("rssTreeMiB", ours.rssTreeMiB());
    } catch (RuntimeException e) {
      ObjectNode o = g.has("ours") ? (ObjectNode) g.get("ours") : g.putObject("ours");
      o.put("error", McpSession.reason(e));
      o.put("toolsListTokens", Tokens.count(InProcess.toolsListJson(
          dev.codemode.spec.SpecLoader.load("api", env.githubSpec().toString()))));
      o.put("toolsListSource", "in-process (server did not start)");
    }
    out.put("baselineGithubTokens", ContextEconomy.baseline(env.githubSpec())[0]);
    if (g.at("/all/toolsListTokens").isNumber()) {
      g.put("tokensRatio", ratio(g.at("/all/toolsListTokens").asDouble(), g.at("/ours/toolsListTokens").asDouble()));
    }
    return out;
  }

  private static double ratio(double a, double b) {
    return b == 0 ? 0 : Math.round(10.0 * a / b) / 10.0;
  }

  private static ObjectNode time(Runnable call) {
    for (int i = 0; i < WARMUP; i++) {
      call.run();
    }
    long[] t = new long[MEASURED];
    for (int i = 0; i < MEASURED; i++) {
      long t0 = System.nanoTime();
      call.run();
      t[i] = System.nanoTime() - t0;
    }
    return Stats.of(t).json();
  }

  /** npm-installs the peer into benchmarks/target/peer (once per version); returns its CLI script. */
  private Path install() throws IOException, InterruptedException {
    Path prefix = env.root().resolve("benchmarks/target/peer");
    Path pkg = prefix.resolve("node_modules/" + PACKAGE);
    Path bin = pkg.resolve("bin/mcp-server.js");
    if (Files.isRegularFile(bin) && Files.readString(pkg.resolve("package.json")).contains("\"" + VERSION + "\"")) {
      return bin;
    }
    Files.createDirectories(prefix);
    Bench.log("  npm install %s@%s into %s", PACKAGE, VERSION, prefix);
    exec(List.of("npm", "install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", prefix.toString(),
        PACKAGE + "@" + VERSION));
    if (!Files.isRegularFile(bin)) {
      throw new IllegalStateException("npm did not install " + bin);
    }
    return bin;
  }

  private static String exec(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed: " + text);
    }
    return text;
  }
}
