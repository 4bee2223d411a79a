package dev.codemode.spec.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.spec.ApiSpec;
import dev.codemode.spec.Operation;
import dev.codemode.spec.SearchIndex;
import dev.codemode.spec.SearchQuery;
import dev.codemode.spec.SharedFiles;
import dev.codemode.spec.SpecLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The on-disk spec cache: same answers as a fresh parse, never stale, never another document's, safe to share. */
class SpecCacheTest {
  private static final List<String> QUERIES = List.of("create an issue", "list repositories of a user",
      "delete a webhook", "find a pet by its status", "upload a file", "get the authenticated user");

  @TempDir
  Path cache;

  @Test
  void aCachedGithubSpecAnswersLikeAFreshParse() throws Exception {
    String location = SharedFiles.spec("github-rest-3.0.json");
    ApiSpec fresh = SpecLoader.load("github", location);
    ApiSpec written = SpecLoader.load("github", location, cache);
    Path file = SpecCache.file(cache, "github", location, fresh.contentHash());
    assertTrue(Files.isRegularFile(file), "a cold load writes the cache");
    assertTrue(SpecCache.read(cache, "github", location, fresh.contentHash()).isPresent());
    ApiSpec warm = SpecLoader.load("github", location, cache);
    assertSame(fresh, written, 25);
    assertSame(fresh, warm, 25);
  }

  @Test
  void aCachedSwagger2SpecKeepsItsConvertedTree() throws Exception {
    String location = SharedFiles.spec("petstore-swagger-2.0.json");
    ApiSpec fresh = SpecLoader.load("pets", location);
    SpecLoader.load("pets", location, cache);
    ApiSpec warm = SpecLoader.load("pets", location, cache);
    assertTrue(SpecCache.read(cache, "pets", location, fresh.contentHash()).orElseThrow().tree() != null);
    assertSame(fresh, warm, 1);
  }

  @Test
  void aCorruptOrTruncatedCacheIsIgnoredAndRewritten() throws Exception {
    String location = SharedFiles.spec("petstore-3.1.yaml");
    ApiSpec fresh = SpecLoader.load("api", location, cache);
    Path file = SpecCache.file(cache, "api", location, fresh.contentHash());
    byte[] good = Files.readAllBytes(file);
    for (byte[] bad : List.of(java.util.Arrays.copyOf(good, good.length / 2), "not json at all".getBytes(),
        new byte[0], "{\"format\":1}".getBytes())) {
      Files.write(file, bad);
      assertTrue(SpecCache.read(cache, "api", location, fresh.contentHash()).isEmpty());
      ApiSpec again = SpecLoader.load("api", location, cache);
      assertSame(fresh, again, 1);
      assertTrue(SpecCache.read(cache, "api", location, fresh.contentHash()).isPresent(), "rewritten after "
          + bad.length + " bad bytes");
    }
  }

  @Test
  void aChangedSpecAtTheSamePathIsNeverServedFromTheOldCache() throws Exception {
    Path spec = cache.resolve("spec.yaml");
    String text = Files.readString(Path.of(SharedFiles.spec("petstore-3.1.yaml")));
    Files.writeString(spec, text);
    ApiSpec first = SpecLoader.load("api", spec.toString(), cache);
    SpecLoader.load("api", spec.toString(), cache);
    String renamed = text.replaceFirst("operationId: (\\w+)", "operationId: renamedOperation");
    assertNotEquals(text, renamed);
    Files.writeString(spec, renamed);
    ApiSpec second = SpecLoader.load("api", spec.toString(), cache);
    assertNotEquals(first.contentHash(), second.contentHash());
    assertTrue(second.operation("renamedOperation").isPresent());
    assertEquals(SpecLoader.load("api", spec.toString()).operations(), second.operations());
    assertEquals(second.operations(), SpecLoader.load("api", spec.toString(), cache).operations());
  }

  @Test
  void anEntryOfAnotherDocumentUnderThisKeyIsIgnored() throws Exception {
    String location = SharedFiles.spec("petstore-3.1.yaml");
    ApiSpec pets = SpecLoader.load("api", location, cache);
    Path file = SpecCache.file(cache, "api", location, pets.contentHash());
    String other = Files.readString(file, StandardCharsets.UTF_8).replace(pets.contentHash(), "0".repeat(64));
    Files.writeString(file, other);
    assertTrue(SpecCache.read(cache, "api", location, pets.contentHash()).isEmpty());
    assertEquals(pets.operations(), SpecLoader.load("api", location, cache).operations());
  }

  @Test
  void concurrentStartsSharingACacheDirAgreeAndLeaveOneWholeFile() throws Exception {
    String location = SharedFiles.spec("stripe-3.0.json");
    ApiSpec fresh = SpecLoader.load("stripe", location);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<ApiSpec>> runs = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        runs.add(pool.submit(() -> SpecLoader.load("stripe", location, cache)));
      }
      for (Future<ApiSpec> r : runs) {
        assertEquals(fresh.operations(), r.get().operations());
      }
    } finally {
      pool.shutdownNow();
    }
    try (Stream<Path> files = Files.list(cache.resolve("specs"))) {
      List<String> names = files.map(p -> p.getFileName().toString()).toList();
      assertEquals(1, names.size(), "one file, no temp files left: " + names);
    }
    assertTrue(SpecCache.read(cache, "stripe", location, fresh.contentHash()).isPresent());
  }

  /** Same model, same detail views and signatures (every {@code step}-th operation), same lexical search results. */
  private static void assertSame(ApiSpec fresh, ApiSpec other, int step) {
    assertEquals(fresh.title(), other.title());
    assertEquals(fresh.serverUrl(), other.serverUrl());
    assertEquals(fresh.operations(), other.operations());
    assertEquals(fresh.securitySchemes(), other.securitySchemes());
    assertEquals(fresh.warnings(), other.warnings());
    assertEquals(fresh.areas(), other.areas());
    assertEquals(fresh.contentHash(), other.contentHash());
    List<Operation> ops = fresh.operations();
    assertFalse(ops.isEmpty());
    for (int i = 0; i < ops.size(); i += step) {
      String id = ops.get(i).operationId();
      assertEquals(fresh.detailJson(id, 4_000), other.detailJson(id, 4_000), id);
      assertEquals(fresh.signature(id), other.signature(id), id);
    }
    assertEquals(fresh.nodeJson("/info", 2_000), other.nodeJson("/info", 2_000));
    SearchIndex.Options lexical = new SearchIndex.Options(false, null);
    try (SearchIndex a = SearchIndex.build(List.of(fresh), lexical);
        SearchIndex b = SearchIndex.build(List.of(other), lexical)) {
      for (String q : QUERIES) {
        assertEquals(a.search(SearchQuery.of(q, 10)), b.search(SearchQuery.of(q, 10)), q);
      }
    }
  }
}
