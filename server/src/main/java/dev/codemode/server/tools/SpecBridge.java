package dev.codemode.server.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.codemode.isolate.HostBridge;
import dev.codemode.spec.json.JsonBudget;
import dev.codemode.spec.ApiSpec;
import dev.codemode.spec.Operation;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The host side of {@code search {code}}: serves read-only look-ups into the indexed specs (the operation list, one
 * operation in detail, any node by JSON pointer), each resolved lazily and under a budget. No network. The operation
 * list of each API is rendered once and cached. Thread-safe.
 */
final class SpecBridge implements HostBridge {
  private final List<ApiSpec> specs;
  private final int budget;
  private final Map<String, String> operationLists = new ConcurrentHashMap<>();

  SpecBridge(List<ApiSpec> specs, int budgetChars) {
    this.specs = specs;
    this.budget = budgetChars;
  }

  @Override
  public CompletionStage<String> call(String function, String argsJson) {
    try {
      JsonNode args = JsonBudget.mapper().readTree(argsJson);
      ApiSpec spec = pick(args.path("api").isTextual() ? args.path("api").asText() : null);
      return CompletableFuture.completedFuture(switch (function) {
        case "operations" -> operationLists.computeIfAbsent(spec.name(), k -> list(spec));
        case "operation" -> spec.detailJson(args.path("operationId").asText(), budget);
        case "node" -> spec.nodeJson(args.path("pointer").asText(), budget).orElseThrow(() ->
            new IllegalArgumentException("no node at " + args.path("pointer").asText()
                + "; pointers look like /components/schemas/Pet"));
        default -> throw new IllegalArgumentException("unknown function " + function);
      });
    } catch (Exception e) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(e.getMessage()));
    }
  }

  private ApiSpec pick(String name) {
    if (name == null) {
      return specs.get(0);
    }
    return specs.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(() ->
        new IllegalArgumentException("unknown api '" + name + "'; available: "
            + String.join(", ", specs.stream().map(ApiSpec::name).toList())));
  }

  private static String list(ApiSpec spec) {
    ArrayNode a = JsonBudget.mapper().createArrayNode();
    for (Operation op : spec.operations()) {
      var o = SearchTool.render(op, false);
      if (!op.tags().isEmpty()) {
        ArrayNode tags = o.putArray("tags");
        op.tags().forEach(tags::add);
      }
      a.add(o);
    }
    return JsonBudget.compact(a);
  }

  /** The prelude defining {@code spec} for search scripts. */
  static String prelude(List<ApiSpec> specs) {
    ArrayNode apis = JsonBudget.mapper().createArrayNode();
    for (ApiSpec s : specs) {
      apis.addObject().put("name", s.name()).put("title", s.title()).put("operations", s.operations().size());
    }
    try (var in = SpecBridge.class.getResourceAsStream("/codemode/search-prelude.js")) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
          .replace("__APIS__", JsonBudget.compact(apis));
    } catch (java.io.IOException | NullPointerException e) {
      throw new IllegalStateException("the search prelude resource is missing from the jar", e);
    }
  }
}
