package dev.codemode.spec.internal;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embeddings on disk, one compact binary file per API: a header (magic, count, dimension) then
 * big-endian floats. The file name carries the spec's content hash and a hash of the model id, the passage format
 * version and every passage, so a changed spec, model or passage text never reads stale vectors. Writes go to a temp
 * file and are moved into place. Thread-safe (files are written whole, then renamed).
 */
final class EmbeddingCache {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddingCache.class);
  private static final int MAGIC = 0x434d4531; // "CME1"

  private final Path dir;

  EmbeddingCache(Path dir) {
    this.dir = dir;
  }

  static Path file(Path dir, String api, String contentHash, List<String> passages) {
    StringBuilder key = new StringBuilder(Embedder.MODEL_ID).append('\n').append(DocText.VERSION);
    for (String p : passages) {
      key.append('\n').append(p);
    }
    String keyHash = DocumentReader.sha256(key.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    String safe = api.replaceAll("[^A-Za-z0-9._-]", "_");
    return dir.resolve("embeddings").resolve(safe + "-" + contentHash.substring(0, 12) + "-" + keyHash.substring(0, 16)
        + ".f32");
  }

  Optional<float[][]> read(Path file, int count) {
    if (dir == null || !Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try (InputStream raw = Files.newInputStream(file)) {
      byte[] all = raw.readAllBytes();
      ByteBuffer buf = ByteBuffer.wrap(all);
      if (buf.getInt() != MAGIC || buf.getInt() != count) {
        LOG.warn("Ignoring embedding cache {}: wrong header; it will be rebuilt", file);
        return Optional.empty();
      }
      int dim = buf.getInt();
      if (buf.remaining() != (long) count * dim * Float.BYTES) {
        LOG.warn("Ignoring embedding cache {}: truncated; it will be rebuilt", file);
        return Optional.empty();
      }
      float[][] out = new float[count][dim];
      for (float[] row : out) {
        buf.asFloatBuffer().get(row);
        buf.position(buf.position() + dim * Float.BYTES);
      }
      return Optional.of(out);
    } catch (IOException | RuntimeException e) {
      LOG.warn("Ignoring unreadable embedding cache {}: {}; it will be rebuilt", file, e.toString());
      return Optional.empty();
    }
  }

  void write(Path file, float[][] vectors) {
    if (dir == null) {
      return;
    }
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
      try (OutputStream out = Files.newOutputStream(tmp);
          DataOutputStream data = new DataOutputStream(new java.io.BufferedOutputStream(out, 1 << 16))) {
        data.writeInt(MAGIC);
        data.writeInt(vectors.length);
        data.writeInt(vectors.length == 0 ? 0 : vectors[0].length);
        for (float[] row : vectors) {
          for (float v : row) {
            data.writeFloat(v);
          }
        }
      }
      SpecCache.moveIntoPlace(tmp, file);
      SpecCache.deleteStale(file); // same API, same document, older model or passage format
    } catch (IOException e) {
      LOG.warn("Could not write embedding cache {}: {}; the next start will embed again", file, e.toString());
    }
  }
}
