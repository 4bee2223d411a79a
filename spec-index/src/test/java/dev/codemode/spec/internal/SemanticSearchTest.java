package dev.codemode.spec.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.spec.ApiSpec;
import dev.codemode.spec.SearchIndex;
import dev.codemode.spec.SearchQuery;
import dev.codemode.spec.SharedFiles;
import dev.codemode.spec.SpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SemanticSearchTest {

  @Test
  void hybridFindsByMeaningAndSecondBuildReadsTheCache(@TempDir Path cache) throws Exception {
    ApiSpec petstore = SpecLoader.load("petstore", SharedFiles.spec("petstore-swagger-2.0.json"));
    SearchIndex.Options options = SearchIndex.Options.defaults().withCacheDir(cache);
    try (HybridIndex first = (HybridIndex) SearchIndex.build(List.of(petstore), options)) {
      assertEquals(petstore.operations().size(), first.buildStats().embedded());
      List<String> ids = first.search(SearchQuery.of("register a new animal for sale", 3)).stream()
          .map(h -> h.operation().operationId()).toList();
      assertTrue(ids.contains("addPet"), ids.toString());
      List<String> semantic = first.search(SearchQuery.of("sign out of my session", 3), HybridIndex.Mode.SEMANTIC)
          .stream().map(h -> h.operation().operationId()).toList();
      assertTrue(semantic.contains("logoutUser"), semantic.toString());
    }
    try (Stream<Path> files = Files.walk(cache)) {
      assertEquals(1, files.filter(p -> p.toString().endsWith(".f32")).count());
    }
    try (HybridIndex second = (HybridIndex) SearchIndex.build(List.of(petstore), options)) {
      assertEquals(0, second.buildStats().embedded());
      assertEquals(petstore.operations().size(), second.buildStats().fromCache());
    }
  }
}
