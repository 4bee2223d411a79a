package dev.codemode.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codemode.spec.ApiSpec;
import dev.codemode.spec.SpecLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Part 1: tokens of our {@code tools/list} response against one tool per operation, for every spec in
 * {@code shared/specs} (and the demo spec). No network, no sandbox. Example:
 * <pre>{@code ObjectNode r = new ContextEconomy(specDir, demoSpec).run();}</pre>
 */
final class ContextEconomy {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path specDir;
  private final Path demoSpec;

  ContextEconomy(Path specDir, Path demoSpec) {
    this.specDir = specDir;
    this.demoSpec = demoSpec;
  }

  ObjectNode run() throws Exception {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    ArrayNode rows = out.putArray("specs");
    List<Path> files;
    try (Stream<Path> s = Files.list(specDir)) {
      files = s.filter(p -> p.toString().matches(".*\\.(json|ya?ml)$")).sorted().toList();
    }
    int max = 0;
    String maxSpec = "";
    for (Path f : Stream.concat(files.stream(), Stream.of(demoSpec)).toList()) {
      ObjectNode row = measure(f);
      rows.add(row);
      Bench.log("  context %-28s ops %5d  ours %5d  per-endpoint %,10d  ratio %,8.0fx", row.get("spec").asText(),
          row.get("operations").asInt(), row.get("oursTokens").asInt(), row.get("perEndpointTokens").asLong(),
          row.get("ratio").asDouble());
      if (row.get("oursTokens").asInt() > max) {
        max = row.get("oursTokens").asInt();
        maxSpec = row.get("spec").asText();
      }
    }
    out.put("oursMaxTokens", max);
    out.put("oursMaxSpec", maxSpec);
    out.put("oursBudget", 900);
    out.put("withinBudget", max <= 900);
    out.put("tokenizer", Tokens.ENCODING);
    out.put("maxRefDepth", PerEndpointTools.MAX_REF_DEPTH);
    return out;
  }

  /**
   * Tokens of the one-tool-per-operation {@code tools/list} response for {@code file}: {total, tools, largest tool}.
   * Summed per tool definition plus the envelope and the commas between them.
   */
  static long[] baseline(Path file) throws IOException {
    long[] perEndpoint = {Tokens.count("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":[]}}"), 0, 0};
    PerEndpointTools.load(file).forEach(tool -> {
      try {
        int n = Tokens.count(JSON.writeValueAsString(tool));
        perEndpoint[0] += n + (perEndpoint[1] > 0 ? 1 : 0);
        perEndpoint[1]++;
        perEndpoint[2] = Math.max(perEndpoint[2], n);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    return perEndpoint;
  }

  private ObjectNode measure(Path file) throws Exception {
    long t0 = System.nanoTime();
    ApiSpec spec = SpecLoader.load("api", file.toString());
    String ours = InProcess.toolsListJson(spec);
    int oursTokens = Tokens.count(ours);
    long[] perEndpoint = baseline(file);
    long rawTokens = Tokens.count(Files.readString(file));
    ObjectNode row = JsonNodeFactory.instance.objectNode();
    row.put("spec", file.getFileName().toString());
    row.put("operations", spec.operations().size());
    row.put("oursTokens", oursTokens);
    row.put("oursChars", ours.length());
    row.put("perEndpointTools", perEndpoint[1]);
    row.put("perEndpointTokens", perEndpoint[0]);
    row.put("perEndpointLargestTool", perEndpoint[2]);
    row.put("rawSpecTokens", rawTokens);
    row.put("ratio", Math.round(10.0 * perEndpoint[0] / oursTokens) / 10.0);
    row.put("seconds", Math.round((System.nanoTime() - t0) / 1e7) / 100.0);
    return row;
  }
}
