package dev.codemode.server.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import dev.codemode.isolate.Limits;
import dev.codemode.isolate.SandboxConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The command line, as picocli binds it. It writes no default of its own: {@link #toConfig} starts from
 * {@link ServerConfig#defaults()} and overrides only the flags that were passed, and {@code --help} shows the same
 * values ({@link CliHelp.Defaults}). Not thread-safe (picocli fills it once).
 *
 * <pre>{@code
 * CliOptions o = new CliOptions(); new CommandLine(o).parseArgs(args);
 * ServerConfig c = o.toConfig(System.getenv());
 * }</pre>
 */
@Command(name = "codemode-mcp", mixinStandardHelpOptions = true, versionProvider = CliHelp.VersionText.class,
    sortOptions = false, usageHelpWidth = 110,
    description = {"An MCP server that lets an agent use any OpenAPI-described HTTP API through two tools:",
        "search (find operations) and execute (run JavaScript against the API in a sandbox).", ""},
    footer = {"", "Examples:",
        "  java -jar codemode-mcp.jar --demo",
        "  java -jar codemode-mcp.jar --spec tmdb.json --auth api_key=env:TMDB_KEY",
        "  java -jar codemode-mcp.jar --spec github.json --auth bearer=env:GITHUB_TOKEN",
        "  java -jar codemode-mcp.jar --spec gh=github.json --spec stripe=stripe.json "
            + "--auth gh.bearer=env:GH_TOKEN --transport http --port 8080 --client-token env:MCP_TOKEN",
        "  java -jar codemode-mcp.jar skills list|show|rm|export|import|publish   (the saved skills; see skills --help)"})
public final class CliOptions {

  @Option(names = "--spec", paramLabel = "[NAME=]FILE|URL",
      description = "OpenAPI document (JSON or YAML; Swagger 2.0, OpenAPI 3.0/3.1). Repeat for several APIs; "
          + "the first is `api` in scripts, each is also `apis.NAME`.")
  List<String> specs = new ArrayList<>();

  @Option(names = "--base-url", paramLabel = "[NAME=]URL",
      description = "Override the spec's first server URL (default: the spec's, resolved against the spec's location).")
  List<String> baseUrls = new ArrayList<>();

  @Option(names = "--auth", paramLabel = "[NAME.]SCHEME=env:VAR|file:PATH",
      description = "Bind the spec's security scheme SCHEME to a secret. Supports http bearer, http basic "
          + "(value user:password), apiKey in header/query/cookie, oauth2 client credentials (value id:secret). "
          + "SCHEME may instead be a kind, for specs that declare no scheme: bearer, basic, header:NAME or "
          + "query:NAME (e.g. --auth header:X-Api-Key=env:KEY).")
  List<String> auth = new ArrayList<>();

  @Option(names = "--header", paramLabel = "[NAME.]HEADER=env:VAR|file:PATH",
      description = "Add a header with a secret value to every request, for specs that declare no scheme.")
  List<String> headers = new ArrayList<>();

  @Option(names = "--demo", description = "Start the embedded demo API (a store with thousands of records) and "
      + "serve its spec with its credential wired in. No --spec needed.")
  boolean demo;

  @Option(names = "--transport", paramLabel = "stdio|sse|http",
      description = "stdio, sse (legacy HTTP+SSE at /sse), http (Streamable HTTP at /mcp) (default ${DEFAULT-VALUE}).")
  String transport;

  @Option(names = "--host", description = "HTTP bind address (default ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", description = "HTTP port, 0 for any (default ${DEFAULT-VALUE}).")
  Integer port;

  @Option(names = "--stateless", description = "Streamable HTTP without sessions, for several instances behind a "
      + "load balancer.")
  boolean stateless;

  @Option(names = "--client-token", paramLabel = "[NAME=]env:VAR|file:PATH",
      description = "HTTP clients must send Authorization: Bearer <token>. Repeatable. Required to bind a "
          + "non-loopback address. NAME (default: the variable's or file's name) is the client's identity.")
  List<String> clientTokens = new ArrayList<>();

  @Mixin
  HttpFlags httpFlags = new HttpFlags();

  @Option(names = "--exec-timeout", paramLabel = "DURATION",
      description = "Wall-time limit of one execute, e.g. 5s, 2m (default ${DEFAULT-VALUE}).")
  String execTimeout;

  @Option(names = "--exec-cpu", paramLabel = "DURATION",
      description = "CPU-time limit of one execute (default: the wall-time limit, at most ${DEFAULT-VALUE}).")
  String execCpu;

  @Option(names = "--max-stack-depth", paramLabel = "N",
      description = "JavaScript call depth of one execute (default ${DEFAULT-VALUE}).")
  Integer maxStackDepth;

  @Option(names = "--exec-memory", paramLabel = "SIZE",
      description = "Bytes one execution may allocate, garbage included, e.g. 512m, 2g (default ${DEFAULT-VALUE}).")
  String execMemory;

  @Option(names = "--max-calls", paramLabel = "N",
      description = "Upstream calls one execution may make (default ${DEFAULT-VALUE}).")
  Integer maxCalls;

  @Option(names = "--max-parallel-calls", paramLabel = "N",
      description = "Upstream calls one execution may have in flight at once (default ${DEFAULT-VALUE}).")
  Integer maxParallelCalls;

  @Option(names = "--max-output", paramLabel = "CHARS",
      description = "Budget of one tool result in characters of compact JSON; larger results are cut, "
          + "still valid JSON (default ${DEFAULT-VALUE}).")
  Integer maxOutputChars;

  @Option(names = "--allow-writes", description = "Let scripts send POST, PUT, PATCH and DELETE without asking.")
  boolean allowWrites;

  @Option(names = "--read-only", description = "Refuse every write, even with a human's confirmation.")
  boolean readOnly;

  @Option(names = "--allow-operation", paramLabel = "OPERATION_ID|tag:TAG",
      description = "Only these operations may be called (repeatable).")
  List<String> allowOperations = new ArrayList<>();

  @Option(names = "--deny-operation", paramLabel = "OPERATION_ID|tag:TAG",
      description = "These operations may never be called (repeatable).")
  List<String> denyOperations = new ArrayList<>();

  @Option(names = "--audit-log", paramLabel = "PATH", description = "Append one JSON line per execution here.")
  Path auditLog;

  @Option(names = "--no-semantic", description = "Lexical search only: do not load the embedding model "
      + "(saves ~180 MB on tiny machines).")
  boolean noSemantic;

  @Option(names = "--cache-dir", paramLabel = "DIR", description = "Where parsed specs and indexes are cached "
      + "(default ${DEFAULT-VALUE}).")
  Path cacheDir;

  @Option(names = "--isolation", paramLabel = "process|in-process",
      description = "Run scripts in a pool of small worker JVMs (process, the safer default: a script that "
          + "defeats every limit can only kill its own worker) or in this JVM (in-process) (default ${DEFAULT-VALUE}).")
  String isolation;

  @Option(names = "--max-concurrent", paramLabel = "N",
      description = "Executions running at once (with process isolation: worker JVMs of ~170 MB each); more wait "
          + "in a bounded queue. Default: the number of cores, between 2 and 4 (${DEFAULT-VALUE} here).")
  Integer maxConcurrent;

  // Skills (#13): --skills, --data-dir, --store, --store-user, --store-password, shared with `codemode-mcp skills`.
  @Mixin
  SkillsFlags skills = new SkillsFlags();

  @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "warn",
      description = "error, warn (default), info or debug; logs go to stderr.")
  String logLevel;

  /** The log level to set before any logger is created. */
  public String logLevel() throws ConfigException {
    String l = logLevel.toLowerCase(Locale.ROOT);
    if (!Set.of("error", "warn", "info", "debug", "trace").contains(l)) {
      throw new ConfigException("--log-level must be error, warn, info or debug, not '" + logLevel + "'");
    }
    return l;
  }

  /** Validates, resolves secrets, and lays what was passed over {@link ServerConfig#defaults()}. */
  public ServerConfig toConfig(Map<String, String> env) throws ConfigException {
    ServerConfig d = ServerConfig.defaults();
    if (specs.isEmpty() && !demo) {
      throw new ConfigException("no API given: pass --spec FILE|URL (or --demo to try the embedded demo API)");
    }
    String t = transport == null ? d.http().transport() : transport.toLowerCase(Locale.ROOT);
    if (!Set.of("stdio", "sse", "http").contains(t)) {
      throw new ConfigException("--transport must be stdio, sse or http, not '" + transport + "'");
    }
    if (allowWrites && readOnly) {
      throw new ConfigException("--allow-writes and --read-only contradict each other; pass one");
    }
    String bindHost = host == null ? d.http().host() : host;
    int bindPort = port == null ? d.http().port() : port;
    if (bindPort < 0 || bindPort > 65535) {
      throw new ConfigException("--port must be between 0 and 65535, not " + bindPort);
    }
    Budgets budgets = d.budgets();
    if (maxOutputChars != null) {
      if (maxOutputChars < 1000) {
        throw new ConfigException("--max-output must be at least 1000 characters, not " + maxOutputChars);
      }
      budgets = budgets.withMaxOutputChars(maxOutputChars);
    }
    if (maxConcurrent != null && maxConcurrent < 0) {
      throw new ConfigException("--max-concurrent must be at least 1, not " + maxConcurrent);
    }
    if (maxStackDepth != null && (maxStackDepth < 50 || maxStackDepth > 100_000)) {
      throw new ConfigException("--max-stack-depth must be between 50 and 100000, not " + maxStackDepth);
    }
    if ((maxCalls != null && maxCalls < 1) || (maxParallelCalls != null && maxParallelCalls < 1)) {
      throw new ConfigException("--max-calls and --max-parallel-calls must be at least 1");
    }
    Limits limits = limits(d.limits());
    if (isolation != null && !Set.of("process", "in-process").contains(isolation)) {
      throw new ConfigException("--isolation must be process or in-process, not '" + isolation + "'");
    }
    SandboxConfig sandbox = d.sandbox();
    if (isolation != null) {
      sandbox = sandbox.withProcessIsolated(isolation.equals("process"));
    }
    if (maxConcurrent != null && maxConcurrent > 0) {
      sandbox = sandbox.withConcurrency(maxConcurrent, sandbox.maxQueued());
    }
    List<ServerConfig.SpecSource> sources = parseSpecs();
    List<ServerConfig.AuthBinding> bindings = new ArrayList<>();
    for (String a : auth) {
      String[] kv = splitOnce(a, "--auth", "SCHEME=env:VAR");
      String[] scoped = scope(kv[0]);
      bindings.add(new ServerConfig.AuthBinding(scoped[0], scoped[1], Secret.resolve(kv[1], env)));
    }
    List<ServerConfig.HeaderBinding> hdrs = new ArrayList<>();
    for (String h : headers) {
      String[] kv = splitOnce(h, "--header", "Header-Name=env:VAR");
      String[] scoped = scope(kv[0]);
      if (!scoped[1].matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
        throw new ConfigException("--header name '" + scoped[1] + "' is not a valid HTTP header name");
      }
      hdrs.add(new ServerConfig.HeaderBinding(scoped[0], scoped[1], Secret.resolve(kv[1], env)));
    }
    List<Secret> tokens = new ArrayList<>();
    for (String c : clientTokens) {
      // NAME=env:VAR names the client (its skills are its own); the secret keeps NAME= in its source.
      java.util.regex.Matcher named = java.util.regex.Pattern.compile("([A-Za-z0-9_.-]{1,64})=((env|file):.*)")
          .matcher(c);
      tokens.add(named.matches() ? Secret.resolve(named.group(2), env).named(c) : Secret.resolve(c, env));
    }
    if (!t.equals("stdio") && tokens.isEmpty() && !HttpConfig.isLoopback(bindHost)) {
      throw new ConfigException("--host " + bindHost + " is not a loopback address, so anyone on the network could "
          + "call the API with your credentials; pass --client-token env:VAR (clients then send Authorization: "
          + "Bearer) or bind --host 127.0.0.1");
    }
    if (stateless && !t.equals("http")) {
      throw new ConfigException("--stateless applies to --transport http only, not " + t);
    }
    if (auditLog != null && auditLog.getParent() != null && !Files.isDirectory(auditLog.getParent())) {
      throw new ConfigException("--audit-log directory " + auditLog.getParent() + " does not exist");
    }
    HttpConfig http = httpFlags.apply(d.http().withTransport(t).withBind(bindHost, bindPort).withStateless(stateless)
        .withClientTokens(tokens));
    return d.withSpecsAndAuth(sources, bindings).withHeaders(hdrs).withDemo(demo).withHttp(http)
        .withSandbox(sandbox).withLimits(limits)
        .withSearch(d.search().withSemantic(!noSemantic).withCacheDir(cacheDir != null ? cacheDir : d.search().cacheDir()))
        .withPolicy(new PolicyConfig(allowWrites, readOnly, allowOperations, denyOperations))
        .withBudgets(budgets).withAuditLog(auditLog).withSkills(skills.toConfig(env));
  }

  /** The execution limits: the defaults with the flags that were passed. The CPU limit follows a shorter wall time. */
  private Limits limits(Limits d) throws ConfigException {
    Limits l = d;
    if (execTimeout != null) {
      l = l.withWallTime(parseDuration(execTimeout, "--exec-timeout"));
    }
    Duration cpu = execCpu != null ? parseDuration(execCpu, "--exec-cpu")
        : l.wallTime().compareTo(d.cpuTime()) < 0 ? l.wallTime() : d.cpuTime();
    l = l.withCpuTime(cpu);
    if (maxStackDepth != null) {
      l = l.withMaxStackDepth(maxStackDepth);
    }
    if (execMemory != null) {
      l = l.withMaxAllocatedBytes(parseSize(execMemory));
    }
    return l.withMaxHostCalls(maxCalls != null ? maxCalls : d.maxHostCalls(),
        maxParallelCalls != null ? maxParallelCalls : d.maxHostCallsInFlight());
  }

  private List<ServerConfig.SpecSource> parseSpecs() throws ConfigException {
    List<String[]> named = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    for (String s : specs) {
      int eq = s.indexOf('=');
      String name = "api";
      String loc = s;
      // NAME=location, but not a URL with a query string (http://x?a=b) or a Windows path.
      if (eq > 0 && s.substring(0, eq).matches("[A-Za-z_][A-Za-z0-9_]*")) {
        name = s.substring(0, eq);
        loc = s.substring(eq + 1);
      } else if (specs.size() > 1) {
        throw new ConfigException("with several --spec options each needs a name: --spec NAME=" + s);
      }
      if (!names.add(name)) {
        throw new ConfigException("two --spec options are named '" + name + "'; names must be unique");
      }
      if (!loc.matches("(?i)https?://.*") && !loc.startsWith("file:") && !Files.isReadable(Path.of(loc))) {
        throw new ConfigException("--spec file " + loc + " does not exist or cannot be read");
      }
      named.add(new String[] {name, loc});
    }
    List<ServerConfig.SpecSource> out = new ArrayList<>();
    for (String[] n : named) {
      out.add(new ServerConfig.SpecSource(n[0], n[1], baseUrlFor(n[0], out.isEmpty())));
    }
    for (String b : baseUrls) {
      int eq = b.indexOf('=');
      if (eq > 0 && !b.substring(0, eq).contains(":") && !names.contains(b.substring(0, eq))) {
        throw new ConfigException("--base-url names API '" + b.substring(0, eq) + "', but no --spec has that name");
      }
    }
    return out;
  }

  private String baseUrlFor(String name, boolean first) throws ConfigException {
    String found = null;
    for (String b : baseUrls) {
      int eq = b.indexOf('=');
      boolean scoped = eq > 0 && !b.substring(0, eq).contains(":");
      String url = scoped ? b.substring(eq + 1) : b;
      if ((scoped && b.substring(0, eq).equals(name)) || (!scoped && first)) {
        if (!url.matches("(?i)https?://[^/\\s]+.*")) {
          throw new ConfigException("--base-url '" + url + "' must be an absolute http(s) URL");
        }
        found = url;
      }
    }
    return found;
  }

  private static String[] splitOnce(String s, String flag, String form) throws ConfigException {
    int eq = s.indexOf('=');
    if (eq <= 0 || eq == s.length() - 1) {
      throw new ConfigException(flag + " '" + s + "' must look like " + form);
    }
    return new String[] {s.substring(0, eq), s.substring(eq + 1)};
  }

  /** "gh.bearer" to {"gh", "bearer"}; "bearer" to {null, "bearer"}. */
  private static String[] scope(String key) {
    int dot = key.indexOf('.');
    return dot > 0 ? new String[] {key.substring(0, dot), key.substring(dot + 1)} : new String[] {null, key};
  }

  static long parseSize(String s) throws ConfigException {
    String v = s.trim().toLowerCase(Locale.ROOT);
    long unit = 1;
    if (v.endsWith("k")) {
      unit = 1L << 10;
    } else if (v.endsWith("m")) {
      unit = 1L << 20;
    } else if (v.endsWith("g")) {
      unit = 1L << 30;
    }
    try {
      long n = Long.parseLong(unit == 1 ? v : v.substring(0, v.length() - 1)) * unit;
      if (n < (16L << 20)) {
        throw new ConfigException("--exec-memory must be at least 16m, not " + s);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ConfigException("--exec-memory '" + s + "' is not a size; write e.g. 512m or 2g");
    }
  }

  static Duration parseDuration(String s, String flag) throws ConfigException {
    String v = s.trim().toLowerCase(Locale.ROOT);
    try {
      Duration d;
      if (v.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      } else if (v.endsWith("s")) {
        d = Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
      } else if (v.endsWith("m")) {
        d = Duration.ofSeconds(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 60));
      } else if (v.endsWith("h")) {
        d = Duration.ofSeconds(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 3600));
      } else if (v.startsWith("pt")) {
        d = Duration.parse(v);
      } else {
        throw new NumberFormatException();
      }
      if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofHours(1)) > 0) {
        throw new ConfigException(flag + " must be between 1ms and 1h, not " + s);
      }
      return d;
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new ConfigException(flag + " '" + s + "' is not a duration; write e.g. 500ms, 5s or 2m");
    }
  }
}
