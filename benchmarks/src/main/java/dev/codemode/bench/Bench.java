package dev.codemode.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The benchmark command: runs the chosen parts, prints a table, writes {@code benchmarks/results/latest.json} and
 * {@code latest.md}, and rewrites the "Numbers" section of {@code README.md}. Each part runs on its own:
 *
 * <pre>
 * java -jar benchmarks/target/codemode-bench.jar --all
 * java -jar benchmarks/target/codemode-bench.jar --context --data      # only these parts; the others are kept
 *                                                                      # from the last latest.json
 * java -jar benchmarks/target/codemode-bench.jar --readme              # regenerate README from latest.json
 * </pre>
 */
public final class Bench {
  static final List<String> PARTS = List.of("context", "data", "latency", "startup", "peer");
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Bench() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("polyglot.engine.WarnInterpreterOnly", "false");
    System.setProperty("polyglotimpl.AttachLibraryFailureAction", "ignore");
    Set<String> parts = new LinkedHashSet<>();
    Path root = Path.of(".").toAbsolutePath().normalize();
    Path shared = null;
    boolean readmeOnly = false;
    boolean writeReadme = true;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--all" -> parts.addAll(PARTS);
        case "--readme" -> readmeOnly = true;
        case "--no-readme" -> writeReadme = false;
        case "--root" -> root = Path.of(args[++i]).toAbsolutePath().normalize();
        case "--shared" -> shared = Path.of(args[++i]).toAbsolutePath().normalize();
        case "-h", "--help" -> {
          System.out.println("usage: codemode-bench [--all | " + String.join(" ", PARTS.stream().map(p -> "--" + p)
              .toList()) + "] [--readme] [--no-readme] [--root DIR] [--shared DIR]");
          return;
        }
        default -> {
          if (a.startsWith("--") && PARTS.contains(a.substring(2))) {
            parts.add(a.substring(2));
          } else {
            System.err.println("codemode-bench: unknown option " + a + " (see --help)");
            System.exit(2);
          }
        }
      }
    }
    Env env = Env.locate(root, shared);
    Path results = env.root().resolve("benchmarks/results");
    if (readmeOnly) {
      ObjectNode last = (ObjectNode) JSON.readTree(results.resolve("latest.json").toFile());
      Report.updateReadme(env.root().resolve("README.md"), last);
      log("README.md Numbers section regenerated from %s", results.resolve("latest.json"));
      return;
    }
    if (parts.isEmpty()) {
      parts.addAll(PARTS);
    }
    // A run of some parts updates those parts of the last results and keeps the others, each stamped with when it ran.
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    Path latest = results.resolve("latest.json");
    if (!parts.containsAll(PARTS) && Files.isRegularFile(latest)) {
      ObjectNode last = (ObjectNode) JSON.readTree(latest.toFile());
      for (String p : PARTS) {
        if (!parts.contains(p) && last.has(p)) {
          out.set(p, last.get(p));
        }
      }
    }
    out.put("startedAt", Instant.now().toString());
    out.set("machine", Env.machine());
    out.put("parts", String.join(",", parts));
    long t0 = System.nanoTime();
    List<String> failures = new ArrayList<>();
    try (Env.Demo demo = env.startDemo()) {
      for (String part : parts) {
        log("== %s", part);
        long p0 = System.nanoTime();
        try {
          ObjectNode r = switch (part) {
            case "context" -> new ContextEconomy(env.specDir(), demo.specFile()).run();
            case "data" -> new DataEconomy(env, demo).run();
            case "latency" -> new Latency(env, demo).run();
            case "startup" -> new Startup(env).run();
            case "peer" -> new Peer(env, demo).run();
            default -> throw new IllegalArgumentException(part);
          };
          r.put("partSeconds", Math.round((System.nanoTime() - p0) / 1e8) / 10.0);
          r.put("measuredAt", Instant.now().toString());
          out.set(part, r);
        } catch (Exception | AssertionError e) {
          e.printStackTrace();
          failures.add(part + ": " + e);
          ObjectNode r = out.putObject(part);
          r.put("error", String.valueOf(e));
        }
      }
    }
    out.put("totalSeconds", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
    for (String p : PARTS) {
      if (out.has(p)) {
        out.set(p, out.remove(p));
      }
    }
    Files.createDirectories(results);
    Files.writeString(results.resolve("latest.json"), JSON.writeValueAsString(out) + "\n");
    String md = Report.markdown(out);
    Files.writeString(results.resolve("latest.md"), md);
    System.out.println();
    System.out.println(md);
    if (writeReadme && PARTS.stream().allMatch(out::has)) {
      Report.updateReadme(env.root().resolve("README.md"), out);
      log("README.md Numbers section updated");
    }
    log("wrote %s and latest.md in %.0f s", results.resolve("latest.json"), (System.nanoTime() - t0) / 1e9);
    if (!failures.isEmpty()) {
      log("parts that failed: %s", failures);
      System.exit(1);
    }
  }

  static void log(String fmt, Object... args) {
    System.err.println(String.format(Locale.ROOT, fmt, args));
  }
}
