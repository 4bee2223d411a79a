package dev.codemode.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything the server was told at start-up, validated. Immutable; defaults live in {@link CliOptions} only.
 *
 * @param specs          specs to serve, first one is {@code api} in the sandbox
 * @param auth           credential bindings: spec security scheme name to secret reference
 * @param headers        extra headers with secret values, for specs that declare no scheme
 * @param demo           start the embedded demo API and serve its spec
 * @param transport      stdio, sse or http
 * @param execTimeout    wall-time limit of one execute
 * @param maxOutputChars budget of one tool result, in characters of compact JSON
 * @param execMemoryBytes bytes one execution may allocate (garbage included)
 * @param execCpu        CPU time of one execution
 * @param maxStackDepth  JavaScript call depth of one execution
 * @param maxCalls       upstream calls per execution
 * @param maxCallsInFlight upstream calls in flight at once per execution
 */
public record ServerConfig(
    List<SpecSource> specs,
    List<AuthBinding> auth,
    List<HeaderBinding> headers,
    boolean demo,
    String transport,
    String host,
    int port,
    boolean stateless,
    List<Secret> clientTokens,
    Duration execTimeout,
    int maxOutputChars,
    boolean allowWrites,
    boolean readOnly,
    List<String> allowOperations,
    List<String> denyOperations,
    Path auditLog,
    boolean semanticSearch,
    Path cacheDir,
    boolean processIsolation,
    int maxConcurrent,
    long execMemoryBytes,
    int maxCalls,
    int maxCallsInFlight,
    Duration execCpu,
    int maxStackDepth) {

  public ServerConfig {
    specs = List.copyOf(specs);
    auth = List.copyOf(auth);
    headers = List.copyOf(headers);
    clientTokens = List.copyOf(clientTokens);
    allowOperations = List.copyOf(allowOperations);
    denyOperations = List.copyOf(denyOperations);
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(execTimeout, "execTimeout");
  }

  /**
   * One {@code --spec [name=]location}, with an optional {@code --base-url [name=]url} override.
   *
   * @param name API name; "api" when only one unnamed spec is given
   */
  public record SpecSource(String name, String location, String baseUrl) {}

  /**
   * One {@code --auth [api.]scheme=env:VAR}.
   *
   * @param api    API name, or null for the first/only API
   * @param scheme security scheme name as declared in the spec
   * @param secret the resolved secret
   */
  public record AuthBinding(String api, String scheme, Secret secret) {}

  /** One {@code --header Name=env:VAR}: a header added to every request of the API (or of all APIs when api is null). */
  public record HeaderBinding(String api, String name, Secret secret) {}

  /** The same config with another spec list (the demo fills in its own). */
  public ServerConfig withSpecsAndAuth(List<SpecSource> newSpecs, List<AuthBinding> newAuth) {
    return new ServerConfig(newSpecs, newAuth, headers, demo, transport, host, port, stateless, clientTokens,
        execTimeout, maxOutputChars, allowWrites, readOnly, allowOperations, denyOperations, auditLog, semanticSearch,
        cacheDir, processIsolation, maxConcurrent, execMemoryBytes, maxCalls, maxCallsInFlight, execCpu, maxStackDepth);
  }
}
