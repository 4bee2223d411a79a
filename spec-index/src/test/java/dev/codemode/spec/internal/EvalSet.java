package dev.codemode.spec.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A set of search tasks: a plain-words query and the operations ({@code "GET /path"}) that solve it. Reads the
 * RestBench format ({@code [{"query", "solution": [...]}]}) and the held-out format, which adds {@code "api"}.
 * Gold entries are normalised (white space, the documented RestBench defects). Immutable.
 *
 * <pre>{@code
 * EvalSet tmdb = EvalSet.read("tmdb", Path.of("restbench/tmdb.json"), "tmdb");
 * }</pre>
 */
public record EvalSet(String name, List<Task> tasks, boolean byId) {

  /** One task; {@code api} is the spec name the query runs against. */
  public record Task(String api, String query, List<String> gold) {}

  /** Known defects of the published gold lists, fixed here as data (not tuning). */
  private static final Map<String, String> GOLD_FIXES = Map.of("GET /track/{id}", "GET /tracks/{id}");
  private static final ObjectMapper JSON = new ObjectMapper();

  public EvalSet {
    Objects.requireNonNull(name, "name");
    tasks = List.copyOf(tasks);
  }

  public EvalSet(String name, List<Task> tasks) {
    this(name, tasks, false);
  }

  /** One task per line, {@code {"query", "gold": [operationId...]}}, all against {@code api}; gold by operationId. */
  public static EvalSet jsonl(String name, Path file, String api) throws IOException {
    List<Task> tasks = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode t = JSON.readTree(line);
      List<String> gold = new ArrayList<>();
      t.path("gold").forEach(g -> gold.add(g.asText()));
      tasks.add(new Task(api, t.path("query").asText(), gold));
    }
    return new EvalSet(name, tasks, true);
  }

  public static EvalSet read(String name, Path file, String defaultApi) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return parse(name, JSON.readTree(in), defaultApi);
    }
  }

  public static EvalSet resource(String name, String resource) throws IOException {
    try (InputStream in = EvalSet.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("Missing classpath resource " + resource);
      }
      return parse(name, JSON.readTree(in), null);
    }
  }

  private static EvalSet parse(String name, JsonNode root, String defaultApi) {
    List<Task> tasks = new ArrayList<>();
    for (JsonNode t : root) {
      List<String> gold = new ArrayList<>();
      for (JsonNode g : t.path("solution")) {
        gold.add(normalise(g.asText()));
      }
      tasks.add(new Task(t.path("api").asText(defaultApi), t.path("query").asText(), gold));
    }
    return new EvalSet(name, tasks);
  }

  /** {@code "GET  /movie/{movie_id} "} becomes {@code "GET /movie/{movie_id}"}, defects fixed. */
  public static String normalise(String gold) {
    String[] parts = gold.strip().split("\\s+", 2);
    String key = parts[0].toUpperCase(Locale.ROOT) + " " + (parts.length > 1 ? parts[1].replaceAll("\\s+", "") : "");
    return GOLD_FIXES.getOrDefault(key, key);
  }
}
