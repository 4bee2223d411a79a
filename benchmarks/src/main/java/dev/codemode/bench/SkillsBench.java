package dev.codemode.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codemode.server.Codemode;
import dev.codemode.server.config.CliOptions;
import dev.codemode.server.skills.Skill;
import dev.codemode.server.skills.SkillStore;
import dev.codemode.server.skills.Skills;
import dev.codemode.server.skills.TestPostgres;
import dev.codemode.server.tools.CodemodeTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;

/**
 * Skills figures (#13), written to {@code benchmarks/results/skills.json}:
 * <ol>
 *   <li>save and run latency through the real execute tool, embedded SQLite and PostgreSQL (a real server from the
 *       zonky binaries), against the same script run inline;</li>
 *   <li>search latency on GitHub's 1,223 operations with 0 and with 1,000 saved skills;</li>
 *   <li>a session-to-session example on the demo API: the second task reuses the skill the first saved, and its
 *       execute costs fewer tokens (o200k_base, code in + result out, as in the other benchmarks).</li>
 * </ol>
 *
 * <pre>java -cp benchmarks/target/codemode-bench.jar dev.codemode.bench.SkillsBench [--only latency|search|sessions]
 *     [--shared DIR]</pre>
 */
public final class SkillsBench {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final String IDENTITY = "token:bench";

  private SkillsBench() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("polyglot.engine.WarnInterpreterOnly", "false");
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    Path root = Path.of(".").toAbsolutePath().normalize();
    Path shared = null;
    String only = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--only")) {
        only = args[++i];
      } else if (args[i].equals("--shared")) {
        shared = Path.of(args[++i]);
      } else if (args[i].equals("--root")) {
        root = Path.of(args[++i]).toAbsolutePath().normalize();
      }
    }
    Env env = Env.locate(root, shared);
    Path results = env.root().resolve("benchmarks/results/skills.json");
    Files.createDirectories(results.getParent());
    // Parts run on their own (--only latency|search|sessions); the others are kept from the last skills.json.
    ObjectNode out = Files.isRegularFile(results) ? (ObjectNode) JSON.readTree(results.toFile())
        : JSON.createObjectNode();
    Path dir = Files.createTempDirectory("codemode-skills-bench-");
    if (only == null || only.equals("latency")) {
      out.set("latencySqlite", latency(List.of("--data-dir", dir.toString())));
      try (TestPostgres pg = TestPostgres.start()) {
        out.set("latencyPostgres", latency(List.of("--store", pg.jdbcUrl(), "--store-user", pg.user())));
      }
      JSON.writeValue(results.toFile(), out);
    }
    if (only == null || only.equals("search")) {
      out.set("search", search(env, dir.resolve("search")));
      JSON.writeValue(results.toFile(), out);
    }
    if (only == null || only.equals("sessions")) {
      out.set("sessions", sessions(dir.resolve("sessions")));
      JSON.writeValue(results.toFile(), out);
    }
    System.out.println(JSON.writeValueAsString(out));
    System.exit(0);
  }

  private static Codemode start(List<String> flags) throws Exception {
    List<String> all = new ArrayList<>(List.of("--demo", "--no-semantic", "--isolation", "in-process"));
    all.addAll(flags);
    CliOptions o = new CliOptions();
    new CommandLine(o).parseArgs(all.toArray(String[]::new));
    return Codemode.start(o.toConfig(System.getenv()));
  }

  private static JsonNode run(CodemodeTools tools, String code) throws Exception {
    JsonNode r = JSON.readTree(tools.execute(null, Map.of("code", code), null, IDENTITY).block().json());
    if (r.has("error")) {
      throw new IllegalStateException(r.toString());
    }
    return r;
  }

  private static final String BODY = "const r = await api.call('listOrders', {status: args.status, per_page: 50}); "
      + "return r.data.length;";

  /** Median and p90 of execute with skills.save, skills.run, and the same body inline; 30 rounds after warm-up. */
  private static ObjectNode latency(List<String> storeFlags) throws Exception {
    try (Codemode app = start(storeFlags)) {
      CodemodeTools t = app.tools();
      String save = "return await skills.save({name: 'ordersWithStatus', description: 'Count orders with a status', "
          + "code: " + JSON.writeValueAsString(BODY) + "});";
      String viaSkill = "return await skills.run('ordersWithStatus', {status: 'paid'});";
      String inline = "const args = {status: 'paid'}; " + BODY;
      for (int i = 0; i < 10; i++) {
        run(t, save);
        run(t, viaSkill);
        run(t, inline);
      }
      List<Long> saves = new ArrayList<>();
      List<Long> runs = new ArrayList<>();
      List<Long> inlines = new ArrayList<>();
      List<Long> storeSave = new ArrayList<>();
      List<Long> storeFind = new ArrayList<>();
      SkillStore store = app.skills().store();
      String api = Skills.apiKey(app.index().specs().get(0));
      for (int i = 0; i < 30; i++) {
        saves.add(time(() -> run(t, save)));
        runs.add(time(() -> run(t, viaSkill)));
        inlines.add(time(() -> run(t, inline)));
        storeSave.add(time(() -> store.save(new SkillStore.Draft(api, IDENTITY, "direct", "d", "{}", BODY,
            IDENTITY))));
        storeFind.add(time(() -> {
          Skill s = store.find(api, List.of(IDENTITY, Skill.EVERYBODY), "direct", 0).orElseThrow();
          store.recordRun(api, IDENTITY, "direct", s.version(), true, 1);
          return s;
        }));
      }
      ObjectNode o = JSON.createObjectNode();
      o.put("store", app.skills().store().describe().replaceAll("/tmp/[^ ]*", "<data-dir>/skills.db"));
      o.put("executeSaveMedianMs", median(saves));
      o.put("executeRunMedianMs", median(runs));
      o.put("executeInlineMedianMs", median(inlines));
      o.put("executeRunP90Ms", p90(runs));
      o.put("storeSaveMedianMs", median(storeSave));
      o.put("storeLoadAndRecordMedianMs", median(storeFind));
      o.put("rounds", 30);
      return o;
    }
  }

  private static final String[] VERBS = {"list", "count", "summarize", "find", "audit", "compare", "export", "sync",
      "archive", "label", "triage", "rank", "close", "review", "report", "watch", "backup", "clean", "merge", "tag"};
  private static final String[] NOUNS = {"stale pull requests", "open issues", "release notes", "workflow runs",
      "failing checks", "repository topics", "team members", "org secrets", "deploy keys", "webhooks",
      "branch protections", "code owners", "commit authors", "gists", "milestones", "project cards", "discussions",
      "dependabot alerts", "contributors", "starred repos", "forks", "tags", "packages", "environments",
      "review comments", "reactions", "labels", "assignees", "check suites", "artifacts", "runners", "invitations",
      "collaborators", "pages builds", "traffic views", "code scanning alerts", "secret scanning alerts", "rulesets",
      "codespaces", "copilot seats", "audit log events", "teams", "outside collaborators", "commits", "comments",
      "readme files", "languages", "license files", "repo statistics", "security advisories"};

  /** Search on GitHub's 1,223 operations, lexical (--no-semantic), with no skills and with 1,000 saved skills. */
  private static ObjectNode search(Env env, Path dir) throws Exception {
    List<String> queries = List.of("list pull requests of a repository", "create an issue comment",
        "count open issues", "delete a webhook", "summarize workflow runs", "stale pull requests",
        "get the latest release", "add a label to an issue", "who are the contributors", "archive repository");
    ObjectNode o = JSON.createObjectNode();
    CliOptions opts = new CliOptions();
    new CommandLine(opts).parseArgs("--spec", env.githubSpec().toString(), "--no-semantic", "--isolation",
        "in-process", "--data-dir", dir.toString());
    try (Codemode app = Codemode.start(opts.toConfig(System.getenv()))) {
      o.put("operations", app.index().specs().get(0).operations().size());
      o.put("medianMsNoSkills", searchMedian(app.tools(), queries));
      SkillStore store = app.skills().store();
      String api = Skills.apiKey(app.index().specs().get(0));
      int n = 0;
      for (String verb : VERBS) {
        for (String noun : NOUNS) {
          StringBuilder name = new StringBuilder(verb);
          for (String w : noun.split(" ")) {
            name.append(Character.toUpperCase(w.charAt(0))).append(w.substring(1));
          }
          store.save(new SkillStore.Draft(api, n % 2 == 0 ? IDENTITY : Skill.EVERYBODY, name.toString(),
              Character.toUpperCase(verb.charAt(0)) + verb.substring(1) + " the " + noun + " of a repository",
              "{\"type\":\"object\",\"properties\":{\"owner\":{\"type\":\"string\"},\"repo\":{\"type\":\"string\"}},"
                  + "\"required\":[\"owner\",\"repo\"]}", "return args.owner + '/' + args.repo;", IDENTITY));
          n++;
        }
      }
      o.put("skills", n);
      o.put("medianMsWith1000Skills", searchMedian(app.tools(), queries));
      List<Long> listing = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        listing.add(time(() -> app.skills().visible(IDENTITY, null)));
      }
      o.put("storeListVisibleMedianMs", median(listing));
      JsonNode sample = JSON.readTree(app.tools().searchAsync(Map.of("query", "count open issues"), IDENTITY)
          .block().json());
      o.set("sampleCountOpenIssues", sample.get("results"));
    }
    return o;
  }

  private static double searchMedian(CodemodeTools tools, List<String> queries) throws Exception {
    for (int warm = 0; warm < 3; warm++) {
      for (String q : queries) {
        tools.searchAsync(Map.of("query", q), IDENTITY).block();
      }
    }
    List<Long> ms = new ArrayList<>();
    for (int round = 0; round < 5; round++) {
      for (String q : queries) {
        ms.add(time(() -> tools.searchAsync(Map.of("query", q), IDENTITY).block()));
      }
    }
    return median(ms);
  }

  /**
   * Two sessions on the demo API. Task 1: "revenue per country of the top 5 customers by order total in 2024"; the
   * model writes the script, and saves it as a skill. Task 2 (a later session): "the same for 2023". Tokens: the
   * execute call's code (what the model writes) plus its result (what it reads), o200k_base.
   */
  private static ObjectNode sessions(Path dir) throws Exception {
    String body = "const since = args.year + '-01-01', until = (args.year + 1) + '-01-01';\n"
        + "const totals = new Map();\n"
        + "let page = 1;\n"
        + "while (page) {\n"
        + "  const r = await api.call('listOrders', {created_after: since, created_before: until, per_page: 100, "
        + "page});\n"
        + "  for (const o of r.data) totals.set(o.customerId, (totals.get(o.customerId) || 0) + o.total);\n"
        + "  page = r.next_page;\n"
        + "}\n"
        + "const top = [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, args.top ?? 5);\n"
        + "const customers = await Promise.all(top.map(([id]) => api.call('getCustomer', {customerId: id})));\n"
        + "const byCountry = {};\n"
        + "customers.forEach((c, i) => { byCountry[c.country] = Math.round((byCountry[c.country] || 0) + top[i][1]); "
        + "});\n"
        + "return {year: args.year, customers: customers.map((c, i) => ({name: c.name, total: Math.round(top[i][1])"
        + "})), byCountry};";
    String first = "const args = {year: 2024, top: 5};\n" + body.replace("return {year", "const answer = {year")
        + "\nawait skills.save({name: 'topCustomerRevenueByCountry', description: 'Top customers by order total in "
        + "a year, and their revenue per country', params: {type: 'object', properties: {year: {type: 'integer'}, "
        + "top: {type: 'integer'}}, required: ['year']}, code: " + JSON.writeValueAsString(body) + "});\n"
        + "return answer;";
    String searchArgs = "{\"query\":\"top customers revenue by country\"}";
    String second = "return await skills.run('topCustomerRevenueByCountry', {year: 2023, top: 5});";
    String secondScratch = "const args = {year: 2023, top: 5};\n" + body;
    ObjectNode o = JSON.createObjectNode();
    JsonNode r1;
    // 34 pages of orders: a generous time limit, so a busy machine slows the figure down but cannot fail it.
    List<String> flags = List.of("--data-dir", dir.toString(), "--exec-timeout", "5m");
    try (Codemode session1 = start(flags)) {
      r1 = run(session1.tools(), first);
    }
    // A later session: a new server process over the same store.
    try (Codemode app = start(flags)) {
      CodemodeTools t = app.tools();
      String search = t.searchAsync(Map.of("query", "top customers revenue by country"), IDENTITY).block().json();
      JsonNode r2 = run(t, second);
      JsonNode r2scratch = run(t, secondScratch);
      if (!r2.get("result").equals(r2scratch.get("result"))) {
        throw new IllegalStateException("the skill and the inline script disagree: " + r2 + " vs " + r2scratch);
      }
      o.put("task1", "top 5 customers by order total in 2024 and revenue per country; saves the script as a skill");
      o.put("task2", "the same for 2023, in a later session");
      o.put("task1ExecuteTokens", tokens(first, r1));
      o.put("task2ExecuteTokensReusingSkill", tokens(second, r2));
      o.put("task2ExecuteTokensFromScratch", tokens(secondScratch, r2scratch));
      o.put("task2SearchTokens", Tokens.count(searchArgs) + Tokens.count(search));
      o.put("task2SearchFoundSkillFirst", JSON.readTree(search).at("/results/0/kind").asText().equals("skill"));
      o.put("task2CodeTokensReusingSkill", Tokens.count(second));
      o.put("task2CodeTokensFromScratch", Tokens.count(secondScratch));
      o.put("encoding", Tokens.ENCODING);
    }
    return o;
  }

  private static int tokens(String code, JsonNode result) throws Exception {
    return Tokens.count(JSON.writeValueAsString(Map.of("code", code))) + Tokens.count(
        new ObjectMapper().writeValueAsString(result));
  }

  private interface Work {
    Object run() throws Exception;
  }

  private static long time(Work w) throws Exception {
    long t0 = System.nanoTime();
    w.run();
    return (System.nanoTime() - t0) / 1_000;
  }

  /** Median of microsecond samples, in milliseconds with two decimals. */
  private static double median(List<Long> micros) {
    List<Long> s = new ArrayList<>(micros);
    s.sort(null);
    return Math.round(s.get(s.size() / 2) / 10.0) / 100.0;
  }

  private static double p90(List<Long> micros) {
    List<Long> s = new ArrayList<>(micros);
    s.sort(null);
    return Math.round(s.get((int) Math.ceil(s.size() * 0.9) - 1) / 10.0) / 100.0;
  }

  static String fmt(double d) {
    return String.format(Locale.ROOT, "%.2f", d);
  }
}
