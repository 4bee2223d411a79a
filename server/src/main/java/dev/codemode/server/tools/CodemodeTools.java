package dev.codemode.server.tools;

import dev.codemode.server.config.SkillsConfig;
import dev.codemode.isolate.Limits;
import dev.codemode.isolate.Sandbox;
import dev.codemode.server.config.Budgets;
import dev.codemode.server.skills.SkillSearch;
import dev.codemode.server.skills.Skills;
import dev.codemode.server.upstream.ApiGateway;
import dev.codemode.server.upstream.Redactor;
import dev.codemode.spec.ApiSpec;
import dev.codemode.spec.SearchIndex;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The two MCP tools, {@code search} and {@code execute}, as tool specifications any transport can serve. Thread-safe;
 * one instance serves every session.
 *
 * <pre>{@code
 * CodemodeTools tools = Codemode.start(config).tools();   // assembled by Codemode.Builder only
 * McpServer.async(transport).tools(tools.specifications()).build();
 * }</pre>
 */
public final class CodemodeTools {

  /**
   * @param budgets     characters of each result
   * @param allowWrites writes run without asking
   * @param readOnly    writes never run
   */
  public record Settings(Budgets budgets, boolean allowWrites, boolean readOnly) {}

  private final List<ApiSpec> specs;
  private final SearchTool search;
  private final ExecuteTool execute;
  private final Settings settings;
  private final Limits limits;
  private final McpJsonMapper mapper = McpJsonDefaults.getMapper();
  private final SpecBridge specBridge;
  private final String specPrelude;
  private final boolean skillsOn;

  public CodemodeTools(SearchIndex index, Map<String, ApiGateway> gateways, Sandbox sandbox, String prelude,
      Limits limits, Redactor redactor, Settings settings, AuditLog audit) {
    this(index, gateways, sandbox, prelude, limits, redactor, settings, audit, null);
  }

  /** With saved skills in both tools ({@code skills} null or off: none). */
  public CodemodeTools(SearchIndex index, Map<String, ApiGateway> gateways, Sandbox sandbox, String prelude,
      Limits limits, Redactor redactor, Settings settings, AuditLog audit, Skills skills) {
    this.specs = index.specs();
    this.settings = settings;
    this.limits = limits;
    this.skillsOn = skills != null && skills.mode() != SkillsConfig.Mode.OFF;
    this.search = new SearchTool(index, settings.budgets().searchChars(), skillsOn ? new SkillSearch(skills) : null);
    this.execute = new ExecuteTool(sandbox, gateways, prelude, limits, redactor, settings.budgets(), audit, skills);
    this.specBridge = new SpecBridge(specs, settings.budgets().searchChars());
    this.specPrelude = SpecBridge.prelude(specs);
  }

  public McpSchema.Tool searchTool() {
    return McpSchema.Tool.builder().name("search").title("Search the API")
        .description(ToolDescriptions.search(specs) + (skillsOn ? ToolDescriptions.SEARCH_SKILLS : ""))
        .inputSchema(ToolDescriptions.searchInput(specs))
        .outputSchema(ToolDescriptions.searchOutput())
        .annotations(new McpSchema.ToolAnnotations("Search the API", true, false, true, false, null))
        .build();
  }

  public McpSchema.Tool executeTool() {
    boolean destructive = settings.allowWrites() || !settings.readOnly();
    return McpSchema.Tool.builder().name("execute").title("Run a script against the API")
        .description(ToolDescriptions.execute(specs, Math.max(1, limits.wallTime().toSeconds()),
            !settings.allowWrites(), settings.readOnly()) + (skillsOn ? ToolDescriptions.EXECUTE_SKILLS : ""))
        .inputSchema(ToolDescriptions.executeInput())
        .outputSchema(ToolDescriptions.executeOutput())
        .annotations(new McpSchema.ToolAnnotations("Run a script against the API", settings.readOnly(),
            destructive && !settings.readOnly(), false, true, null))
        .build();
  }

  public List<McpServerFeatures.AsyncToolSpecification> specifications() {
    return List.of(
        McpServerFeatures.AsyncToolSpecification.builder().tool(searchTool())
            .callHandler((ex, req) -> Mono.deferContextual(cv -> searchAsync(req.arguments(), McpCaller.identity(
                cv.getOrDefault(McpTransportContext.KEY, (McpTransportContext) null), ex))).map(this::toResult))
            .build(),
        McpServerFeatures.AsyncToolSpecification.builder().tool(executeTool())
            .callHandler((ex, req) -> Mono.deferContextual(cv -> execute.run(McpCaller.of(ex, progressToken(req), null,
                cv.getOrDefault(McpTransportContext.KEY, (McpTransportContext) null)), req.arguments()))
                .map(this::toResult))
            .build());
  }

  /** The search tool without MCP, for tests and benchmarks: ranked search, detail, or a script over the spec. */
  public Mono<ToolOutput> searchAsync(Map<String, Object> args) {
    return searchAsync(args, null);
  }

  /** The search tool for one identity (null: the local user), whose skills are ranked with the operations. */
  public Mono<ToolOutput> searchAsync(Map<String, Object> args, String identity) {
    Object code = args == null ? null : args.get("code");
    if (code instanceof String c && !c.isBlank()) {
      return execute.runSpecScript(c, specBridge, specPrelude);
    }
    // Off the caller's thread: a transport subscribes on the thread that reads its requests (stdio has one), and a
    // search is CPU work (the query's embedding) that may also wait for the index or the skill store.
    return Mono.fromCallable(() -> search.run(args, identity)).subscribeOn(Schedulers.boundedElastic())
        .onErrorResume(e -> Mono.just(ToolOutput.error(String.valueOf(e.getMessage()))));
  }

  /** The execute tool without MCP (no progress, no elicitation), for tests and benchmarks. */
  public Mono<ToolOutput> execute(McpAsyncServerExchange exchange, Map<String, Object> args, Object progress) {
    return execute(exchange, args, progress, null);
  }

  /** The execute tool for one identity (null: the local user), whose skills {@code skills.run} finds. */
  public Mono<ToolOutput> execute(McpAsyncServerExchange exchange, Map<String, Object> args, Object progress,
      String identity) {
    return execute.run(McpCaller.of(exchange, progress, identity, null), args);
  }

  /** The execute tool for a {@link Caller} built without MCP. */
  public Mono<ToolOutput> execute(Caller caller, Map<String, Object> args) {
    return execute.run(caller, args);
  }

  private static Object progressToken(McpSchema.CallToolRequest req) {
    return req.meta() == null ? null : req.meta().get("progressToken");
  }

  private McpSchema.CallToolResult toResult(ToolOutput o) {
    return McpSchema.CallToolResult.builder()
        .addTextContent(o.json())
        .structuredContent(mapper, o.json())
        .isError(o.isError())
        .build();
  }
}
