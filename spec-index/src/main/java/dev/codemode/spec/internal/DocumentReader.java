package dev.codemode.spec.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.codemode.spec.SpecException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads a document's bytes from a file path or URL and parses them into a Jackson tree (JSON or YAML), turning every
 * failure into a {@link SpecException} that names the file, the line and what to do. Stateless and thread-safe.
 */
final class DocumentReader {
  private static final int MAX_BYTES = 256 * 1024 * 1024;
  private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_BYTES).maxNestingDepth(5_000).build())
      .build()).build();
  private static final ObjectMapper YAML = yamlMapper();

  private DocumentReader() {}

  /** The raw document: bytes, where they came from, and their hash. */
  record Raw(String location, URI base, byte[] bytes, String sha256) {}

  static Raw read(String location) throws SpecException {
    URI base;
    byte[] bytes;
    try {
      if (location.startsWith("http://") || location.startsWith("https://") || location.startsWith("file:")) {
        base = URI.create(location);
        URLConnection conn = base.toURL().openConnection();
        conn.setConnectTimeout(10_000);
        conn.setReadTimeout(30_000);
        try (InputStream in = conn.getInputStream()) {
          bytes = in.readNBytes(MAX_BYTES);
        }
      } else {
        Path path = Path.of(location).toAbsolutePath().normalize();
        base = path.toUri();
        bytes = Files.readAllBytes(path);
      }
    } catch (NoSuchFileException e) {
      throw new SpecException("Cannot read OpenAPI document '" + location + "': no such file ("
          + Path.of(location).toAbsolutePath() + "). Check the path given to --spec.", e);
    } catch (IOException | IllegalArgumentException e) {
      throw new SpecException("Cannot read OpenAPI document '" + location + "': " + e
          + ". Check the path or URL and that it is readable.", e);
    }
    bytes = gunzipIfCompressed(location, bytes);
    return new Raw(location, base, bytes, sha256(bytes));
  }

  /**
   * A gzip-compressed document (magic bytes {@code 1f 8b}, whatever its name: {@code spec.json.gz}) is read
   * transparently, up to the same size cap as a plain one. The hash is of the unpacked bytes, so a spec and its
   * compressed copy share one embedding cache.
   */
  private static byte[] gunzipIfCompressed(String location, byte[] bytes) throws SpecException {
    if (bytes.length < 2 || (bytes[0] & 0xff) != 0x1f || (bytes[1] & 0xff) != 0x8b) {
      return bytes;
    }
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      byte[] out = in.readNBytes(MAX_BYTES + 1);
      if (out.length > MAX_BYTES) {
        throw new SpecException("OpenAPI document '" + location + "' unpacks to more than " + (MAX_BYTES >> 20)
            + " MiB; split it or point --spec at a smaller document.");
      }
      return out;
    } catch (IOException e) {
      throw new SpecException("OpenAPI document '" + location + "' starts like gzip but cannot be unpacked: "
          + e.getMessage() + ". Unpack it yourself (gunzip) or point --spec at the plain JSON or YAML.", e);
    }
  }

  /** Parses JSON or YAML (chosen by the first non-blank character) into a tree whose root must be an object. */
  static JsonNode parse(Raw raw) throws SpecException {
    String text = new String(raw.bytes(), StandardCharsets.UTF_8);
    int i = 0;
    if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
      i++;
    }
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    if (i == text.length()) {
      throw new SpecException("OpenAPI document '" + raw.location() + "' is empty. Point --spec at a JSON or YAML"
          + " OpenAPI 3.x or Swagger 2.0 document.");
    }
    boolean json = text.charAt(i) == '{' || text.charAt(i) == '[';
    JsonNode root;
    try {
      root = (json ? JSON : YAML).reader(new SharingNodeFactory()).readTree(text.substring(i));
    } catch (JsonProcessingException e) {
      JsonLocation loc = e.getLocation();
      String where = loc == null ? "" : " at line " + (loc.getLineNr() + lineOffset(text, i)) + ", column "
          + loc.getColumnNr();
      throw new SpecException("OpenAPI document '" + raw.location() + "' is not valid " + (json ? "JSON" : "YAML")
          + where + ": " + e.getOriginalMessage() + ". Fix the syntax there (or validate the file with a JSON/YAML"
          + " linter) and restart.", e);
    } catch (RuntimeException e) {
      throw new SpecException("OpenAPI document '" + raw.location() + "' could not be parsed as "
          + (json ? "JSON" : "YAML") + ": " + e.getMessage() + ". Fix the syntax and restart.", e);
    }
    if (root == null || !root.isObject()) {
      throw new SpecException("OpenAPI document '" + raw.location() + "' is not an OpenAPI document: the top level"
          + " is " + (root == null ? "empty" : root.getNodeType().toString().toLowerCase())
          + ", expected an object with an 'openapi' or 'swagger' field.");
    }
    return root;
  }

  /**
   * Makes one node for each distinct string value of a document: big specs repeat the same descriptions, examples and
   * URLs thousands of times (GitHub's tree: 150,000 text nodes), and the tree is kept for the server's life. Text nodes
   * are immutable, so sharing them is safe. One per parse (not thread-safe); the map is dropped with it.
   */
  private static final class SharingNodeFactory extends com.fasterxml.jackson.databind.node.JsonNodeFactory {
    private final java.util.HashMap<String, com.fasterxml.jackson.databind.node.TextNode> texts =
        new java.util.HashMap<>();

    @Override
    public com.fasterxml.jackson.databind.node.TextNode textNode(String text) {
      return text == null ? super.textNode(null) : texts.computeIfAbsent(text, super::textNode);
    }
  }

  private static int lineOffset(String text, int upTo) {
    int lines = 0;
    for (int k = 0; k < upTo; k++) {
      if (text.charAt(k) == '\n') {
        lines++;
      }
    }
    return lines;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static ObjectMapper yamlMapper() {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(MAX_BYTES);
    options.setMaxAliasesForCollections(10_000);
    YAMLFactory factory = YAMLFactory.builder().loaderOptions(options)
        .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_BYTES).build()).build();
    return new YAMLMapper(factory);
  }
}
