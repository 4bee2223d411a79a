package dev.codemode.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Part 3b: start-up time (process start to the first {@code tools/list} answer) and resident memory of the server
 * process with the GitHub spec: lexical only, semantic with an empty cache (cold), and semantic again (cached). Each
 * mode also answers a few searches, so its search latency over stdio is reported too.
 */
final class Startup {
  static final int SEARCHES = 60;
  static final Duration SEMANTIC_WAIT = Duration.ofSeconds(300);
  private final Env env;

  Startup(Env env) {
    this.env = env;
  }

  ObjectNode run() throws IOException {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("spec", env.githubSpec().getFileName().toString());
    Path cache = env.work().resolve("embedding-cache");
    Env.deleteTree(cache);
    String spec = env.githubSpec().toString();
    out.set("lexical", start(List.of("--spec", spec, "--no-semantic")));
    out.set("semanticCold", start(List.of("--spec", spec, "--cache-dir", cache.toString())));
    out.set("semanticCached", start(List.of("--spec", spec, "--cache-dir", cache.toString())));
    return out;
  }

  private ObjectNode start(List<String> args) {
    ObjectNode r = JsonNodeFactory.instance.objectNode();
    r.put("args", String.join(" ", args).replace(env.specDir().toString(), "specs")
        .replace(env.root().toString() + "/", ""));
    boolean semantic = !args.contains("--no-semantic");
    List<String> withLog = new ArrayList<>(args);
    if (semantic) {
      withLog.addAll(List.of("--log-level", "info"));
    }
    try (McpSession s = McpSession.stdio(env.serverCommand(withLog), Map.of())) {
      McpSchema.ListToolsResult tools = s.listTools();
      r.put("firstToolsListMs", s.firstToolsListMillis());
      r.put("rssAfterStartMiB", s.rssMiB()[0]);
      r.put("rssTreeAfterStartMiB", s.rssTreeMiB());
      r.put("toolsListTokens", Tokens.count(InProcess.rpcResult(tools)));
      if (semantic) {
        String ready = s.awaitStderr(SEMANTIC_WAIT, "semantic search ready", "semantic search unavailable");
        r.put("semanticReadyMs", ready == null ? -1 : s.millisSinceStart());
        r.put("semantic", ready == null ? "not ready after " + SEMANTIC_WAIT.toSeconds() + " s" : ready
            .replaceAll("^.*?(semantic search)", "$1"));
        String built = s.awaitStderr(Duration.ofSeconds(1), "Search index over", "Embedded ");
        if (built != null && !built.contains("semantic 0 ms")) {
          r.put("index", built.replaceAll("^.*? - ", ""));
        }
      }
      long[] t = new long[SEARCHES];
      for (int i = 0; i < SEARCHES; i++) {
        long t0 = System.nanoTime();
        McpSchema.CallToolResult res = s.call("search", Map.of("query",
            Latency.QUERIES.get(i % Latency.QUERIES.size()), "limit", 5));
        t[i] = System.nanoTime() - t0;
        if (Boolean.TRUE.equals(res.isError())) {
          throw new IllegalStateException("search failed: " + McpSession.text(res));
        }
      }
      long[] settled = s.rssMiB();
      r.set("searchStdio", Stats.of(java.util.Arrays.copyOfRange(t, SEARCHES / 3, SEARCHES)).json());
      r.put("rssAfterSearchesMiB", settled[0]);
      r.put("peakRssMiB", settled[1]);
      r.put("rssTreeAfterSearchesMiB", s.rssTreeMiB());
      Bench.log("  startup %-40s first tools/list %,6d ms  semantic ready %s ms  RSS %,5d MiB (peak %,5d, with "
              + "workers %,5d)", r.get("args").asText(), s.firstToolsListMillis(), r.path("semanticReadyMs").asText("-"),
          settled[0], settled[1], r.get("rssTreeAfterSearchesMiB").asLong());
    } catch (RuntimeException | InterruptedException e) {
      r.put("error", McpSession.reason(e));
      Bench.log("  startup %s failed: %s", args, e);
    }
    return r;
  }
}
