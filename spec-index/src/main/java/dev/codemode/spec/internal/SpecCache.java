package dev.codemode.spec.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.codemode.spec.Operation;
import dev.codemode.spec.SecurityScheme;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.CodeSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loaded spec's own model (operations, security schemes, title, server URL, warnings, tag descriptions; for a
 * Swagger 2.0 document also the converted OpenAPI 3 tree) on disk next to the embeddings, so that a warm start skips
 * swagger-parser. One JSON file per spec under {@code cacheDir/specs}, keyed by the document's SHA-256, its name and
 * location, a format version and the code version ({@link #CODE}); the key is stored inside too and checked on read,
 * so a changed document, name, location or build never reads another's data. A missing, corrupt, truncated or
 * foreign file is ignored (and rewritten). Writes go to a temp file and are moved into place, so concurrent starts
 * sharing a directory never see half a file. Thread-safe.
 */
final class SpecCache {
  private static final Logger LOG = LoggerFactory.getLogger(SpecCache.class);
  /** Bump when the model or its extraction changes in a way the code version would not catch. */
  static final int FORMAT = 1;
  /** The build of this code: the size and time of its jar (or newest class file), so a rebuilt jar re-parses. */
  static final String CODE = codeVersion();
  private static final ObjectMapper JSON = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .serializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL).build();

  /**
   * Everything a warm start needs besides the document tree.
   *
   * @param tree the converted tree for Swagger 2.0 documents (null for OpenAPI 3: the document itself is the tree)
   */
  record Entry(int format, String code, String contentHash, String name, String location, String title,
      String serverUrl, List<Operation> operations, Map<String, SecurityScheme> schemes, List<String> warnings,
      Map<String, String> tags, JsonNode tree) {}

  private SpecCache() {}

  static Path file(Path cacheDir, String name, String location, String contentHash) {
    String key = DocumentReader.sha256((FORMAT + "\n" + CODE + "\n" + name + "\n" + location + "\n" + contentHash)
        .getBytes(StandardCharsets.UTF_8));
    String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
    return cacheDir.resolve("specs").resolve(safe + "-" + contentHash.substring(0, 12) + "-" + key.substring(0, 16)
        + ".json");
  }

  /** The cached entry for exactly this document, name, location and build; empty when absent or unusable. */
  static Optional<Entry> read(Path cacheDir, String name, String location, String contentHash) {
    if (cacheDir == null) {
      return Optional.empty();
    }
    Path file = file(cacheDir, name, location, contentHash);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try (InputStream in = Files.newInputStream(file)) {
      Entry e = JSON.readValue(in, Entry.class);
      if (e == null || e.format() != FORMAT || !CODE.equals(e.code()) || !contentHash.equals(e.contentHash())
          || !name.equals(e.name()) || !location.equals(e.location()) || e.operations() == null
          || e.schemes() == null || e.title() == null) {
        LOG.warn("Ignoring spec cache {}: it belongs to another document or build; it will be rebuilt", file);
        return Optional.empty();
      }
      return Optional.of(e);
    } catch (IOException | RuntimeException e) {
      LOG.warn("Ignoring unreadable spec cache {}: {}; it will be rebuilt", file, e.toString());
      return Optional.empty();
    }
  }

  /** Writes the entry whole (temp file, then atomic move); a failure only costs the next start a parse. */
  static void write(Path cacheDir, Entry entry) {
    if (cacheDir == null) {
      return;
    }
    Path file = file(cacheDir, entry.name(), entry.location(), entry.contentHash());
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
      try {
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
          JSON.writeValue(out, entry);
        }
        moveIntoPlace(tmp, file);
      } finally {
        Files.deleteIfExists(tmp);
      }
      deleteStale(file);
    } catch (IOException | RuntimeException e) {
      LOG.warn("Could not write spec cache {}: {}; the next start will parse again", file, e.toString());
    }
  }

  /** Moves {@code tmp} onto {@code target} atomically where the file system can (shared with the index cache). */
  static void moveIntoPlace(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Removes the siblings of {@code fresh} that only an older build, format or location would read: same name up to
   * the last '-', same length and extension (shared with {@link EmbeddingCache}).
   */
  static void deleteStale(Path fresh) {
    String name = fresh.getFileName().toString();
    String prefix = name.substring(0, name.lastIndexOf('-') + 1);
    String extension = name.substring(name.lastIndexOf('.'));
    try (Stream<Path> siblings = Files.list(fresh.getParent())) {
      for (Path p : siblings.toList()) {
        String other = p.getFileName().toString();
        if (other.startsWith(prefix) && other.endsWith(extension) && !other.equals(name)
            && other.length() == name.length()) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException e) {
      LOG.debug("Could not prune stale caches next to {}: {}", fresh, e.toString());
    }
  }

  private static String codeVersion() {
    try {
      CodeSource src = SpecCache.class.getProtectionDomain().getCodeSource();
      Path where = Path.of(src.getLocation().toURI());
      if (Files.isRegularFile(where)) {
        return Files.size(where) + "@" + Files.getLastModifiedTime(where).toMillis();
      }
      Path classes = where.resolve("dev/codemode/spec");
      try (Stream<Path> files = Files.walk(classes)) {
        long newest = files.filter(p -> p.toString().endsWith(".class")).mapToLong(p -> {
          try {
            return Files.getLastModifiedTime(p).toMillis();
          } catch (IOException e) {
            return System.nanoTime();
          }
        }).max().orElse(0);
        return "classes@" + newest;
      }
    } catch (IOException | URISyntaxException | RuntimeException e) {
      return "unknown@" + System.nanoTime(); // cannot tell the build: never reuse a cache across starts
    }
  }
}
