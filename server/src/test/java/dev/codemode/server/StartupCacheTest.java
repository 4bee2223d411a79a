package dev.codemode.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codemode.server.config.CliOptions;
import dev.codemode.demo.DemoApi;
import dev.codemode.spec.ApiSpec;
import dev.codemode.spec.Operation;
import dev.codemode.spec.SpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Start-up from the spec cache: the same tools and answers as a cold start, over the demo API's real spec. */
class StartupCacheTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void theDemoSpecFromTheCacheGivesTheSameDetailViews() throws Exception {
    try (DemoApi demo = DemoApi.start("127.0.0.1", 0, DemoApi.DEFAULT_TOKEN)) {
      Path spec = dir.resolve("demo.json");
      Files.writeString(spec, demo.openApiJson());
      Path cache = dir.resolve("cache");
      ApiSpec fresh = SpecLoader.load("demo", spec.toString());
      SpecLoader.load("demo", spec.toString(), cache);
      ApiSpec warm = SpecLoader.load("demo", spec.toString(), cache);
      try (Stream<Path> files = Files.list(cache.resolve("specs"))) {
        assertEquals(1, files.count());
      }
      assertEquals(fresh.operations(), warm.operations());
      assertEquals(fresh.securitySchemes(), warm.securitySchemes());
      assertEquals(fresh.serverUrl(), warm.serverUrl());
      for (Operation op : fresh.operations()) {
        assertEquals(fresh.detailJson(op.operationId(), 3_000), warm.detailJson(op.operationId(), 3_000));
        assertEquals(fresh.signature(op.operationId()), warm.signature(op.operationId()));
      }
    }
  }

  @Test
  void aWarmStartServesTheSameToolsSearchesAndExecutes() throws Exception {
    Path spec = dir.resolve("demo.json");
    try (DemoApi demo = DemoApi.start("127.0.0.1", 0, DemoApi.DEFAULT_TOKEN)) {
      Files.writeString(spec, demo.openApiJson());
      List<String> cold = run(spec, demo);
      assertTrue(Files.list(dir.resolve("cache").resolve("specs")).findAny().isPresent(), "the spec was cached");
      List<String> warm = run(spec, demo);
      assertEquals(cold, warm);
    }
  }

  /** Tool definitions, a search's operationIds and an execute's result of one start. */
  private List<String> run(Path spec, DemoApi demo) throws Exception {
    CliOptions o = new CliOptions();
    new CommandLine(o).parseArgs("--spec", spec.toString(), "--base-url", demo.baseUrl().toString(), "--auth",
        "bearerAuth=env:DEMO_TOKEN", "--no-semantic", "--isolation", "in-process", "--skills", "off", "--cache-dir",
        dir.resolve("cache").toString());
    try (Codemode app = Codemode.start(o.toConfig(Map.of("DEMO_TOKEN", DemoApi.DEFAULT_TOKEN)))) {
      String tools = JSON.writeValueAsString(app.definition().tools().stream().map(t -> t.tool()).toList());
      JsonNode found = JSON.readTree(app.tools().searchAsync(Map.of("query", "list orders of a customer")).block()
          .json());
      JsonNode ran = JSON.readTree(app.tools().execute(null, Map.of("code",
          "const r = await api.call('listOrders', {customer_id: 'c1', per_page: 3}); return r.status;"), null).block()
          .json());
      app.warm().join();
      assertTrue(found.path("results").size() > 0, found.toString());
      return List.of(tools, found.path("results").toString(), ran.path("result").toString());
    }
  }
}
