package dev.codemode.spec.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.spec.ApiSpec;
import dev.codemode.spec.SearchIndex;
import dev.codemode.spec.SearchQuery;
import dev.codemode.spec.SharedFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lexical index on disk: the same results as a fresh build, rebuilt when damaged, one per set of specs. */
class LexicalCacheTest {
  private static final List<String> QUERIES = List.of("create an issue", "list repositories of a user",
      "delete a webhook", "star a gist", "GET /repos/{owner}/{repo}", "who am i");

  @TempDir
  Path cache;

  @Test
  void aCachedIndexRanksLikeAFreshOne() throws Exception {
    ApiSpec github = SharedFiles.load("github", "specs/github-rest-3.0.json");
    SearchIndex.Options options = new SearchIndex.Options(false, cache);
    try (HybridIndex fresh = HybridIndex.build(List.of(github), new SearchIndex.Options(false, null));
        HybridIndex written = HybridIndex.build(List.of(github), options);
        HybridIndex read = HybridIndex.build(List.of(github), options)) {
      Path dir = LexicalCache.dir(cache, List.of(github));
      assertTrue(Files.isDirectory(dir));
      for (String q : QUERIES) {
        assertEquals(fresh.search(SearchQuery.of(q, 10)), written.search(SearchQuery.of(q, 10)), q);
        assertEquals(fresh.search(SearchQuery.of(q, 10)), read.search(SearchQuery.of(q, 10)), q);
      }
    }
  }

  @Test
  void aChangedDocumentReplacesTheOldIndexOfTheSameName() throws Exception {
    Path file = cache.resolve("spec.yaml");
    String text = Files.readString(Path.of(SharedFiles.spec("petstore-3.1.yaml")));
    Files.writeString(file, text);
    SearchIndex.Options options = new SearchIndex.Options(false, cache);
    ApiSpec before = dev.codemode.spec.SpecLoader.load("api", file.toString());
    HybridIndex.build(List.of(before), options).close();
    Files.writeString(file, text.replaceFirst("operationId: (\\w+)", "operationId: renamedOperation"));
    ApiSpec after = dev.codemode.spec.SpecLoader.load("api", file.toString());
    try (HybridIndex index = HybridIndex.build(List.of(after), options)) {
      assertEquals("renamedOperation", index.search(SearchQuery.of("renamedOperation", 1)).get(0).operation()
          .operationId());
    }
    try (Stream<Path> dirs = Files.list(cache.resolve("lexical"))) {
      assertEquals(List.of(LexicalCache.dir(cache, List.of(after))), dirs.toList());
    }
  }

  @Test
  void aDamagedCacheIsRebuiltAndAnotherSpecGetsItsOwn() throws Exception {
    ApiSpec pets = SharedFiles.load("api", "specs/petstore-swagger-2.0.json");
    ApiSpec stripe = SharedFiles.load("stripe", "specs/stripe-3.0.json");
    Path dir = LexicalCache.dir(cache, List.of(pets));
    assertNotEquals(dir, LexicalCache.dir(cache, List.of(stripe)));
    SearchIndex.Options options = new SearchIndex.Options(false, cache);
    List<Object> expected;
    try (HybridIndex fresh = HybridIndex.build(List.of(pets), options)) {
      expected = List.of(fresh.search(SearchQuery.of("find pets by status", 5)));
    }
    Path biggest;
    try (Stream<Path> files = Files.list(dir)) {
      biggest = files.max(Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(biggest);
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(biggest, bytes);
    assertFalse(LexicalCache.copyInto(dir, new org.apache.lucene.store.ByteBuffersDirectory(),
        pets.operations().size()), "a flipped byte is caught");
    try (HybridIndex rebuilt = HybridIndex.build(List.of(pets), options)) {
      assertEquals(expected, List.of(rebuilt.search(SearchQuery.of("find pets by status", 5))));
    }
    assertTrue(LexicalCache.copyInto(dir, new org.apache.lucene.store.ByteBuffersDirectory(),
        pets.operations().size()), "rewritten whole");
    assertFalse(LexicalCache.copyInto(dir, new org.apache.lucene.store.ByteBuffersDirectory(),
        pets.operations().size() + 1), "a count that does not match is refused");
  }
}
