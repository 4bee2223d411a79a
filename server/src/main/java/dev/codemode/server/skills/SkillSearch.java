package dev.codemode.server.skills;

import dev.codemode.server.config.SkillsConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codemode.spec.json.JsonBudget;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Skills in the {@code search} tool: merges the skills that fit a query into the ranked operations (a skill that
 * covers the whole query and works goes first; a partial match after the best operation; a skill that keeps failing
 * after the operations), and renders {@code search {"detail": "skill:NAME"}}: code, params and every version with
 * its statistics. Thread-safe.
 *
 * <pre>{@code
 * List<ObjectNode> results = new SkillSearch(skills).merge("user:ann", "top customers", null, 8, operations);
 * }</pre>
 */
public final class SkillSearch {
  /** The prefix of a skill in {@code search {detail}}. */
  public static final String DETAIL_PREFIX = "skill:";
  private final Skills skills;

  public SkillSearch(Skills skills) {
    this.skills = skills;
  }

  /**
   * The operations (already rendered, best first) with the skills that fit the query placed among them, at most
   * {@code limit} results in all, of which at most half (at least one) are skills.
   */
  public List<ObjectNode> merge(String owner, String query, String apiName, int limit, List<ObjectNode> operations) {
    if (skills.mode() == SkillsConfig.Mode.OFF) {
      return operations;
    }
    List<SkillRanker.Ranked> ranked = SkillRanker.rank(query, skills.visible(owner, apiName),
        Math.max(1, limit / 2));
    if (ranked.isEmpty()) {
      return operations;
    }
    List<ObjectNode> top = new ArrayList<>();
    List<ObjectNode> afterFirst = new ArrayList<>();
    List<ObjectNode> last = new ArrayList<>();
    for (SkillRanker.Ranked r : ranked) {
      Skill.Stats st = r.skill().stats();
      boolean failing = st.runs() >= 3 && st.reliability() < 0.34;
      (failing ? last : r.relevance() >= 0.99 ? top : afterFirst).add(render(r.skill()));
    }
    List<ObjectNode> out = new ArrayList<>(top);
    for (int i = 0; i < operations.size(); i++) {
      out.add(operations.get(i));
      if (i == 0) {
        out.addAll(afterFirst);
        afterFirst.clear();
      }
    }
    out.addAll(afterFirst);
    out.addAll(last);
    // Keep every skill that fits within the limit; drop the weakest operations first.
    int skillsIn = ranked.size();
    List<ObjectNode> trimmed = new ArrayList<>();
    int opsAllowed = Math.max(0, limit - skillsIn);
    for (ObjectNode o : out) {
      boolean isSkill = "skill".equals(o.path("kind").asText());
      if (isSkill || opsAllowed-- > 0) {
        trimmed.add(o);
      }
    }
    return trimmed;
  }

  ObjectNode render(Skill s) {
    ObjectNode o = JsonBudget.mapper().createObjectNode();
    o.put("kind", "skill");
    String api = skills.nameOf(s.api());
    if (api != null && !api.equals(skills.apiName(null))) {
      o.put("api", api);
    }
    o.put("name", s.name());
    o.put("description", s.description());
    String sig = signature(s.params());
    if (!sig.isEmpty()) {
      o.put("params", sig);
    }
    o.put("version", s.version());
    o.put("runs", s.stats().runs());
    o.put("ok", s.stats().successes());
    return o;
  }

  /** "login, limit?" from a params schema, like an operation's params line. */
  static String signature(String paramsJson) {
    try {
      JsonNode schema = JsonBudget.mapper().readTree(paramsJson);
      List<String> required = new ArrayList<>();
      schema.path("required").forEach(r -> required.add(r.asText()));
      List<String> out = new ArrayList<>();
      schema.path("properties").fieldNames().forEachRemaining(n -> out.add(n + (required.contains(n) ? "" : "?")));
      return String.join(", ", out);
    } catch (java.io.IOException e) {
      return "";
    }
  }

  /** {@code search {"detail": "skill:NAME"}}: the latest code and params, and every version with its statistics. */
  public ObjectNode detail(String owner, String detail) {
    String name = detail.substring(DETAIL_PREFIX.length()).strip();
    List<Skill> versions = skills.versions(owner, name);
    Skill latest = versions.get(versions.size() - 1);
    ObjectNode o = JsonBudget.mapper().createObjectNode();
    ObjectNode s = o.putObject("skill");
    s.put("name", latest.name());
    String api = skills.nameOf(latest.api());
    s.put("api", api == null ? latest.api() : api);
    s.put("owner", Skill.EVERYBODY.equals(latest.owner()) ? "everybody" : latest.owner());
    s.put("description", latest.description());
    try {
      s.set("params", JsonBudget.mapper().readTree(latest.params()));
    } catch (java.io.IOException e) {
      s.put("params", latest.params());
    }
    s.put("version", latest.version());
    s.put("code", latest.code());
    ArrayNode vs = s.putArray("versions");
    for (int i = versions.size() - 1; i >= 0; i--) {
      Skill v = versions.get(i);
      ObjectNode n = vs.addObject();
      n.put("version", v.version());
      n.put("saved", Instant.ofEpochMilli(v.createdAt()).toString());
      n.put("runs", v.stats().runs());
      n.put("ok", v.stats().successes());
      n.put("failed", v.stats().failures());
      if (v.stats().runs() > 0) {
        n.put("meanMs", v.stats().meanMillis());
        n.put("lastUsed", Instant.ofEpochMilli(v.stats().lastUsed()).toString());
      }
    }
    o.put("hint", "Run it with await skills.run('" + latest.name() + "', args); an older version with '"
        + latest.name() + "@N'.");
    return o;
  }
}
