package dev.codemode.server.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codemode.spec.json.JsonBudget;
import dev.codemode.server.skills.SkillSearch;
import dev.codemode.server.skills.Skills;
import dev.codemode.spec.ApiSpec;
import dev.codemode.spec.Area;
import dev.codemode.spec.Operation;
import dev.codemode.spec.SearchHit;
import dev.codemode.spec.SearchIndex;
import dev.codemode.spec.SearchQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code search} tool: ranked operations from the index, or one operation in detail, rendered as compact JSON under
 * a budget. No sandbox, no network. Thread-safe.
 *
 * <pre>{@code
 * ToolOutput out = new SearchTool(index, 8_000).run(Map.of("query", "list open orders"));
 * }</pre>
 */
final class SearchTool {
  static final int DEFAULT_LIMIT = 8;
  private final SearchIndex index;
  private final int budget;
  private final SkillSearch skills;

  SearchTool(SearchIndex index, int budgetChars) {
    this(index, budgetChars, null);
  }

  /** With saved skills ranked among the operations ({@code skills} null: none). */
  SearchTool(SearchIndex index, int budgetChars, SkillSearch skills) {
    this.index = index;
    this.budget = budgetChars;
    this.skills = skills;
  }

  ToolOutput run(Map<String, Object> args) {
    return run(args, null);
  }

  /** @param identity who searches, for their skills (null: the local user) */
  ToolOutput run(Map<String, Object> args, String identity) {
    String owner = identity != null ? identity : Skills.localUser();
    String detail = Args.string(args, "detail");
    if (skills != null && detail != null && detail.startsWith(SkillSearch.DETAIL_PREFIX)) {
      return ToolOutput.json(skills.detail(owner, detail), budget);
    }
    String api = Args.string(args, "api");
    if (api != null && index.specs().stream().noneMatch(s -> s.name().equals(api))) {
      return ToolOutput.error("unknown api '" + api + "'; available: " + names());
    }
    if (detail != null) {
      return detail(detail, api);
    }
    String query = Args.string(args, "query");
    String area = Args.string(args, "area");
    if ((query == null || query.isBlank()) && area == null || Boolean.TRUE.equals(args.get("areas"))) {
      return areas(api);
    }
    if (area != null && index.specs().stream().filter(s -> api == null || s.name().equals(api))
        .flatMap(s -> s.areas().stream()).noneMatch(a -> a.name().equalsIgnoreCase(area))) {
      return ToolOutput.error("unknown area '" + area + "'; search {\"areas\": true} lists them");
    }
    int limit = Args.integer(args, "limit", DEFAULT_LIMIT);
    if (limit < 1 || limit > 50) {
      return ToolOutput.error("limit must be between 1 and 50, was " + limit);
    }
    SearchQuery q = new SearchQuery(query == null ? "" : query, limit, api, Args.string(args, "tag"),
        Args.string(args, "method"), area);
    List<SearchHit> hits = index.search(q);
    ObjectNode out = JsonBudget.mapper().createObjectNode();
    ArrayNode results = out.putArray("results");
    boolean many = index.specs().size() > 1;
    List<ObjectNode> ranked = new ArrayList<>();
    for (SearchHit h : hits) {
      ObjectNode r = render(h.operation(), many).put("kind", "operation");
      if (!h.variants().isEmpty()) {
        r.putPOJO("variants", h.variants().stream().map(Operation::operationId).toList());
      }
      ranked.add(r);
    }
    results.addAll(skills == null ? ranked : skills.merge(owner, query, api, limit, ranked));
    index.note().ifPresent(n -> out.put("note", n));
    if (hits.isEmpty()) {
      out.put("hint", "Nothing matched. Try other or fewer words, drop the filters, or describe the goal "
          + "(e.g. 'remove a user from a team').");
    } else if (index.weak(q)) {
      out.put("hint", "Weak matches: none of these fits the query well, so the API may not do this. Try the API's own"
          + " words or other filters before calling one. Nearest areas: " + nearestAreas(hits) + ".");
    } else {
      out.put("hint", "Call with api.call(operationId, args). For schemas: search {detail: operationId}.");
    }
    return ToolOutput.json(out, budget);
  }

  /** The API's areas (tags, or path groups), compactly: {"areas": [{name, operations, summary}]}. */
  private ToolOutput areas(String api) {
    ObjectNode out = JsonBudget.mapper().createObjectNode();
    ArrayNode areas = out.putArray("areas");
    boolean many = index.specs().size() > 1;
    for (ApiSpec spec : index.specs()) {
      if (api != null && !spec.name().equals(api)) {
        continue;
      }
      for (Area a : spec.areas()) {
        ObjectNode o = areas.addObject();
        if (many) {
          o.put("api", spec.name());
        }
        o.put("name", a.name()).put("operations", a.operations());
        if (!a.summary().isEmpty()) {
          o.put("summary", a.summary());
        }
      }
    }
    out.put("hint", "Search inside one: {\"query\": \"...\", \"area\": NAME}.");
    if (out.toString().length() > budget) { // many areas: names and sizes first, summaries only if they fit
      areas.forEach(a -> ((ObjectNode) a).remove("summary"));
    }
    return ToolOutput.json(out, budget);
  }

  /** Areas of the hits, best first (at most 3), for a weak match's hint. */
  private static String nearestAreas(List<SearchHit> hits) {
    java.util.Set<String> names = new java.util.LinkedHashSet<>();
    for (SearchHit h : hits) {
      names.addAll(Area.of(h.operation()));
    }
    return String.join(", ", names.stream().limit(3).toList());
  }

  private ToolOutput detail(String operationId, String api) {
    List<String> misses = new ArrayList<>();
    for (ApiSpec spec : index.specs()) {
      if (api != null && !spec.name().equals(api)) {
        continue;
      }
      if (spec.operation(operationId).isPresent()) {
        try {
          JsonNode node = JsonBudget.mapper().readTree(spec.detailJson(operationId, budget - 200));
          ObjectNode out = JsonBudget.mapper().createObjectNode();
          if (index.specs().size() > 1) {
            out.put("api", spec.name());
          }
          out.set("operation", node);
          return ToolOutput.json(out, budget);
        } catch (java.io.IOException e) {
          return ToolOutput.error("the detail view of " + operationId + " could not be rendered");
        }
      }
      try {
        spec.detailJson(operationId, 100);
      } catch (IllegalArgumentException e) {
        misses.add(e.getMessage());
      }
    }
    return ToolOutput.error(misses.isEmpty() ? "no operation '" + operationId + "'" : String.join(" ", misses)
        + " Use search with plain words to find operationIds.");
  }

  static ObjectNode render(Operation op, boolean withApi) {
    ObjectNode o = JsonBudget.mapper().createObjectNode();
    if (withApi) {
      o.put("api", op.api());
    }
    o.put("operationId", op.operationId());
    o.put("method", op.method());
    o.put("path", op.path());
    String summary = op.summary().isEmpty() ? firstSentence(op.description()) : op.summary();
    o.put("summary", summary);
    List<String> params = new ArrayList<>();
    for (Operation.Parameter p : op.parameters()) {
      if (p.in().equals("header") || p.in().equals("cookie")) {
        continue;
      }
      params.add(p.name() + (p.required() ? "" : "?") + shortType(p.type()));
    }
    if (op.requestBody() != null) {
      List<String> fields = op.requestBody().fieldNames();
      params.add("body" + (op.requestBody().required() ? "" : "?") + (fields.isEmpty() ? ""
          : "{" + String.join(",", fields.size() > 8 ? fields.subList(0, 8) : fields)
              + (fields.size() > 8 ? ",…" : "") + "}"));
    }
    if (!params.isEmpty()) {
      o.put("params", String.join(", ", params));
    }
    if (op.deprecated()) {
      o.put("deprecated", true);
    }
    return o;
  }

  /** The short form of a parameter's type in a result line: {@code : integer}, {@code : "asc"|"desc"}; long ones cut. */
  private static String shortType(String type) {
    String t = type.replace("integer", "number");
    return t.isEmpty() ? "" : ": " + (t.length() > 32 ? t.substring(0, t.lastIndexOf('|', 30) > 0
        ? t.lastIndexOf('|', 30) : 30) + "|…" : t);
  }

  private static String firstSentence(String s) {
    String t = s.strip();
    int dot = t.indexOf(". ");
    String first = dot > 0 ? t.substring(0, dot + 1) : t;
    return first.length() > 160 ? first.substring(0, 157) + "…" : first;
  }

  private String names() {
    return String.join(", ", index.specs().stream().map(ApiSpec::name).toList());
  }
}
