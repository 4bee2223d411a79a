package dev.codemode.bench;

import dev.codemode.isolate.ExecutionRequest;
import dev.codemode.isolate.ExecutionResult;
import dev.codemode.isolate.HostBridge;
import dev.codemode.isolate.Sandbox;
import dev.codemode.server.Codemode;
import dev.codemode.server.config.CliOptions;
import dev.codemode.server.config.ConfigException;
import dev.codemode.server.config.ServerConfig;
import dev.codemode.server.config.SkillsConfig;
import dev.codemode.server.config.StoreLocation;
import dev.codemode.server.tools.CodemodeTools;
import dev.codemode.spec.ApiSpec;
import dev.codemode.spec.SearchHit;
import dev.codemode.spec.SearchIndex;
import dev.codemode.spec.SearchQuery;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;

/**
 * Codemode assembled in the benchmark's own JVM from the same command-line flags as the jar, so in-process figures
 * measure the real tools without a transport. Falls back to the same assembly with a naive search index when the real
 * index is not built yet on this branch ({@link #realSearch()} tells which). Close it.
 *
 * <pre>{@code try (InProcess cm = InProcess.start(Map.of("DEMO_TOKEN", t), "--spec", f, "--auth", "bearerAuth=env:DEMO_TOKEN")) {
 *   cm.tools().execute(null, Map.of("code", "return 1"), null).block();
 * }}</pre>
 */
final class InProcess implements AutoCloseable {
  private final CodemodeTools tools;
  private final AutoCloseable closer;
  private final boolean realSearch;

  private InProcess(CodemodeTools tools, AutoCloseable closer, boolean realSearch) {
    this.tools = tools;
    this.closer = closer;
    this.realSearch = realSearch;
  }

  static InProcess start(Map<String, String> env, String... args) throws ConfigException {
    CliOptions options = new CliOptions();
    new CommandLine(options).parseArgs(args);
    ServerConfig config = options.toConfig(env);
    try {
      Codemode app = Codemode.start(config);
      return new InProcess(app.tools(), app, true);
    } catch (UnsupportedOperationException e) {
      return fallback(config);
    }
  }

  /** {@code Codemode}'s own assembly, with {@link NaiveIndex} instead of the real index. */
  private static InProcess fallback(ServerConfig config) throws ConfigException {
    Codemode app = Codemode.builder(config).searchIndex(NaiveIndex::new).build();
    return new InProcess(app.tools(), app, false);
  }

  /**
   * The two tool definitions for {@code spec} with the CLI's default settings, without a sandbox or a network: what
   * {@code tools/list} returns for that spec (skills on, as on the command line, with a throwaway store).
   */
  static String toolsListJson(ApiSpec spec) {
    Path dataDir;
    try {
      dataDir = Files.createTempDirectory("codemode-bench-skills");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    ServerConfig config = ServerConfig.defaults().withSpecsAndAuth(List.of(new ServerConfig.SpecSource(spec.name(),
        spec.location(), spec.serverUrl().filter(u -> u.startsWith("http")).orElse("http://localhost/"))), List.of())
        .withSkills(new SkillsConfig(SkillsConfig.Mode.ON, StoreLocation.sqlite(dataDir)));
    Sandbox unused = new Sandbox() {
      @Override
      public CompletableFuture<ExecutionResult> execute(ExecutionRequest request, HostBridge bridge) {
        throw new UnsupportedOperationException("tools/list only");
      }

      @Override
      public void close() {}
    };
    try (Codemode app = Codemode.builder(config).specs(src -> spec).searchIndex(NaiveIndex::new).sandbox(unused)
        .build()) {
      CodemodeTools tools = app.tools();
      return rpcResult(new McpSchema.ListToolsResult(List.of(tools.searchTool(), tools.executeTool()), null));
    } catch (ConfigException e) {
      throw new IllegalStateException(e);
    } finally {
      try {
        Env.deleteTree(dataDir);
      } catch (IOException e) {
        // a temporary directory left behind is harmless
      }
    }
  }


  /** {@code {"jsonrpc":"2.0","id":1,"result":...}} as the SDK serialises it. */
  static String rpcResult(Object result) {
    try {
      return McpJsonDefaults.getMapper().writeValueAsString(
          new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION, 1, result, null));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  CodemodeTools tools() {
    return tools;
  }

  /** False when the branch's {@code SearchIndex.build} is still a stub and a naive substring index stands in. */
  boolean realSearch() {
    return realSearch;
  }

  @Override
  public void close() throws Exception {
    closer.close();
  }

  /** Substring match on operationId and summary: a stand-in so execute and tools/list work without the real index. */
  record NaiveIndex(List<ApiSpec> specs) implements SearchIndex {
    @Override
    public List<SearchHit> search(SearchQuery q) {
      return specs.get(0).operations().stream()
          .filter(o -> (o.operationId() + " " + o.summary()).toLowerCase().contains(q.text().toLowerCase()))
          .limit(q.limit()).map(o -> new SearchHit(o, 1)).toList();
    }

    @Override
    public void close() {}
  }
}
