package dev.codemode.server.skills;

import dev.codemode.server.approval.Approver;
import dev.codemode.server.config.SkillsConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codemode.server.Codemode;
import dev.codemode.server.config.CliOptions;
import dev.codemode.server.tools.CodemodeTools;
import dev.codemode.server.tools.ToolOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Skills end to end in one JVM: the real demo API, the real sandbox, the embedded SQLite store, the tools as the
 * transports call them (with an identity). Save, versions, run in the same execution, composition, scope per
 * identity, checks, statistics, search ranking and detail, the audit log, and approval without elicitation.
 */
class SkillsInScriptsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Path dir;
  private static Path audit;
  private static Codemode app;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("skills-it-");
    audit = dir.resolve("audit.jsonl");
    CliOptions o = new CliOptions();
    new CommandLine(o).parseArgs("--demo", "--no-semantic", "--isolation", "in-process", "--data-dir",
        dir.toString(), "--audit-log", audit.toString());
    app = Codemode.start(o.toConfig(Map.of()));
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private static JsonNode execute(String identity, String code) throws Exception {
    ToolOutput v = app.tools().execute(null, Map.of("code", code), null, identity).block();
    return JSON.readTree(v.json());
  }

  private static JsonNode search(String identity, Map<String, Object> args) throws Exception {
    return JSON.readTree(app.tools().searchAsync(args, identity).block().json());
  }

  private static final String ORDERS_OF = "const r = await api.call('listOrders', {customer_id: args.customerId, "
      + "per_page: 100}); return {customer: args.customerId, orders: r.data.length, "
      + "total: Math.round(r.data.reduce((s, o) => s + o.total, 0))};";

  @Test
  void savedSkillRunsInTheSameExecutionAndKeepsVersions() throws Exception {
    JsonNode saved = execute("token:ann", "return await skills.save({name: 'customerOrderTotals', description: "
        + "'Number of orders and their total for one customer', params: {type: 'object', properties: {customerId: "
        + "{type: 'integer'}}, required: ['customerId']}, code: " + JSON.writeValueAsString(ORDERS_OF) + "});");
    assertEquals("customerOrderTotals", saved.at("/result/name").asText(), saved.toString());
    int v1 = saved.at("/result/version").asInt();

    JsonNode direct = execute("token:ann", "const customerId = 3; " + ORDERS_OF.replace("args.customerId",
        "customerId"));
    JsonNode viaSkill = execute("token:ann", "return await skills.run('customerOrderTotals', {customerId: 3});");
    assertEquals(direct.get("result"), viaSkill.get("result"), viaSkill.toString());
    assertEquals(1, viaSkill.get("calls").asInt(), "the skill's API call is the execution's own");

    // A second save of the name is a new version; the old one is kept and still runnable by NAME@VERSION.
    JsonNode again = execute("token:ann", "return await skills.save({name: 'customerOrderTotals', description: "
        + "'Orders of one customer (v2)', params: {type: 'object', properties: {customerId: {type: 'integer'}}}, "
        + "code: 'return \"v2:\" + args.customerId;'});");
    assertEquals(v1 + 1, again.at("/result/version").asInt());
    assertEquals("v2:5", execute("token:ann", "return await skills.run('customerOrderTotals', {customerId: 5});")
        .get("result").asText());
    assertEquals(direct.get("result"), execute("token:ann", "return await skills.run('customerOrderTotals@" + v1
        + "', {customerId: 3});").get("result"));

    // Another identity does not see it.
    JsonNode bob = execute("token:bob", "return await skills.run('customerOrderTotals', {customerId: 3});");
    assertTrue(bob.get("error").asText().contains("no skill 'customerOrderTotals'"), bob.toString());

    // The detail view shows code and both versions with their statistics.
    JsonNode detail = search("token:ann", Map.of("detail", "skill:customerOrderTotals"));
    assertEquals("return \"v2:\" + args.customerId;", detail.at("/skill/code").asText(), detail.toString());
    JsonNode versions = detail.at("/skill/versions");
    assertEquals(2, versions.size());
    assertEquals(2, versions.get(1).get("runs").asInt(), "v1 ran twice (once directly, once by version)");
    assertTrue(search("token:bob", Map.of("detail", "skill:customerOrderTotals")).has("error"));
  }

  @Test
  void skillsComposeListAndAreRankedInSearchByWhatWorks() throws Exception {
    execute("token:carol", "await skills.save({name: 'openTicketCount', description: 'Count open support tickets', "
        + "code: 'const r = await api.call(\"listTickets\", {status: \"open\", per_page: 1}); "
        + "return r.total ?? r.data.length;'});"
        + "await skills.save({name: 'ticketReport', description: 'Report on open support tickets', code: "
        + "'return {open: await skills.run(\"openTicketCount\")};'}); return 1;");
    JsonNode report = execute("token:carol", "return await skills.run('ticketReport');");
    assertTrue(report.at("/result/open").isNumber(), report.toString());

    JsonNode list = execute("token:carol", "return await skills.list();");
    assertEquals(List.of("openTicketCount", "ticketReport"), names(list.get("result")));

    JsonNode found = search("token:carol", Map.of("query", "count open tickets"));
    JsonNode first = found.at("/results/0");
    assertEquals("skill", first.get("kind").asText(), found.toString());
    assertEquals("openTicketCount", first.get("name").asText());
    assertEquals(1, first.get("runs").asInt());
    assertEquals(1, first.get("ok").asInt());
    boolean operations = false;
    for (JsonNode r : found.get("results")) {
      operations |= r.get("kind").asText().equals("operation");
    }
    assertTrue(operations, "operations are still there: " + found);

    // A skill that keeps failing sinks below the operations.
    execute("token:carol", "await skills.save({name: 'brokenTicketCount', description: 'Count open support "
        + "tickets quickly', code: 'throw new Error(\"nope\")'}); return 1;");
    for (int i = 0; i < 3; i++) {
      JsonNode failed = execute("token:carol", "return await skills.run('brokenTicketCount');");
      assertTrue(failed.get("error").asText().contains("skill brokenTicketCount@1 failed: nope"), failed.toString());
    }
    JsonNode ranked = search("token:carol", Map.of("query", "count open tickets"));
    JsonNode results = ranked.get("results");
    assertEquals("brokenTicketCount", results.get(results.size() - 1).get("name").asText(), ranked.toString());
    assertEquals(3, results.get(results.size() - 1).get("runs").asInt());
    assertEquals(0, results.get(results.size() - 1).get("ok").asInt());
  }

  @Test
  void namesSizesAndArgsAreCheckedWithClearErrors() throws Exception {
    JsonNode badName = execute("token:dave", "return await skills.save({name: '1 bad name', description: 'x', "
        + "code: 'return 1'});");
    assertTrue(badName.get("error").asText().contains("skill name '1 bad name' is not valid"), badName.toString());
    JsonNode noDesc = execute("token:dave", "return await skills.save({name: 'ok', code: 'return 1'});");
    assertTrue(noDesc.get("error").asText().contains("needs a description"), noDesc.toString());
    JsonNode big = execute("token:dave", "return await skills.save({name: 'big', description: 'd', code: "
        + "'x'.repeat(20001)});");
    assertTrue(big.get("error").asText().contains("at most 20000"), big.toString());
    execute("token:dave", "return await skills.save({name: 'needsLogin', description: 'd', params: {type: "
        + "'object', properties: {login: {type: 'string'}}, required: ['login']}, code: 'return args.login'});");
    JsonNode missing = execute("token:dave", "return await skills.run('needsLogin', {});");
    assertTrue(missing.get("error").asText().contains("args.login is required"), missing.toString());
    JsonNode wrongType = execute("token:dave", "return await skills.run('needsLogin', {login: 3});");
    assertTrue(wrongType.get("error").asText().contains("args.login must be string"), wrongType.toString());
    JsonNode syntax = execute("token:dave", "await skills.save({name: 'broken', description: 'd', code: "
        + "'return ('}); return await skills.run('broken');");
    assertTrue(syntax.get("error").asText().contains("skill broken@1 does not compile"), syntax.toString());
  }

  @Test
  void savesAndRunsAreAudited() throws Exception {
    execute("token:erin", "await skills.save({name: 'answer', description: 'The answer', code: 'return 42'}); "
        + "return await skills.run('answer');");
    List<String> lines = Files.readAllLines(audit).stream().filter(l -> l.contains("\"name\":\"answer\"")).toList();
    assertEquals(2, lines.size(), String.join("\n", lines));
    JsonNode save = JSON.readTree(lines.get(0));
    assertEquals("save", save.at("/skill/action").asText());
    assertEquals("token:erin", save.at("/skill/owner").asText());
    assertEquals("return 42", save.at("/skill/code").asText());
    JsonNode run = JSON.readTree(lines.get(1));
    assertEquals("run", run.at("/skill/action").asText());
    assertEquals("OK", run.get("outcome").asText());
  }

  @Test
  void approveModeRefusesWhenTheClientCannotAsk() throws Exception {
    Skills approve = new Skills(app.skills().store(), SkillsConfig.Mode.APPROVE, app.index().specs());
    SkillsBridge bridge = new SkillsBridge(approve, "token:fay", null, null);
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () ->
        bridge.call("skillSave", "{\"name\":\"x\",\"description\":\"d\",\"code\":\"return 1\"}").toCompletableFuture()
            .get());
    assertTrue(e.getCause().getMessage().contains("--skills approve"), e.getCause().getMessage());
    assertTrue(e.getCause().getMessage().contains("--skills on"));
    assertFalse(approve.store().find(Skills.apiKey(app.index().specs().get(0)), List.of("token:fay"), "x", 0)
        .isPresent(), "nothing was saved");
  }

  @Test
  void approveModeAsksThroughTheApproverAndSavesOnlyOnAYes() throws Exception {
    Skills approve = new Skills(app.skills().store(), SkillsConfig.Mode.APPROVE, app.index().specs());
    List<Approver.Prompt> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
    String key = Skills.apiKey(app.index().specs().get(0));
    SkillsBridge no = new SkillsBridge(approve, "token:gus", p -> {
      asked.add(p);
      return reactor.core.publisher.Mono.just(Approver.Answer.DECLINED);
    }, null);
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () ->
        no.call("skillSave", "{\"name\":\"y\",\"description\":\"d\",\"code\":\"return 2\"}")
            .toCompletableFuture().get());
    assertTrue(e.getCause().getMessage().contains("the user declined to save skill 'y'"), e.getCause().getMessage());
    assertFalse(approve.store().find(key, List.of("token:gus"), "y", 0).isPresent(), "nothing was saved");
    assertEquals("Save this skill", asked.get(0).approveTitle());
    assertTrue(asked.get(0).message().contains("y: d\n\nreturn 2"), asked.get(0).message());
    SkillsBridge yes = new SkillsBridge(approve, "token:gus", p -> reactor.core.publisher.Mono.just(
        Approver.Answer.APPROVED), null);
    yes.call("skillSave", "{\"name\":\"y\",\"description\":\"d\",\"code\":\"return 2\"}")
        .toCompletableFuture().get();
    assertTrue(approve.store().find(key, List.of("token:gus"), "y", 0).isPresent(), "saved after a yes");
  }

  private static List<String> names(JsonNode arr) {
    List<String> out = new java.util.ArrayList<>();
    arr.forEach(n -> out.add(n.get("name").asText()));
    return out;
  }
}
