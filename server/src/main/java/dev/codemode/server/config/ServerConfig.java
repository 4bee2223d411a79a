package dev.codemode.server.config;

import dev.codemode.isolate.Limits;
import dev.codemode.isolate.SandboxConfig;
import dev.codemode.spec.SearchIndex;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything the server was told at start-up, validated: one tree made of each part's own settings record. Every
 * default is written once, in that record's {@code defaults()}; {@link #defaults()} puts them together, and the
 * command line ({@link CliOptions}) starts from it and overrides only what was passed. Immutable; a {@code with...}
 * returns a copy.
 *
 * <pre>{@code
 * ServerConfig c = ServerConfig.defaults().withDemo(true)
 *     .withLimits(Limits.defaults().withWallTime(Duration.ofSeconds(5)));
 * }</pre>
 *
 * @param specs    specs to serve, first one is {@code api} in the sandbox
 * @param auth     credential bindings: a spec's security scheme, or a kind that needs none, to a secret
 * @param headers  extra headers with secret values, for specs that declare no scheme
 * @param demo     start the embedded demo API and serve its spec
 * @param http     the transport and its HTTP settings
 * @param sandbox  the sandbox pool (isolation, concurrency, queue)
 * @param limits   per-execution limits (time, CPU, memory, stack, upstream calls)
 * @param search   search index options (semantic ranking, embedding cache)
 * @param policy   what scripts may call
 * @param budgets  characters of each tool result
 * @param auditLog where one JSON line per execution is appended, or null
 * @param skills   whether scripts may save and reuse skills, and the store (off by default; the CLI turns it on)
 */
public record ServerConfig(
    List<SpecSource> specs,
    List<AuthBinding> auth,
    List<HeaderBinding> headers,
    boolean demo,
    HttpConfig http,
    SandboxConfig sandbox,
    Limits limits,
    SearchIndex.Options search,
    PolicyConfig policy,
    Budgets budgets,
    Path auditLog,
    SkillsConfig skills) {

  public ServerConfig {
    specs = List.copyOf(specs);
    auth = List.copyOf(auth);
    headers = List.copyOf(headers);
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(sandbox, "sandbox");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(search, "search");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(budgets, "budgets");
    Objects.requireNonNull(skills, "skills");
  }

  /** No API yet, and every part at its own defaults. */
  public static ServerConfig defaults() {
    return new ServerConfig(List.of(), List.of(), List.of(), false, HttpConfig.defaults(), SandboxConfig.defaults(),
        Limits.defaults(), SearchIndex.Options.defaults(), PolicyConfig.defaults(), Budgets.defaults(), null,
        SkillsConfig.OFF);
  }

  /**
   * One {@code --spec [name=]location}, with an optional {@code --base-url [name=]url} override.
   *
   * @param name API name; "api" when only one unnamed spec is given
   */
  public record SpecSource(String name, String location, String baseUrl) {}

  /**
   * One {@code --auth [api.]scheme=env:VAR}, or {@code --auth [api.]kind=env:VAR} for a spec that declares no scheme.
   *
   * @param api    API name, or null for the first/only API
   * @param scheme security scheme name as declared in the spec, or a kind ({@code bearer}, {@code basic},
   *               {@code header:NAME}, {@code query:NAME})
   * @param secret the resolved secret
   */
  public record AuthBinding(String api, String scheme, Secret secret) {}

  /** One {@code --header Name=env:VAR}: a header added to every request of the API (or of all APIs when api is null). */
  public record HeaderBinding(String api, String name, Secret secret) {}

  /** The same config with another spec list and credentials (the demo fills in its own). */
  public ServerConfig withSpecsAndAuth(List<SpecSource> newSpecs, List<AuthBinding> newAuth) {
    return new ServerConfig(newSpecs, newAuth, headers, demo, http, sandbox, limits, search, policy, budgets,
        auditLog, skills);
  }

  public ServerConfig withHeaders(List<HeaderBinding> h) {
    return new ServerConfig(specs, auth, h, demo, http, sandbox, limits, search, policy, budgets, auditLog, skills);
  }

  public ServerConfig withDemo(boolean on) {
    return new ServerConfig(specs, auth, headers, on, http, sandbox, limits, search, policy, budgets, auditLog, skills);
  }

  public ServerConfig withHttp(HttpConfig h) {
    return new ServerConfig(specs, auth, headers, demo, h, sandbox, limits, search, policy, budgets, auditLog, skills);
  }

  public ServerConfig withSandbox(SandboxConfig s) {
    return new ServerConfig(specs, auth, headers, demo, http, s, limits, search, policy, budgets, auditLog, skills);
  }

  public ServerConfig withLimits(Limits l) {
    return new ServerConfig(specs, auth, headers, demo, http, sandbox, l, search, policy, budgets, auditLog, skills);
  }

  public ServerConfig withSearch(SearchIndex.Options s) {
    return new ServerConfig(specs, auth, headers, demo, http, sandbox, limits, s, policy, budgets, auditLog, skills);
  }

  public ServerConfig withPolicy(PolicyConfig p) {
    return new ServerConfig(specs, auth, headers, demo, http, sandbox, limits, search, p, budgets, auditLog, skills);
  }

  public ServerConfig withBudgets(Budgets b) {
    return new ServerConfig(specs, auth, headers, demo, http, sandbox, limits, search, policy, b, auditLog, skills);
  }

  public ServerConfig withAuditLog(Path p) {
    return new ServerConfig(specs, auth, headers, demo, http, sandbox, limits, search, policy, budgets, p, skills);
  }

  public ServerConfig withSkills(SkillsConfig s) {
    return new ServerConfig(specs, auth, headers, demo, http, sandbox, limits, search, policy, budgets, auditLog, s);
  }
}
