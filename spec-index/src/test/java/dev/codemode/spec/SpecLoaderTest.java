package dev.codemode.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpecLoaderTest {

  @ParameterizedTest
  @CsvSource({
      "specs/github-rest-3.0.json, 1223",
      "specs/cloudflare-3.0.json, 1535",
      "specs/kubernetes-3.0.json, 845",
      "specs/stripe-3.0.json, 417",
      "specs/stripe-swagger-2.0.json, 350",
      "specs/httpbin-3.0.json, 78",
      "specs/petstore-swagger-2.0.json, 20",
      "specs/petstore-3.1.yaml, 3",
      "specs/digitalocean.json, 290",
      "specs/box.json, 260",
      "specs/slack.json, 174",
      "specs/asana.json, 167",
      "search-eval/restbench/tmdb_oas.json, 54",
      "search-eval/restbench/spotify_oas.json, 40",
  })
  void everySharedSpecLoads(String file, int expectedOps) throws SpecException {
    ApiSpec spec = SharedFiles.load("api", file);
    assertEquals(expectedOps, spec.operations().size(), file);
    Set<String> ids = new HashSet<>();
    for (Operation op : spec.operations()) {
      assertTrue(ids.add(op.operationId()), "duplicate id " + op.operationId());
      assertTrue(spec.operation(op.operationId()).isPresent());
    }
    assertFalse(spec.title().isEmpty());
    assertEquals(64, spec.contentHash().length());
  }

  @Test
  void aGzippedSpecReadsLikeThePlainOneAndSharesItsHash(@TempDir Path dir) throws Exception {
    Path plain = Path.of(SharedFiles.spec("petstore-swagger-2.0.json"));
    Path gz = dir.resolve("petstore.json.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(Files.readAllBytes(plain));
    }
    ApiSpec a = SpecLoader.load("p", plain.toString());
    ApiSpec b = SpecLoader.load("p", gz.toString());
    assertEquals(a.operations().size(), b.operations().size());
    assertEquals(a.contentHash(), b.contentHash());
  }

  @Test
  void aBrokenGzipSaysWhatToDo(@TempDir Path dir) throws Exception {
    Path gz = dir.resolve("broken.json.gz");
    Files.write(gz, new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3});
    SpecException e = assertThrows(SpecException.class, () -> SpecLoader.load("p", gz.toString()));
    assertTrue(e.getMessage().contains("cannot be unpacked") && e.getMessage().contains("gunzip"), e.getMessage());
  }
}
