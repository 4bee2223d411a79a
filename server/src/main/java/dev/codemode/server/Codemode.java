package dev.codemode.server;

import dev.codemode.isolate.Limits;
import dev.codemode.isolate.Sandbox;
import dev.codemode.isolate.SandboxConfig;
import dev.codemode.isolate.Sandboxes;
import dev.codemode.server.config.ConfigException;
import dev.codemode.server.config.Secret;
import dev.codemode.server.config.ServerConfig;
import dev.codemode.server.demo.DemoApi;
import dev.codemode.server.skills.JdbcSkillStore;
import dev.codemode.server.skills.SkillStoreException;
import dev.codemode.server.skills.Skills;
import dev.codemode.server.skills.SkillsOptions;
import dev.codemode.server.tools.AuditLog;
import dev.codemode.server.tools.CodemodeTools;
import dev.codemode.server.upstream.ApiGateway;
import dev.codemode.server.upstream.Credentials;
import dev.codemode.server.upstream.OAuth2Tokens;
import dev.codemode.server.upstream.Policy;
import dev.codemode.server.upstream.Redactor;
import dev.codemode.server.upstream.UpstreamClient;
import dev.codemode.spec.ApiSpec;
import dev.codemode.spec.SearchIndex;
import dev.codemode.spec.SecurityScheme;
import dev.codemode.spec.SpecException;
import dev.codemode.spec.SpecLoader;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Codemode instance: the parsed specs, the search index, the sandbox, the upstream gateways and the two
 * tools, assembled once from a {@link ServerConfig}. Transports attach to it with {@link #mcpServer}. Thread-safe;
 * close it to stop the sandbox, the demo API and the HTTP pool.
 *
 * <pre>{@code
 * try (Codemode app = Codemode.start(config)) {
 *   McpAsyncServer server = app.mcpServer(new StdioServerTransportProvider(McpJsonDefaults.getMapper()));
 * }
 * }</pre>
 */
public final class Codemode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Codemode.class);
  public static final String NAME = "codemode";
  public static final String VERSION = "0.1.0";

  private final ServerConfig config;
  private final DemoApi demo;
  private final SearchIndex index;
  private final Sandbox sandbox;
  private final UpstreamClient http;
  private final AuditLog audit;
  private final CodemodeTools tools;
  private final Skills skills;

  private Codemode(ServerConfig config, DemoApi demo, SearchIndex index, Sandbox sandbox, UpstreamClient http,
      AuditLog audit, CodemodeTools tools, Skills skills) {
    this.skills = skills;
    this.config = config;
    this.demo = demo;
    this.index = index;
    this.sandbox = sandbox;
    this.http = http;
    this.audit = audit;
    this.tools = tools;
  }

  /** Loads and indexes the specs, checks the credential bindings, starts the sandbox. */
  public static Codemode start(ServerConfig cfg) throws ConfigException {
    return start(cfg, SkillsOptions.Config.OFF);
  }

  /** As {@link #start(ServerConfig)}, with skills saved to and found in the given store. */
  public static Codemode start(ServerConfig cfg, SkillsOptions.Config skills) throws ConfigException {
    DemoApi demo = null;
    ServerConfig config = cfg;
    if (cfg.demo()) {
      demo = DemoApi.start("127.0.0.1", 0, DemoApi.DEFAULT_TOKEN);
      try {
        Path specFile = Files.createTempFile("codemode-demo-", ".json");
        specFile.toFile().deleteOnExit();
        Files.writeString(specFile, demo.openApiJson(), StandardCharsets.UTF_8);
        List<ServerConfig.SpecSource> specs = new ArrayList<>();
        String name = cfg.specs().isEmpty() ? "api" : "demo";
        specs.add(new ServerConfig.SpecSource(name, specFile.toString(), demo.baseUrl().toString()));
        specs.addAll(cfg.specs());
        List<ServerConfig.AuthBinding> auth = new ArrayList<>(cfg.auth());
        auth.add(new ServerConfig.AuthBinding(name, "bearerAuth", Secret.of("demo", demo.token())));
        config = cfg.withSpecsAndAuth(specs, auth);
        LOG.info("demo API listening at {}", demo.baseUrl());
      } catch (IOException e) {
        demo.close();
        throw new ConfigException("cannot write the demo spec to a temporary file: " + e.getMessage());
      }
    }
    try {
      return assemble(config, demo, skills);
    } catch (ConfigException | RuntimeException e) {
      if (demo != null) {
        demo.close();
      }
      throw e;
    }
  }

  private static Codemode assemble(ServerConfig config, DemoApi demo, SkillsOptions.Config skillsConfig)
      throws ConfigException {
    long t0 = System.nanoTime();
    List<ApiSpec> specs = new ArrayList<>();
    for (ServerConfig.SpecSource s : config.specs()) {
      try {
        ApiSpec spec = SpecLoader.load(s.name(), s.location());
        spec.warnings().forEach(w -> LOG.warn("spec {}: {}", s.name(), w));
        specs.add(spec);
      } catch (SpecException e) {
        throw new ConfigException(e.getMessage());
      }
    }
    LOG.info("loaded {} spec(s), {} operations in {} ms", specs.size(),
        specs.stream().mapToInt(x -> x.operations().size()).sum(), (System.nanoTime() - t0) / 1_000_000);
    Redactor redactor = new Redactor();
    UpstreamClient http = new UpstreamClient(UpstreamClient.Settings.defaults());
    OAuth2Tokens tokens = new OAuth2Tokens(http, redactor);
    Policy policy = new Policy(config.allowWrites(), config.readOnly(), config.allowOperations(),
        config.denyOperations());
    Map<String, ApiGateway> gateways = new LinkedHashMap<>();
    for (int i = 0; i < specs.size(); i++) {
      ApiSpec spec = specs.get(i);
      ServerConfig.SpecSource src = config.specs().get(i);
      URI base = baseUrl(spec, src);
      Credentials creds = new Credentials(spec.securitySchemes(), bindings(config, spec, i == 0),
          headers(config, spec, i == 0), tokens, redactor);
      gateways.put(spec.name(), new ApiGateway(spec, base, creds, http, redactor, policy));
      LOG.info("API '{}' ({}): {} operations at {}", spec.name(), spec.title(), spec.operations().size(), base);
    }
    // Opened before anything starts threads or worker processes, so a bad path leaves nothing running.
    AuditLog audit = null;
    if (config.auditLog() != null) {
      try {
        audit = AuditLog.open(config.auditLog(), redactor);
      } catch (IOException e) {
        throw new ConfigException("cannot open --audit-log " + config.auditLog() + ": " + e.getMessage());
      }
    }
    Skills skills = null;
    if (skillsConfig.mode() != Skills.Mode.OFF) {
      try {
        skills = new Skills(JdbcSkillStore.open(skillsConfig.store()), skillsConfig.mode(), specs);
      } catch (SkillStoreException e) {
        closeQuietly(audit);
        throw new ConfigException(e.getMessage());
      }
    }
    // The lexical index is built here, before the sandbox starts its worker JVMs: building it in the background
    // instead was measured (3 runs each, GitHub spec, 2 cores) to leave the first tools/list as late and to delay the
    // first search by 1.5 s, because the worker JVMs' start-up already keeps both cores busy.
    long t1 = System.nanoTime();
    SearchIndex index = SearchWarmup.start(specs, SearchIndex.Options.defaults()
        .withSemantic(config.semanticSearch()).withCacheDir(config.cacheDir()));
    LOG.info("lexical search ready in {} ms{}", (System.nanoTime() - t1) / 1_000_000,
        config.semanticSearch() ? "; semantic search is warming up in the background" : "");
    Sandbox sandbox = Sandboxes.create(SandboxConfig.defaults().withProcessIsolated(config.processIsolation())
        .withConcurrency(config.maxConcurrent(), 64));
    Limits limits = Limits.defaults().withWallTime(config.execTimeout())
        .withCpuTime(config.execCpu())
        .withMaxStackDepth(config.maxStackDepth())
        .withMaxAllocatedBytes(config.execMemoryBytes())
        .withMaxHostCalls(config.maxCalls(), config.maxCallsInFlight());
    String prelude = prelude(specs);
    CodemodeTools tools = new CodemodeTools(index, gateways, sandbox, prelude, limits, redactor,
        new CodemodeTools.Settings(config.maxOutputChars(), config.allowWrites(), config.readOnly()), audit, skills);
    return new Codemode(config, demo, index, sandbox, http, audit, tools, skills);
  }

  private static void closeQuietly(AuditLog audit) {
    if (audit != null) {
      try {
        audit.close();
      } catch (IOException e) {
        LOG.debug("audit log close: {}", e.getMessage());
      }
    }
  }

  private static URI baseUrl(ApiSpec spec, ServerConfig.SpecSource src) throws ConfigException {
    String url = src.baseUrl() != null ? src.baseUrl() : spec.serverUrl().orElse(null);
    if (url == null) {
      throw new ConfigException("spec '" + spec.name() + "' (" + spec.location() + ") declares no server URL; "
          + "pass --base-url " + (src.name().equals("api") ? "" : src.name() + "=") + "https://...");
    }
    URI u;
    try {
      u = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("base URL '" + url + "' of spec '" + spec.name() + "' is not a valid URL");
    }
    if (u.getScheme() == null || !u.getScheme().matches("(?i)https?") || u.getHost() == null) {
      throw new ConfigException("base URL '" + url + "' of spec '" + spec.name() + "' must be an absolute http(s) "
          + "URL; pass --base-url");
    }
    return u;
  }

  private static Map<String, Secret> bindings(ServerConfig config, ApiSpec spec, boolean first)
      throws ConfigException {
    Map<String, Secret> out = new LinkedHashMap<>();
    for (ServerConfig.AuthBinding b : config.auth()) {
      boolean mine = b.api() == null ? first : b.api().equals(spec.name());
      if (!mine) {
        continue;
      }
      SecurityScheme s = spec.securitySchemes().get(b.scheme());
      if (s == null) {
        String declared = spec.securitySchemes().keySet().stream().collect(Collectors.joining(", "));
        throw new ConfigException("--auth " + b.scheme() + ": spec '" + spec.name() + "' declares no security scheme "
            + "named '" + b.scheme() + "'; " + (declared.isEmpty()
                ? "it declares none, so use --header 'Name=env:VAR' instead"
                : "it declares: " + declared));
      }
      out.put(b.scheme(), b.secret());
    }
    return out;
  }

  private static List<Map.Entry<String, Secret>> headers(ServerConfig config, ApiSpec spec, boolean first) {
    List<Map.Entry<String, Secret>> out = new ArrayList<>();
    for (ServerConfig.HeaderBinding h : config.headers()) {
      if (h.api() == null ? first || config.specs().size() == 1 : h.api().equals(spec.name())) {
        out.add(Map.entry(h.name(), h.secret()));
      }
    }
    return out;
  }

  static String prelude(List<ApiSpec> specs) {
    try (InputStream in = Codemode.class.getResourceAsStream("/codemode/prelude.js")) {
      String js = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      String names = specs.stream().map(s -> "'" + s.name() + "'").collect(Collectors.joining(",", "[", "]"));
      return js.replace("__APIS__", names);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("the prelude resource is missing from the jar", e);
    }
  }

  public CodemodeTools tools() {
    return tools;
  }

  public ServerConfig config() {
    return config;
  }

  public SearchIndex index() {
    return index;
  }

  /** The demo API when started with --demo. */
  public DemoApi demo() {
    return demo;
  }

  /** Builds the MCP server over a session-based transport (stdio, SSE, Streamable HTTP). */
  public McpAsyncServer mcpServer(McpServerTransportProvider transport) {
    return McpServer.async(transport)
        .serverInfo(NAME, VERSION)
        .jsonMapper(McpJsonDefaults.getMapper())
        .capabilities(serverCapabilities())
        .instructions(instructions())
        .requestTimeout(config.execTimeout().plus(Duration.ofSeconds(30)))
        .tools(tools.specifications())
        .build();
  }

  public static McpSchema.ServerCapabilities serverCapabilities() {
    return McpSchema.ServerCapabilities.builder().tools(false).logging().build();
  }

  public String instructions() {
    return "Use search to find operations, then execute to run a short script that calls them and returns only "
        + "the answer.";
  }

  @Override
  public void close() {
    try {
      sandbox.close();
    } catch (RuntimeException e) {
      LOG.warn("sandbox did not close cleanly: {}", e.getMessage());
    }
    index.close();
    http.close();
    if (audit != null) {
      try {
        audit.close();
      } catch (IOException e) {
        LOG.warn("audit log did not close cleanly: {}", e.getMessage());
      }
    }
    if (skills != null) {
      skills.close();
    }
    if (demo != null) {
      demo.close();
    }
  }

  /** The skills of this instance, or null when off. */
  public Skills skills() {
    return skills;
  }
}
