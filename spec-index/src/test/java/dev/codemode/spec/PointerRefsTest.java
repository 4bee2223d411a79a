package dev.codemode.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every operation is indexed whole: parameter $refs to any local JSON pointer, and path keys with a #fragment. */
class PointerRefsTest {

  private static List<String> params(ApiSpec spec, String id) {
    return spec.operation(id).orElseThrow().parameters().stream().map(p -> p.in() + ":" + p.name()).toList();
  }

  @Test
  void parameterRefsIntoOtherOperationsAreResolved() throws SpecException {
    ApiSpec spec = Fixtures.load("pointer-refs.yaml");
    assertEquals(List.of("path:key_id", "query:per_page"), params(spec, "keys_get"));
    assertEquals("integer", spec.operation("keys_get").orElseThrow().parameters().get(1).type());
    assertEquals("Items per page", spec.operation("keys_get").orElseThrow().parameters().get(1).description());
    assertEquals(List.of("query:page"), params(spec, "droplets_list"));
    assertTrue(spec.detailJson("droplets_list", 4_000).contains("\"page\""), spec.detailJson("droplets_list", 4_000));
    // A pointer that names nothing is still a warning naming it, not a silent drop.
    assertEquals(1, spec.warnings().stream().filter(w -> w.contains("Unresolved parameter")).count(),
        spec.warnings().toString());
  }

  @Test
  void aPathKeyFragmentIsNotPartOfTheRequestPath() throws SpecException {
    ApiSpec spec = Fixtures.load("pointer-refs.yaml");
    Operation add = spec.operation("files_add_shared_link").orElseThrow();
    assertEquals("/files/{file_id}", add.path());
    assertEquals("/files/{file_id}", spec.operation("files_remove_shared_link").orElseThrow().path());
    assertTrue(spec.detailJson("files_remove_shared_link", 4_000).contains("Remove the shared link"));
  }

  @Test
  void digitalOceanLoadsWithoutDroppedParameters() throws SpecException {
    ApiSpec spec = SharedFiles.load("digitalocean", "specs/digitalocean.json");
    assertEquals(0, spec.warnings().stream().filter(w -> w.contains("Unresolved parameter")).count(),
        String.join("\n", spec.warnings().stream().limit(5).toList()));
    List<String> keys = params(spec, "sshKeys_list");
    assertTrue(keys.contains("query:per_page") && keys.contains("query:page"), keys.toString());
  }
}
