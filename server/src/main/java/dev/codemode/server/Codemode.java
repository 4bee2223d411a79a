package dev.codemode.server;

import dev.codemode.isolate.Sandbox;
import dev.codemode.isolate.Sandboxes;
import dev.codemode.server.config.ConfigException;
import dev.codemode.server.config.PolicyConfig;
import dev.codemode.server.config.Secret;
import dev.codemode.server.config.ServerConfig;
import dev.codemode.server.config.SkillsConfig;
import dev.codemode.server.config.Version;
import dev.codemode.demo.DemoApi;
import dev.codemode.server.skills.JdbcSkillStore;
import dev.codemode.server.skills.SkillStoreException;
import dev.codemode.server.skills.Skills;
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
import dev.codemode.spec.SearchWarmup;
import dev.codemode.spec.SecurityScheme;
import dev.codemode.spec.SpecException;
import dev.codemode.spec.SpecLoader;
import dev.codemode.server.transport.ServerDefinition;
import io.modelcontextprotocol.spec.McpSchema;
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
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Codemode instance: the parsed specs, the search index, the sandbox, the upstream gateways and the two
 * tools, assembled once from a {@link ServerConfig} by the one {@link Builder} (the command line, the benchmarks and
 * the tests all use it, overriding only what they must). {@link #definition()} is what a transport serves.
 * Thread-safe; close it to stop the sandbox, the demo API and the HTTP pool.
 *
 * <pre>{@code
 * try (Codemode app = Codemode.start(config)) {
 *   StdioTransport.serve(app.definition(), System.in, System.out, true);
 * }
 * }</pre>
 */
public final class Codemode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Codemode.class);
  public static final String NAME = "codemode";
  public static final String VERSION = Version.VALUE;
  static final String INSTRUCTIONS = "Use search to find operations, then execute to run a short script that calls "
      + "them and returns only the answer.";

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
  public static Codemode start(ServerConfig config) throws ConfigException {
    return builder(config).build();
  }

  /** The one way to assemble Codemode; each override replaces one part and leaves the rest as {@link #start} has it. */
  public static Builder builder(ServerConfig config) {
    return new Builder(config);
  }

  /** Loads one spec; the default reads {@link ServerConfig.SpecSource#location()}. */
  @FunctionalInterface
  public interface SpecSupplier {
    ApiSpec load(ServerConfig.SpecSource source) throws SpecException;
  }

  /**
   * Assembles a {@link Codemode}. Not thread-safe; use once.
   *
   * <pre>{@code
   * Codemode app = Codemode.builder(config).searchIndex(NaiveIndex::new).sandbox(fake).build();
   * }</pre>
   */
  public static final class Builder {
    private final ServerConfig config;
    /** Null: {@link SpecLoader} with the spec cache under the search cache dir. */
    private SpecSupplier specs;
    private Function<List<ApiSpec>, SearchIndex> searchIndex;
    private Sandbox sandbox;

    private Builder(ServerConfig config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /** Where the specs come from (default: {@link SpecLoader} on each source's location). */
    public Builder specs(SpecSupplier supplier) {
      this.specs = Objects.requireNonNull(supplier, "supplier");
      return this;
    }

    /** The search index over the loaded specs (default: lexical at once, hybrid when warmed up). */
    public Builder searchIndex(Function<List<ApiSpec>, SearchIndex> factory) {
      this.searchIndex = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /** The sandbox to run scripts in (default: {@code Sandboxes.create(config.sandbox())}); closed with the app. */
    public Builder sandbox(Sandbox s) {
      this.sandbox = Objects.requireNonNull(s, "sandbox");
      return this;
    }

    /** Starts the demo API when configured, then assembles everything else; on failure nothing is left running. */
    public Codemode build() throws ConfigException {
      DemoApi demo = null;
      ServerConfig cfg = config;
      if (config.demo()) {
        demo = DemoApi.start("127.0.0.1", 0, DemoApi.DEFAULT_TOKEN);
        try {
          cfg = withDemo(config, demo);
        } catch (IOException e) {
          demo.close();
          throw new ConfigException("cannot write the demo spec to a temporary file: " + e.getMessage());
        }
      }
      try {
        return assemble(cfg, demo, this);
      } catch (ConfigException | RuntimeException e) {
        if (demo != null) {
          demo.close();
        }
        throw e;
      }
    }
  }

  private static ServerConfig withDemo(ServerConfig cfg, DemoApi demo) throws IOException {
    Path specFile = Files.createTempFile("codemode-demo-", ".json");
    specFile.toFile().deleteOnExit();
    Files.writeString(specFile, demo.openApiJson(), StandardCharsets.UTF_8);
    List<ServerConfig.SpecSource> specs = new ArrayList<>();
    String name = cfg.specs().isEmpty() ? "api" : "demo";
    specs.add(new ServerConfig.SpecSource(name, specFile.toString(), demo.baseUrl().toString()));
    specs.addAll(cfg.specs());
    List<ServerConfig.AuthBinding> auth = new ArrayList<>(cfg.auth());
    auth.add(new ServerConfig.AuthBinding(name, "bearerAuth", Secret.of("demo", demo.token())));
    LOG.info("demo API listening at {}", demo.baseUrl());
    return cfg.withSpecsAndAuth(specs, auth);
  }

  private static Codemode assemble(ServerConfig config, DemoApi demo, Builder parts) throws ConfigException {
    long t0 = System.nanoTime();
    // The skill store (connection pool, migrations: ~1 s of class loading) opens while the specs load.
    SkillsConfig skillsConfig = config.skills();
    CompletableFuture<JdbcSkillStore> store = skillsConfig.mode() == SkillsConfig.Mode.OFF ? null
        : CompletableFuture.supplyAsync(() -> JdbcSkillStore.open(skillsConfig.store()),
            r -> daemon(r, "codemode-start"));
    List<ApiSpec> specs = new ArrayList<>();
    try {
      for (ServerConfig.SpecSource s : config.specs()) {
        ApiSpec spec = parts.specs != null ? parts.specs.load(s) : SpecLoader.load(s.name(), s.location(),
            isDemo(s, demo) ? null : config.search().cacheDir()); // the demo's spec is new each start: not cached
        spec.warnings().forEach(w -> LOG.warn("spec {}: {}", s.name(), w));
        specs.add(spec);
      }
    } catch (SpecException e) {
      closeWhenOpen(store);
      throw new ConfigException(e.getMessage());
    } catch (RuntimeException e) {
      closeWhenOpen(store);
      throw e;
    }
    LOG.info("loaded {} spec(s), {} operations in {} ms", specs.size(),
        specs.stream().mapToInt(x -> x.operations().size()).sum(), (System.nanoTime() - t0) / 1_000_000);
    try {
      return assemble(config, demo, parts, specs, store);
    } catch (ConfigException | RuntimeException e) {
      closeWhenOpen(store); // closing the pool twice is harmless
      throw e;
    }
  }

  private static Codemode assemble(ServerConfig config, DemoApi demo, Builder parts, List<ApiSpec> specs,
      CompletableFuture<JdbcSkillStore> store) throws ConfigException {
    SkillsConfig skillsConfig = config.skills();
    Redactor redactor = new Redactor();
    UpstreamClient http = new UpstreamClient(UpstreamClient.Settings.defaults());
    OAuth2Tokens tokens = new OAuth2Tokens(http, redactor);
    PolicyConfig p = config.policy();
    Policy policy = new Policy(p.allowWrites(), p.readOnly(), p.allow(), p.deny());
    Map<String, ApiGateway> gateways = new LinkedHashMap<>();
    for (int i = 0; i < specs.size(); i++) {
      ApiSpec spec = specs.get(i);
      ServerConfig.SpecSource src = config.specs().get(i);
      URI base = baseUrl(spec, src);
      Credentials creds = credentials(config, spec, i == 0, tokens, redactor);
      gateways.put(spec.name(), new ApiGateway(spec, base, creds, http, redactor, policy));
      LOG.info("API '{}' ({}): {} operations at {}", spec.name(), spec.title(), spec.operations().size(), base);
    }
    // Opened before anything starts threads or worker processes, so a bad path leaves nothing running.
    AuditLog audit = null;
    if (config.auditLog() != null) {
      try {
        audit = AuditLog.open(config.auditLog(), redactor);
      } catch (IOException e) {
        http.close();
        throw new ConfigException("cannot open --audit-log " + config.auditLog() + ": " + e.getMessage());
      }
    }
    Skills skills = null;
    if (store != null) {
      try {
        skills = new Skills(store.join(), skillsConfig.mode(), specs);
      } catch (java.util.concurrent.CompletionException e) {
        closeQuietly(audit);
        http.close();
        if (e.getCause() instanceof SkillStoreException se) {
          throw new ConfigException(se.getMessage());
        }
        throw e.getCause() instanceof RuntimeException re ? re : e;
      }
    }
    // Search is built in the background (SearchWarmup): initialize and tools/list need only the specs, and a search
    // that comes before the lexical index waits for it.
    SearchIndex index = parts.searchIndex != null ? parts.searchIndex.apply(List.copyOf(specs))
        : SearchWarmup.start(specs, config.search(), r -> daemon(r, "codemode-search-warmup"));
    Sandbox sandbox = parts.sandbox != null ? parts.sandbox : Sandboxes.create(config.sandbox());
    CodemodeTools tools = new CodemodeTools(index, gateways, sandbox, prelude(specs), config.limits(), redactor,
        new CodemodeTools.Settings(config.budgets(), p.allowWrites(), p.readOnly()), audit, skills);
    return new Codemode(config, demo, index, sandbox, http, audit, tools, skills);
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void closeWhenOpen(CompletableFuture<JdbcSkillStore> store) {
    if (store != null) {
      store.thenAccept(JdbcSkillStore::close);
    }
  }

  private static boolean isDemo(ServerConfig.SpecSource s, DemoApi demo) {
    return demo != null && demo.baseUrl().toString().equals(s.baseUrl());
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

  /**
   * The schemes of {@code spec} each binding of {@code config} names: a scheme the spec declares, else a kind
   * ({@code bearer}, {@code basic}, {@code header:NAME}, {@code query:NAME}) that maps onto the one declared scheme of
   * that kind or, when the spec declares no scheme at all (as many real specs, GitHub's among them), onto a scheme made
   * for it, which every request then carries.
   */
  private static Credentials credentials(ServerConfig config, ApiSpec spec, boolean first, OAuth2Tokens tokens,
      Redactor redactor) throws ConfigException {
    Map<String, SecurityScheme> schemes = new LinkedHashMap<>(spec.securitySchemes());
    Map<String, Secret> bound = new LinkedHashMap<>();
    for (ServerConfig.AuthBinding b : config.auth()) {
      boolean mine = b.api() == null ? first : b.api().equals(spec.name());
      if (!mine) {
        continue;
      }
      SecurityScheme s = spec.securitySchemes().get(b.scheme());
      SecurityScheme kind = s == null ? kindScheme(b.scheme()) : null;
      if (s == null && kind != null) {
        List<SecurityScheme> same = spec.securitySchemes().values().stream().filter(d -> sameKind(d, kind)).toList();
        s = same.size() == 1 ? same.get(0) : spec.securitySchemes().isEmpty() ? kind : null;
      }
      if (s == null) {
        String declared = spec.securitySchemes().keySet().stream().collect(Collectors.joining(", "));
        throw new ConfigException("--auth " + b.scheme() + ": spec '" + spec.name() + "' declares no security scheme "
            + "named '" + b.scheme() + "'" + (kind != null ? " or of that kind" : "") + "; " + (declared.isEmpty()
                ? "it declares none, so bind a kind: bearer=, basic=, header:NAME= or query:NAME="
                : "it declares: " + declared));
      }
      schemes.put(s.name(), s);
      bound.put(s.name(), b.secret());
    }
    return new Credentials(schemes, bound, headers(config, spec, first), tokens, redactor);
  }

  /** The credential kinds --auth accepts without a declared scheme, as a scheme named after the kind; else null. */
  static SecurityScheme kindScheme(String name) {
    if (name.equals("bearer") || name.equals("basic")) {
      return new SecurityScheme(name, SecurityScheme.Type.HTTP, name, null, null, null);
    }
    int colon = name.indexOf(':');
    String in = colon > 0 ? name.substring(0, colon) : "";
    String param = name.substring(colon + 1);
    if ((in.equals("header") || in.equals("query")) && param.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
      return new SecurityScheme(name, SecurityScheme.Type.API_KEY, null, in, param, null);
    }
    return null;
  }

  private static boolean sameKind(SecurityScheme declared, SecurityScheme kind) {
    if (declared.type() != kind.type()) {
      return false;
    }
    return kind.type() == SecurityScheme.Type.HTTP ? kind.scheme().equals(declared.scheme())
        : kind.in().equals(declared.in()) && kind.paramName().equalsIgnoreCase(declared.paramName());
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

  /** The trusted script prelude ({@code api}, {@code apis}) for these APIs; tests that wire tools by hand use it. */
  public static String prelude(List<ApiSpec> specs) {
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

  /**
   * Completes when the start-up's background work is done: the spec trees parsed and search warmed up (semantic
   * index serving, or given up on); at once with a search index given to the builder.
   */
  public CompletableFuture<Void> warm() {
    CompletableFuture<Void> search = index instanceof SearchWarmup w ? w.upgraded()
        : CompletableFuture.completedFuture(null);
    return search.thenRun(() -> index.specs().forEach(ApiSpec::document));
  }

  /** The demo API when started with --demo. */
  public DemoApi demo() {
    return demo;
  }

  /** What every transport serves: identity, capabilities, instructions, request timeout and the two tools. */
  public ServerDefinition definition() {
    return new ServerDefinition(new McpSchema.Implementation(NAME, VERSION), ServerDefinition.CAPABILITIES,
        INSTRUCTIONS, config.limits().wallTime().plus(Duration.ofSeconds(30)), tools.specifications());
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
