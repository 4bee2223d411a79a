package dev.codemode.bench;

import dev.codemode.isolate.Limits;
import dev.codemode.isolate.Sandbox;
import dev.codemode.isolate.SandboxConfig;
import dev.codemode.isolate.Sandboxes;
import dev.codemode.server.Codemode;
import dev.codemode.server.config.CliOptions;
import dev.codemode.server.config.ConfigException;
import dev.codemode.server.config.Secret;
import dev.codemode.server.config.ServerConfig;
import dev.codemode.server.tools.CodemodeTools;
import dev.codemode.server.upstream.ApiGateway;
import dev.codemode.server.upstream.Credentials;
import dev.codemode.server.upstream.OAuth2Tokens;
import dev.codemode.server.upstream.Policy;
import dev.codemode.server.upstream.Redactor;
import dev.codemode.server.upstream.UpstreamClient;
import dev.codemode.spec.ApiSpec;
import dev.codemode.spec.SearchHit;
import dev.codemode.spec.SearchIndex;
import dev.codemode.spec.SearchQuery;
import dev.codemode.spec.SpecLoader;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine;

/**
 * Codemode assembled in the benchmark's own JVM from the same command-line flags as the jar, so in-process figures
 * measure the real tools without a transport. Falls back to a hand-assembled instance with a naive search index when
 * the real index is not built yet on this branch ({@link #realSearch()} tells which). Close it.
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

  /** The same assembly as {@code Codemode.start}, with {@link NaiveIndex} instead of the real index. */
  private static InProcess fallback(ServerConfig config) throws ConfigException {
    ServerConfig.SpecSource src = config.specs().get(0);
    ApiSpec spec;
    try {
      spec = SpecLoader.load(src.name(), src.location());
    } catch (dev.codemode.spec.SpecException e) {
      throw new ConfigException(e.getMessage());
    }
    Redactor redactor = new Redactor();
    UpstreamClient http = new UpstreamClient(UpstreamClient.Settings.defaults());
    Map<String, Secret> bound = new java.util.LinkedHashMap<>();
    config.auth().forEach(a -> bound.put(a.scheme(), a.secret()));
    Credentials creds = new Credentials(spec.securitySchemes(), bound, List.of(), new OAuth2Tokens(http, redactor),
        redactor);
    URI base = URI.create(src.baseUrl() != null ? src.baseUrl() : spec.serverUrl().orElseThrow());
    ApiGateway gw = new ApiGateway(spec, base, creds, http, redactor, new Policy(config.allowWrites(),
        config.readOnly(), config.allowOperations(), config.denyOperations()));
    Sandbox sandbox = Sandboxes.create(SandboxConfig.defaults().withProcessIsolated(config.processIsolation())
        .withConcurrency(config.maxConcurrent(), 64));
    Limits limits = Limits.defaults().withWallTime(config.execTimeout());
    CodemodeTools tools = new CodemodeTools(new NaiveIndex(List.of(spec)), Map.of(spec.name(), gw), sandbox,
        prelude(List.of(spec)), limits, redactor,
        new CodemodeTools.Settings(config.maxOutputChars(), config.allowWrites(), config.readOnly()), null);
    return new InProcess(tools, () -> {
      sandbox.close();
      http.close();
    }, false);
  }

  /**
   * The two tool definitions for {@code spec} with the CLI's default settings, without a sandbox or a network: what
   * {@code tools/list} returns for that spec.
   */
  static String toolsListJson(ApiSpec spec) {
    CodemodeTools tools = new CodemodeTools(new NaiveIndex(List.of(spec)), Map.of(), null, "",
        Limits.defaults().withWallTime(Duration.ofSeconds(30)), new Redactor(),
        new CodemodeTools.Settings(100_000, false, false), null);
    return rpcResult(new McpSchema.ListToolsResult(List.of(tools.searchTool(), tools.executeTool()), null));
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

  static String prelude(List<ApiSpec> specs) {
    try (InputStream in = Objects.requireNonNull(Codemode.class.getResourceAsStream("/codemode/prelude.js"))) {
      String names = String.join(",", specs.stream().map(s -> "'" + s.name() + "'").toList());
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("__APIS__", "[" + names + "]");
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
