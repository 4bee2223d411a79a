package dev.codemode.spec.internal;

import dev.codemode.spec.ApiSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.IOContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lexical (Lucene) index on disk next to the embeddings: one directory per set of specs under
 * {@code cacheDir/lexical}, named by a hash of a format version, the code version ({@link SpecCache#CODE}) and every
 * spec's name and content hash. Read whole into memory, after Lucene has verified every file's checksum; anything
 * missing, corrupt or of the wrong size is ignored and the index is built (and written) again. Written to a temp
 * directory and moved into place, so concurrent starts never read half an index. Thread-safe.
 */
final class LexicalCache {
  private static final Logger LOG = LoggerFactory.getLogger(LexicalCache.class);
  /** Bump when the analysis or the fields change in a way the code version would not catch. */
  static final int FORMAT = 1;

  private LexicalCache() {}

  /** The cache directory for these specs (it may not exist yet); null without a cache dir. */
  static Path dir(Path cacheDir, List<ApiSpec> specs) {
    if (cacheDir == null) {
      return null;
    }
    StringBuilder key = new StringBuilder().append(FORMAT).append('\n').append(SpecCache.CODE);
    for (ApiSpec s : specs) {
      key.append('\n').append(s.name()).append('\n').append(s.contentHash()).append('\n')
          .append(s.operations().size());
    }
    String hash = DocumentReader.sha256(key.toString().getBytes(StandardCharsets.UTF_8));
    return cacheDir.resolve("lexical").resolve(prefix(specs) + hash.substring(0, 24));
  }

  /** The specs' names: a new build or document for the same names replaces the old directory. */
  private static String prefix(List<ApiSpec> specs) {
    StringBuilder names = new StringBuilder();
    for (ApiSpec s : specs) {
      names.append(names.length() == 0 ? "" : "+").append(s.name().replaceAll("[^A-Za-z0-9_-]", "_"));
    }
    return (names.length() > 60 ? names.substring(0, 60) : names) + "-";
  }

  /** Copies the cached index into {@code target} if it is whole and holds {@code docs} documents; else false. */
  static boolean copyInto(Path cached, ByteBuffersDirectory target, int docs) {
    if (!Files.isDirectory(cached)) {
      return false;
    }
    try (Directory fs = FSDirectory.open(cached)) {
      for (String file : fs.listAll()) {
        target.copyFrom(fs, file, file, IOContext.READONCE);
      }
      try (DirectoryReader reader = DirectoryReader.open(target)) {
        if (reader.numDocs() != docs) {
          throw new IOException(reader.numDocs() + " documents, expected " + docs);
        }
        for (LeafReaderContext leaf : reader.leaves()) {
          leaf.reader().checkIntegrity();
        }
      }
      return true;
    } catch (IOException | RuntimeException e) {
      LOG.warn("Ignoring the lexical index cache {}: {}; it will be rebuilt", cached, e.toString());
      deleteTree(cached); // so that the rebuilt index can take its place
      try {
        for (String file : target.listAll()) {
          target.deleteFile(file);
        }
      } catch (IOException cleanup) {
        throw new java.io.UncheckedIOException(cleanup);
      }
      return false;
    }
  }

  /** Writes the built index to {@code cached} (temp directory, then a move); a failure only costs a rebuild. */
  static void write(ByteBuffersDirectory index, Path cached) {
    if (cached == null || Files.isDirectory(cached)) {
      return;
    }
    Path tmp = null;
    try {
      Files.createDirectories(cached.getParent());
      tmp = Files.createTempDirectory(cached.getParent(), cached.getFileName() + ".tmp");
      try (Directory fs = FSDirectory.open(tmp)) {
        for (String file : index.listAll()) {
          fs.copyFrom(index, file, file, IOContext.DEFAULT);
        }
        fs.sync(List.of(fs.listAll()));
      }
      try {
        Files.move(tmp, cached, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        tmp = null;
      } catch (IOException raced) {
        if (!Files.isDirectory(cached)) {
          throw raced;
        }
        LOG.debug("Another start wrote the lexical index cache {} first", cached);
      }
      deleteStale(cached);
    } catch (IOException | RuntimeException e) {
      LOG.warn("Could not write the lexical index cache {}: {}; the next start will build it again", cached,
          e.toString());
    } finally {
      deleteTree(tmp);
    }
  }

  /** Same spec names, another build or document: never read again, so removed (temp directories are left alone). */
  private static void deleteStale(Path fresh) {
    String name = fresh.getFileName().toString();
    String prefix = name.substring(0, name.length() - 24);
    try (Stream<Path> siblings = Files.list(fresh.getParent())) {
      for (Path p : siblings.toList()) {
        String other = p.getFileName().toString();
        if (other.startsWith(prefix) && other.length() == name.length() && !other.equals(name)
            && !other.contains(".tmp")) {
          deleteTree(p);
        }
      }
    } catch (IOException e) {
      LOG.debug("Could not prune stale lexical caches next to {}: {}", fresh, e.toString());
    }
  }

  private static void deleteTree(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      LOG.debug("Could not remove {}: {}", dir, e.toString());
    }
  }
}
