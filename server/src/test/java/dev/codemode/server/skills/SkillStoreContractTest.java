package dev.codemode.server.skills;

import dev.codemode.server.config.StoreLocation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One contract, run against the embedded SQLite store and a real PostgreSQL: versions, scope, stats, removal, and
 * concurrent saves of one name from two store instances (two server instances) that must all land with distinct
 * versions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SkillStoreContractTest {
  private TestPostgres pg;
  private Path dir;

  @BeforeAll
  void start() throws Exception {
    pg = TestPostgres.start();
    dir = Files.createTempDirectory("skills-sqlite-");
  }

  @AfterAll
  void stop() {
    pg.close();
  }

  Stream<String> stores() {
    return Stream.of("sqlite", "postgres");
  }

  private StoreLocation location(String kind) {
    return kind.equals("sqlite") ? StoreLocation.sqlite(dir) : new StoreLocation(pg.jdbcUrl(), pg.user(), null);
  }

  private static SkillStore.Draft draft(String api, String owner, String name, String code) {
    return new SkillStore.Draft(api, owner, name, "does " + name, "{\"type\":\"object\"}", code, owner);
  }

  @ParameterizedTest
  @MethodSource("stores")
  void versionsScopeStatsAndRemoval(String kind) {
    String api = "Contract " + kind + " " + System.nanoTime();
    try (SkillStore store = JdbcSkillStore.open(location(kind))) {
      assertEquals(1, store.save(draft(api, "user:ann", "topCustomers", "return 1")).version());
      assertEquals(2, store.save(draft(api, "user:ann", "topCustomers", "return 2")).version());
      assertEquals(1, store.save(draft(api, "user:bob", "topCustomers", "return 'bob'")).version());
      assertEquals(1, store.save(draft("Other API", "user:ann", "topCustomers", "return 'other'")).version());

      assertEquals("return 2", store.find(api, List.of("user:ann"), "topCustomers", 0).orElseThrow().code());
      assertEquals("return 1", store.find(api, List.of("user:ann"), "topCustomers", 1).orElseThrow().code());
      assertTrue(store.find(api, List.of("user:eve"), "topCustomers", 0).isEmpty(), "not visible to another owner");
      assertEquals(2, store.versions(api, "user:ann", "topCustomers").size());

      store.recordRun(api, "user:ann", "topCustomers", 2, true, 30);
      store.recordRun(api, "user:ann", "topCustomers", 2, false, 10);
      store.recordRun(api, "user:ann", "topCustomers", 1, true, 5);
      List<Skill> latest = store.latest(List.of(api), List.of("user:ann"), false);
      assertEquals(1, latest.size());
      Skill.Stats st = latest.get(0).stats();
      assertEquals(3, st.runs());
      assertEquals(2, st.successes());
      assertEquals(1, st.failures());
      assertEquals(15, st.meanMillis());
      assertTrue(st.lastUsed() > 0);
      assertEquals(null, latest.get(0).code(), "the listing leaves code out");

      assertEquals(1, store.remove(api, "user:ann", "topCustomers", 1));
      assertEquals(List.of(2), store.versions(api, "user:ann", "topCustomers").stream().map(Skill::version).toList());
      assertEquals(1, store.remove(api, "user:ann", "topCustomers", 0));
      assertTrue(store.find(api, List.of("user:ann"), "topCustomers", 0).isEmpty());
      assertTrue(store.find(api, List.of("user:bob"), "topCustomers", 0).isPresent(), "bob's skill is untouched");
    }
  }

  /** Two instances (two pools) save one name 2 x 4 threads x 10 times at once: 80 distinct versions, none lost. */
  @ParameterizedTest
  @MethodSource("stores")
  void concurrentSavesFromTwoInstancesGetDistinctVersions(String kind) throws Exception {
    String api = "Race " + kind + " " + System.nanoTime();
    int threads = 4;
    int each = 10;
    try (SkillStore a = JdbcSkillStore.open(location(kind)); SkillStore b = JdbcSkillStore.open(location(kind))) {
      ExecutorService pool = Executors.newFixedThreadPool(threads * 2);
      List<Future<List<Integer>>> futures = new ArrayList<>();
      for (int t = 0; t < threads * 2; t++) {
        SkillStore store = t % 2 == 0 ? a : b;
        int id = t;
        Callable<List<Integer>> job = () -> {
          List<Integer> versions = new ArrayList<>();
          for (int i = 0; i < each; i++) {
            versions.add(store.save(draft(api, "user:ann", "racy", "return '" + id + "-" + i + "'")).version());
          }
          return versions;
        };
        futures.add(pool.submit(job));
      }
      Set<Integer> seen = new TreeSet<>();
      for (Future<List<Integer>> f : futures) {
        for (int v : f.get()) {
          assertTrue(seen.add(v), "version " + v + " was handed out twice");
        }
      }
      pool.shutdown();
      assertEquals(threads * 2 * each, seen.size());
      List<Skill> stored = a.versions(api, "user:ann", "racy");
      assertEquals(threads * 2 * each, stored.size(), "every save is stored");
      assertEquals(threads * 2 * each, stored.stream().map(Skill::code).distinct().count(), "no write was lost");
    }
  }
}
