package dev.codemode.server.skills;

import dev.codemode.server.config.SkillsFlags;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codemode.server.config.ConfigException;
import dev.codemode.spec.json.JsonBudget;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code codemode-mcp skills list|show|rm|export|import|publish}: the operator's view of the same store the server
 * uses, to review, remove, share or publish what agents saved. Exit status 0 on success, 1 when the store fails, 2 on
 * a bad command line or an unknown skill. Not thread-safe (one command per process).
 *
 * <pre>{@code
 * int status = SkillsCommand.run(new String[] {"list"}, System.out, System.err, System.getenv());
 * }</pre>
 */
@Command(name = "skills", mixinStandardHelpOptions = true, usageHelpWidth = 110,
    description = "Review, remove, export, import and publish the skills agents saved.",
    subcommands = {SkillsCommand.ListSkills.class, SkillsCommand.Show.class, SkillsCommand.Remove.class,
        SkillsCommand.Export.class, SkillsCommand.Import.class, SkillsCommand.Publish.class})
public final class SkillsCommand {
  @Mixin
  SkillsFlags store = new SkillsFlags();

  private PrintStream out;
  private Map<String, String> env;

  /** Runs one subcommand; {@code args} excludes the leading "skills". */
  public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
    SkillsCommand root = new SkillsCommand();
    root.out = out;
    root.env = env;
    CommandLine cli = new CommandLine(root);
    cli.setOut(new java.io.PrintWriter(out, true));
    cli.setErr(new java.io.PrintWriter(err, true));
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      err.println("codemode-mcp skills: " + e.getMessage());
      return e instanceof SkillStoreException && e.getCause() != null ? 1 : 2;
    });
    if (args.length == 0) {
      cli.usage(out);
      return 2;
    }
    return cli.execute(args);
  }

  /** The store named by the subcommand's flags, else by the root's ({@code skills --data-dir D list} works too). */
  private SkillStore open(SkillsFlags sub) throws ConfigException {
    return JdbcSkillStore.open((sub.storeGiven() ? sub : store).location(env));
  }

  /** What every subcommand has: the root command (output, environment) and the store flags. */
  abstract static class Sub implements Callable<Integer> {
    @CommandLine.ParentCommand
    SkillsCommand root;

    @Mixin
    SkillsFlags store = new SkillsFlags();

    SkillStore open() throws ConfigException {
      return root.open(store);
    }
  }

  /** --api and --owner narrowing a listing. */
  static class Filter {
    @Option(names = "--api", paramLabel = "TITLE", description = "Only skills of this API (its title).")
    String api;

    @Option(names = "--owner", paramLabel = "OWNER", description = "Only skills of token:NAME, user:NAME or *.")
    String owner;

    List<Skill> latest(SkillStore s, boolean withCode) {
      return s.latest(api == null ? null : List.of(api), owner == null ? null : List.of(owner), withCode);
    }
  }

  /** Options naming one skill: NAME, and --api / --owner when the name is not unique. */
  static class Which extends Filter {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    Skill resolve(SkillStore s) {
      List<Skill> hits = latest(s, true).stream().filter(k -> k.name().equals(name)).toList();
      if (hits.isEmpty()) {
        throw new SkillStoreException("no skill '" + name + "'" + (api == null ? "" : " for API '" + api + "'")
            + (owner == null ? "" : " of " + owner) + "; see 'codemode-mcp skills list'");
      }
      if (hits.size() > 1) {
        StringBuilder sb = new StringBuilder("several skills are named '" + name + "'; add --api and --owner:");
        hits.forEach(h -> sb.append("\n  --api '").append(h.api()).append("' --owner '").append(h.owner())
            .append('\''));
        throw new SkillStoreException(sb.toString());
      }
      return hits.get(0);
    }
  }

  /** A subcommand about one skill: opens the store, resolves NAME (with --api / --owner) and acts on it. */
  abstract static class OneSkill extends Sub {
    @Mixin
    Which which = new Which();

    @Override
    public final Integer call() throws Exception {
      try (SkillStore s = open()) {
        return run(s, which.resolve(s));
      }
    }

    /** Acts on {@code k}; returns the exit code. */
    abstract int run(SkillStore s, Skill k);
  }

  @Command(name = "list", description = "One line per skill: API, owner, name, latest version, runs, description.")
  static final class ListSkills extends Sub {
    @Mixin
    Filter filter = new Filter();

    @Override
    public Integer call() throws Exception {
      try (SkillStore s = open()) {
        List<Skill> all = filter.latest(s, false);
        if (all.isEmpty()) {
          root.out.println("no skills saved in " + s.describe());
        }
        for (Skill k : all) {
          root.out.printf("%-28s %-16s %-28s v%-3d runs %d ok %d  %s%n", clip(k.api(), 28), k.owner(), k.name(),
              k.version(), k.stats().runs(), k.stats().successes(), clip(k.description(), 60));
        }
      }
      return 0;
    }
  }

  @Command(name = "show", description = "A skill's versions, statistics and the code of its latest version.")
  static final class Show extends OneSkill {
    @Override
    int run(SkillStore s, Skill k) {
      root.out.println(k.name() + " (" + k.api() + ", " + k.owner() + "): " + k.description());
      root.out.println("params: " + k.params());
      for (Skill v : s.versions(k.api(), k.owner(), k.name())) {
        Skill.Stats st = v.stats();
        root.out.printf("  v%d saved %s by %s: runs %d, ok %d, failed %d, mean %d ms%s%n", v.version(),
            Instant.ofEpochMilli(v.createdAt()), v.createdBy(), st.runs(), st.successes(), st.failures(),
            st.meanMillis(), st.lastUsed() > 0 ? ", last used " + Instant.ofEpochMilli(st.lastUsed()) : "");
      }
      root.out.println("--- code of v" + k.version() + " ---");
      root.out.println(k.code());
      return 0;
    }
  }

  @Command(name = "rm", description = "Remove a skill (all versions, or one with --version).")
  static final class Remove extends OneSkill {
    @Option(names = "--version", paramLabel = "N", description = "Remove only this version.")
    int version;

    @Override
    int run(SkillStore s, Skill k) {
      int n = s.remove(k.api(), k.owner(), k.name(), version);
      root.out.println("removed " + n + " version(s) of " + k.name() + " (" + k.api() + ", " + k.owner() + ")");
      return n > 0 ? 0 : 2;
    }
  }

  @Command(name = "export", description = "Write the latest version of each skill as JSON (to stdout or -o FILE).")
  static final class Export extends Sub {
    @Mixin
    Filter filter = new Filter();

    @Option(names = {"-o", "--output"}, paramLabel = "FILE")
    Path output;

    @Override
    public Integer call() throws Exception {
      try (SkillStore s = open()) {
        ObjectNode doc = JsonBudget.mapper().createObjectNode();
        doc.put("format", "codemode-skills/1");
        ArrayNode arr = doc.putArray("skills");
        for (Skill k : filter.latest(s, true)) {
          ObjectNode o = arr.addObject();
          o.put("api", k.api());
          o.put("owner", k.owner());
          o.put("name", k.name());
          o.put("description", k.description());
          o.set("params", JsonBudget.mapper().readTree(k.params()));
          o.put("code", k.code());
        }
        String json = JsonBudget.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(doc);
        if (output == null) {
          root.out.println(json);
        } else {
          Files.writeString(output, json + "\n", StandardCharsets.UTF_8);
          root.out.println("exported " + arr.size() + " skill(s) to " + output);
        }
      }
      return 0;
    }
  }

  @Command(name = "import", description = "Save the skills of an export file, each as a new version.")
  static final class Import extends Sub {
    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Option(names = "--owner", paramLabel = "OWNER", description = "Save them for this owner instead of the file's.")
    String owner;

    @Option(names = "--publish", description = "Save them for everybody (owner *).")
    boolean publish;

    @Override
    public Integer call() throws Exception {
      JsonNode doc;
      try {
        doc = JsonBudget.mapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new SkillStoreException("cannot read " + file + ": " + e.getMessage());
      }
      if (!doc.path("skills").isArray()) {
        throw new SkillStoreException(file + " is not a skills export (no \"skills\" array)");
      }
      int n = 0;
      try (SkillStore s = open()) {
        for (JsonNode k : doc.get("skills")) {
          String who = publish ? Skill.EVERYBODY : owner != null ? owner : k.path("owner").asText(Skill.EVERYBODY);
          String name = k.path("name").asText(null);
          String params = SkillRules.check(name, k.path("description").asText(null), k.path("code").asText(null),
              k.get("params"));
          Skill saved = s.save(new SkillStore.Draft(k.path("api").asText(), who, name,
              k.path("description").asText(), params, k.path("code").asText(), "import:" + file.getFileName()));
          root.out.println("imported " + saved.name() + " v" + saved.version() + " (" + saved.api() + ", " + who
              + ")");
          n++;
        }
      }
      root.out.println(n + " skill(s) imported");
      return 0;
    }
  }

  @Command(name = "publish", description = "Offer a skill's latest version to every identity (owner *).")
  static final class Publish extends OneSkill {
    @Override
    int run(SkillStore s, Skill k) {
      Skill p = s.save(new SkillStore.Draft(k.api(), Skill.EVERYBODY, k.name(), k.description(), k.params(),
          k.code(), "publish:" + k.owner()));
      root.out.println("published " + p.name() + " v" + p.version() + " for everybody on " + p.api());
      return 0;
    }
  }

  private static String clip(String s, int n) {
    return s.length() > n ? s.substring(0, n - 1) + "…" : s;
  }
}
