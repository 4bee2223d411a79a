package dev.codemode.server.skills;

import dev.codemode.server.approval.Approver;
import dev.codemode.server.config.SkillsConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codemode.spec.json.JsonBudget;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The host side of {@code skills.*} in one execution, for one identity: save (asking the human first with
 * {@code --skills approve}), list, load for a run, and the end of a run (its statistics and audit line). The skill's
 * code runs in the caller's own sandbox context, so it has exactly the caller's power. Store calls run off the
 * sandbox's threads. Arguments are untrusted JSON. Thread-safe.
 *
 * <pre>{@code
 * SkillsBridge b = new SkillsBridge(skills, "user:ann", approver, audit);
 * b.call("skillLoad", "{\"name\":\"topCustomers\",\"args\":{}}");
 * }</pre>
 */
public final class SkillsBridge {
  /** The host functions this bridge serves; the execution bridge routes them here. */
  public static boolean handles(String function) {
    return function.startsWith("skill");
  }

  /** Where save and run events go (the audit log). */
  @FunctionalInterface
  public interface Audit {
    void skill(String action, Skill skill, String outcome, long millis);

    Audit NONE = (a, s, o, m) -> {};
  }

  private record Run(Skill skill, long startNanos) {}

  private final Skills skills;
  private final String owner;
  private final Approver approver;
  private final Audit audit;
  private final Map<Long, Run> runs = new ConcurrentHashMap<>();
  private final AtomicLong tokens = new AtomicLong();

  public SkillsBridge(Skills skills, String owner, Approver approver, Audit audit) {
    this.skills = skills;
    this.owner = owner;
    this.approver = approver == null ? Approver.NOBODY : approver;
    this.audit = audit == null ? Audit.NONE : audit;
  }

  public CompletionStage<String> call(String function, String argsJson) {
    JsonNode args;
    try {
      args = JsonBudget.mapper().readTree(argsJson);
    } catch (Exception e) {
      return CompletableFuture.failedFuture(new SkillStoreException("bad arguments: " + e.getMessage()));
    }
    Mono<JsonNode> result = switch (function) {
      case "skillSave" -> save(args);
      case "skillList" -> blocking(() -> list(args));
      case "skillLoad" -> blocking(() -> load(args));
      case "skillDone" -> blocking(() -> done(args));
      default -> Mono.error(new SkillStoreException("unknown host function " + function));
    };
    return result.map(JsonBudget::compact).toFuture();
  }

  private static Mono<JsonNode> blocking(java.util.concurrent.Callable<JsonNode> work) {
    return Mono.fromCallable(work).subscribeOn(Schedulers.boundedElastic());
  }

  private Mono<JsonNode> save(JsonNode a) {
    if (a == null || !a.isObject()) {
      return Mono.error(new SkillStoreException("skills.save({name, description, code, params}): pass an object"));
    }
    String name = text(a, "name");
    String description = text(a, "description");
    String code = text(a, "code");
    JsonNode params = a.get("params");
    String api;
    try {
      api = skills.apiName(text(a, "api"));
      skills.check(name, description, code, params);
    } catch (SkillStoreException e) {
      return Mono.error(e);
    }
    Mono<Void> approved = skills.mode() == SkillsConfig.Mode.APPROVE
        ? SkillApproval.ask(approver, api, name, description, code) : Mono.empty();
    long start = System.nanoTime();
    return approved.then(blocking(() -> {
      Skill s = skills.save(owner, api, name, description, code, params);
      audit.skill("save", s, "OK", (System.nanoTime() - start) / 1_000_000);
      ObjectNode o = JsonBudget.mapper().createObjectNode();
      o.put("name", s.name());
      o.put("version", s.version());
      return o;
    }));
  }

  private JsonNode list(JsonNode a) {
    String api = a == null ? null : text(a, "api");
    ArrayNode out = JsonBudget.mapper().createArrayNode();
    for (Skill s : skills.visible(owner, api == null ? null : skills.apiName(api))) {
      ObjectNode o = out.addObject();
      o.put("name", s.name());
      o.put("description", s.description());
      o.put("version", s.version());
      o.put("runs", s.stats().runs());
      o.put("ok", s.stats().successes());
    }
    return out;
  }

  private JsonNode load(JsonNode a) {
    String name = text(a, "name");
    Skill s = skills.find(owner, name);
    String wrong = SkillRules.mismatch(s.params(), a.get("args"), JsonBudget.mapper());
    if (wrong != null) {
      audit.skill("run", s, "BAD_ARGS", 0);
      throw new SkillStoreException("skills.run('" + name + "'): " + wrong + "; its params are " + s.params());
    }
    long token = tokens.incrementAndGet();
    runs.put(token, new Run(s, System.nanoTime()));
    ObjectNode o = JsonBudget.mapper().createObjectNode();
    o.put("token", token);
    o.put("name", s.name());
    o.put("version", s.version());
    String apiName = skills.nameOf(s.api());
    o.put("api", apiName == null ? skills.apiName(null) : apiName);
    o.put("code", s.code());
    return o;
  }

  private JsonNode done(JsonNode a) {
    Run r = runs.remove(a.path("token").asLong());
    if (r == null) {
      throw new SkillStoreException("unknown skill run");
    }
    boolean ok = a.path("ok").asBoolean(false);
    long ms = (System.nanoTime() - r.startNanos()) / 1_000_000;
    skills.recordRun(r.skill(), ok, ms);
    audit.skill("run", r.skill(), ok ? "OK" : "ERROR", ms);
    return JsonBudget.mapper().createObjectNode().put("ok", true);
  }

  private static String text(JsonNode a, String field) {
    JsonNode v = a == null ? null : a.get(field);
    return v == null || v.isNull() ? null : v.isTextual() ? v.asText() : JsonBudget.compact(v);
  }
}
