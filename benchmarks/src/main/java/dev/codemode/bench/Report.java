package dev.codemode.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Renders a results tree (as written to {@code latest.json}) as Markdown, and rewrites the README section between
 * {@link #START} and {@link #END}. Pure functions of the tree: the README can be regenerated from the JSON alone.
 */
final class Report {
  static final String START = "<!-- numbers:start -->";
  static final String END = "<!-- numbers:end -->";

  private Report() {}

  static String markdown(JsonNode r) {
    StringBuilder md = new StringBuilder();
    JsonNode m = r.path("machine");
    md.append(String.format(Locale.ROOT, "Measured %s on %d cores (%s), %.0f GiB RAM, %s, %s; tokens counted with "
            + "jtokkit `%s`. Reproduce with `./mvnw -B -q -DskipTests package && java -jar "
            + "benchmarks/target/codemode-bench.jar --all` (%.0f s for this run; details in "
            + "[benchmarks/README.md](benchmarks/README.md)).%s\n\n",
        r.path("startedAt").asText().replaceAll("\\.\\d+Z$", "Z"), m.path("cores").asInt(), m.path("cpu").asText(),
        m.path("memoryGiB").asDouble(), m.path("jdk").asText(), m.path("os").asText(), Tokens.ENCODING,
        r.path("totalSeconds").asDouble(), r.path("parts").asText().split(",").length < Bench.PARTS.size()
            ? " This run measured " + r.path("parts").asText() + "; the other parts come from the previous run (each "
              + "part's time is in `latest.json`)." : ""));
    context(md, r.path("context"));
    data(md, r.path("data"));
    latency(md, r.path("latency"));
    startup(md, r.path("startup"));
    peer(md, r.path("peer"));
    return md.toString();
  }

  private static void context(StringBuilder md, JsonNode c) {
    md.append("### Context: tokens of the tool definitions\n\n");
    if (skipped(md, c)) {
      return;
    }
    md.append("| spec | operations | Codemode `tools/list` | one tool per operation | ratio | raw spec |\n");
    md.append("|---|---:|---:|---:|---:|---:|\n");
    for (JsonNode s : c.path("specs")) {
      md.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %,d | %s | %,d |\n", s.path("spec").asText(),
          s.path("operations").asInt(), s.path("oursTokens").asInt(), s.path("perEndpointTokens").asLong(),
          times(s.path("ratio").asDouble()), s.path("rawSpecTokens").asLong()));
    }
    md.append(String.format(Locale.ROOT, "\nLargest Codemode `tools/list`: **%,d tokens** (%s), budget %,d: %s. "
            + "Per-endpoint definitions inline `$ref`s with a cycle guard on the ancestor path and at most %d nested "
            + "references. For reference, Cloudflare published 1,069 tokens for its two tools against 1,170,523 for "
            + "one tool per endpoint.\n\n", c.path("oursMaxTokens").asInt(), c.path("oursMaxSpec").asText(),
        c.path("oursBudget").asInt(), c.path("withinBudget").asBoolean() ? "within" : "**over**",
        c.path("maxRefDepth").asInt()));
  }

  private static void data(StringBuilder md, JsonNode d) {
    md.append("### Data: tokens through the model per task (demo API)\n\n");
    if (skipped(md, d)) {
      return;
    }
    md.append("| task | code mode (1 execute) | tool calling | calls | ratio | answer checked |\n");
    md.append("|---|---:|---:|---:|---:|---|\n");
    for (JsonNode t : d.path("tasks")) {
      md.append(String.format(Locale.ROOT, "| %s: %s | %,d | %,d | %d | %s | %s |\n", t.path("task").asText(),
          t.path("question").asText(), t.path("codeModeTokens").asLong(), t.path("toolCallingTokens").asLong(),
          t.path("toolCallingCalls").asInt(), times(t.path("ratio").asDouble()),
          t.path("correct").asBoolean() ? "equal" : "**differs**"));
    }
    md.append(String.format(Locale.ROOT, "| **all** | **%,d** | **%,d** | | **%,.0f×** | %s |\n\n",
        d.path("codeModeTokens").asLong(), d.path("toolCallingTokens").asLong(), d.path("ratio").asDouble(),
        d.path("allCorrect").asBoolean() ? "all equal" : "**not all**"));
    md.append("Code mode counts the execute call's code and its whole result; tool calling counts each call's "
        + "arguments and each full response body.\n\n");
  }

  private static void latency(StringBuilder md, JsonNode l) {
    md.append("### Latency (p50 / p99, ms) and throughput\n\n");
    if (skipped(md, l)) {
      return;
    }
    md.append("| | in-process | stdio | Streamable HTTP |\n|---|---:|---:|---:|\n");
    JsonNode s = l.path("search");
    md.append("| search, GitHub spec, lexical | ").append(cell(s.path("inProcess"))).append(" | ")
        .append(cell(s.path("stdio"))).append(" | ").append(cell(s.path("http"))).append(" |\n");
    JsonNode e = l.path("execute");
    for (String script : Latency.SCRIPTS.keySet()) {
      md.append("| execute, ").append(switch (script) {
        case "trivial" -> "trivial script";
        case "oneCall" -> "one upstream call";
        default -> "ten calls in parallel";
      }).append(" | ").append(cell(e.path("inProcess").path(script))).append(" | ")
          .append(cell(e.path("stdio").path(script))).append(" | ").append(cell(e.path("http").path(script)))
          .append(" |\n");
    }
    JsonNode t = l.path("throughput");
    for (int c : Latency.CONCURRENCY) {
      md.append("| executions/s (one call), concurrency ").append(c).append(" | ")
          .append(rate(t.path("inProcess").path("c" + c))).append(" | ").append(rate(t.path("stdio").path("c" + c)))
          .append(" | ").append(rate(t.path("http").path("c" + c))).append(" |\n");
    }
    md.append(String.format(Locale.ROOT, "\n%d warm-up calls, then %d measured in-process and %d end to end; "
        + "throughput counts completed executions in a %d s window after 1 s of warm-up. Server defaults: "
        + "process isolation (scripts run in a pool of worker JVMs), `--max-concurrent` = cores (2 here), "
        + "`--no-semantic` for search. In-process = `CodemodeTools` called directly in the benchmark's JVM.\n\n", l.path("warmup").asInt(), l.path("measured").asInt(),
        l.path("e2eMeasured").asInt(), Latency.THROUGHPUT_WINDOW.toSeconds()));
  }

  private static void startup(StringBuilder md, JsonNode s) {
    md.append("### Start-up and memory, GitHub spec (1,223 operations), stdio\n\n");
    if (skipped(md, s)) {
      return;
    }
    md.append("| mode | process start to first `tools/list` | semantic search ready | RSS server after start "
        + "| RSS after searches (peak) | with sandbox workers | search p50 / p99 ms |\n"
        + "|---|---:|---:|---:|---:|---:|---:|\n");
    for (String mode : new String[] {"lexical", "semanticCold", "semanticCached"}) {
      JsonNode x = s.path(mode);
      String name = switch (mode) {
        case "lexical" -> "`--no-semantic`";
        case "semanticCold" -> "semantic, empty cache";
        default -> "semantic, cached";
      };
      if (x.has("error")) {
        md.append("| ").append(name).append(" | failed: ").append(x.path("error").asText().replace("|", "/"))
            .append(" | | | | | |\n");
        continue;
      }
      String ready = !x.has("semanticReadyMs") ? "-" : x.path("semanticReadyMs").asLong() < 0
          ? x.path("semantic").asText() : String.format(Locale.ROOT, "%,d ms", x.path("semanticReadyMs").asLong());
      md.append(String.format(Locale.ROOT, "| %s | %,d ms | %s | %,d MiB | %,d MiB (%,d) | %,d MiB | %s |\n", name,
          x.path("firstToolsListMs").asLong(), ready, x.path("rssAfterStartMiB").asLong(),
          x.path("rssAfterSearchesMiB").asLong(), x.path("peakRssMiB").asLong(),
          x.path("rssTreeAfterSearchesMiB").asLong(), cell(x.path("searchStdio"))));
    }
    md.append("\nThe first `tools/list` does not wait for the embeddings: semantic search warms up in the background "
        + "and \"ready\" is when the server logs it, timed from process start. Searches run after that. ");
    for (String mode : new String[] {"semanticCold", "semanticCached"}) {
      if (s.path(mode).has("index") && !s.path(mode).path("index").asText().contains("semantic 0 ms")) {
        md.append(mode.equals("semanticCold") ? "Cold: " : "Cached: ").append(s.path(mode).path("index").asText())
            .append(". ");
      }
    }
    md.append("RSS is `VmRSS` of the server process; \"with sandbox workers\" adds its worker JVMs.\n");
    md.append('\n');
  }

  private static void peer(StringBuilder md, JsonNode p) {
    md.append("### Side by side with a peer\n\n");
    if (skipped(md, p)) {
      return;
    }
    JsonNode d = p.path("demo");
    JsonNode g = p.path("github");
    md.append(String.format(Locale.ROOT, "`%s` (Node %s, one tool per operation), same machine, same Java SDK "
        + "client, same spec and demo API.\n\n", p.path("package").asText(), p.path("node").asText().replace("v", "")));
    md.append("| | peer | Codemode | |\n|---|---:|---:|---|\n");
    md.append(String.format(Locale.ROOT, "| `tools/list` tokens, demo spec (%d operations) | %,d | %,d | Codemode "
            + "%,.1f× smaller |\n",
        d.path("peerTools").asInt(), d.path("peerToolsListTokens").asInt(), d.path("oursToolsListTokens").asInt(),
        d.path("tokensRatio").asDouble()));
    if (g.path("all").has("toolsListTokens")) {
      md.append(String.format(Locale.ROOT, "| `tools/list` tokens, GitHub spec | %,d (%,d tools) | %,d | Codemode "
              + "%,.0f× smaller |\n",
          g.at("/all/toolsListTokens").asInt(), g.at("/all/tools").asInt(), g.at("/ours/toolsListTokens").asInt(),
          g.path("tokensRatio").asDouble()));
      String oursStart = g.at("/ours/error").isTextual() ? "failed: " + g.at("/ours/error").asText()
          : String.format(Locale.ROOT, "%,d ms", g.at("/ours/firstToolsListMs").asLong());
      md.append(String.format(Locale.ROOT, "| start to first `tools/list`, GitHub spec | %,d ms | %s | |\n",
          g.at("/all/firstToolsListMs").asLong(), oursStart.replace("|", "/")));
      md.append(String.format(Locale.ROOT, "| RSS, GitHub spec | %,d MiB | %s | |\n", g.at("/all/rssMiB").asLong(),
          g.at("/ours/error").isTextual() ? "n/a" : String.format(Locale.ROOT, "%,d MiB (%,d with sandbox workers)",
              g.at("/ours/rssMiB").asLong(), g.at("/ours/rssTreeMiB").asLong())));
    } else if (g.path("all").has("error")) {
      md.append("| GitHub spec | failed: ").append(g.at("/all/error").asText().replace("|", "/")).append(" | | |\n");
    }
    if (g.path("dynamic").has("toolsListTokens")) {
      md.append(String.format(Locale.ROOT, "| `tools/list` tokens, GitHub spec, peer `--tools dynamic` (meta-tools) "
          + "| %,d (%d tools) | %,d | peer %,.1f× smaller |\n", g.at("/dynamic/toolsListTokens").asInt(),
          g.at("/dynamic/tools").asInt(), g.at("/ours/toolsListTokens").asInt(),
          g.at("/ours/toolsListTokens").asDouble() / Math.max(1, g.at("/dynamic/toolsListTokens").asDouble())));
    }
    md.append(String.format(Locale.ROOT, "| getOrder latency p50 / p99 ms (peer tool call vs Codemode execute) | %s | %s "
        + "| %s |\n", cell(d.path("peerGetOrder")), d.has("oursError") ? "failed: " + d.path("oursError").asText()
        .replace("|", "/") : cell(d.path("oursExecuteGetOrder")),
        d.has("oursError") ? "" : d.path("latencyP50Ratio").asDouble() >= 1
            ? String.format(Locale.ROOT, "Codemode %.1f× slower (p50)", d.path("latencyP50Ratio").asDouble())
            : String.format(Locale.ROOT, "Codemode %.1f× faster (p50)", 1 / d.path("latencyP50Ratio").asDouble())));
    if (!d.has("oursError")) {
      md.append(String.format(Locale.ROOT, "| tokens of the getOrder result | %,d | %,d | |\n",
          d.path("peerResultTokens").asInt(), d.path("oursResultTokens").asInt()));
    }
    md.append("\nOur one-tool-per-operation baseline (part 1) counts ").append(String.format(Locale.ROOT, "%,d",
        p.path("baselineGithubTokens").asLong())).append(" tokens for the GitHub spec; the peer's real `tools/list` "
        + "is the check on that baseline.\n\n");
  }

  private static boolean skipped(StringBuilder md, JsonNode part) {
    if (part.isMissingNode()) {
      md.append("Not run.\n\n");
      return true;
    }
    if (part.has("error")) {
      md.append("Failed: `").append(part.path("error").asText()).append("`\n\n");
      return true;
    }
    return false;
  }

  private static String cell(JsonNode stats) {
    if (stats.isTextual()) {
      return stats.asText().length() > 80 ? stats.asText().substring(0, 80) + "…" : stats.asText();
    }
    if (!stats.has("p50ms")) {
      return "n/a";
    }
    return fmt(stats.path("p50ms").asDouble()) + " / " + fmt(stats.path("p99ms").asDouble());
  }

  private static String rate(JsonNode r) {
    if (r.isTextual()) {
      return r.asText();
    }
    if (!r.has("perSecond")) {
      return "n/a";
    }
    return String.format(Locale.ROOT, "%,d", r.path("perSecond").asLong())
        + (r.path("errors").asLong() > 0 ? " (" + r.path("errors").asLong() + " errors)" : "");
  }

  /** "1,460×", or one decimal below 10 (a ratio under 1 means Codemode costs more). */
  static String times(double ratio) {
    return ratio >= 10 ? String.format(Locale.ROOT, "%,.0f×", ratio) : String.format(Locale.ROOT, "%.1f×", ratio);
  }

  private static String fmt(double ms) {
    return ms >= 100 ? String.format(Locale.ROOT, "%,.0f", ms) : String.format(Locale.ROOT, "%.2f", ms);
  }

  /** Replaces the text between the markers, or appends a "Numbers" section with them. */
  static void updateReadme(Path readme, JsonNode results) throws IOException {
    String text = Files.readString(readme);
    String section = START + "\n" + markdown(results) + END;
    Files.writeString(readme, replaceSection(text, section));
  }

  static String replaceSection(String text, String section) {
    int a = text.indexOf(START);
    int b = text.indexOf(END);
    if (a >= 0 && b > a) {
      return text.substring(0, a) + section + text.substring(b + END.length());
    }
    return text.stripTrailing() + "\n\n## Numbers\n\n" + section + "\n";
  }
}
