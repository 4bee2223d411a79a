package dev.codemode.spec.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codemode.spec.ApiSpec;
import dev.codemode.spec.Operation;
import dev.codemode.spec.SecurityScheme;
import dev.codemode.spec.SpecException;
import io.swagger.parser.util.SwaggerDeserializationResult;
import io.swagger.parser.util.SwaggerDeserializer;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.converter.SwaggerConverter;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.swagger.v3.parser.util.OpenAPIDeserializer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads one OpenAPI 3.x or Swagger 2.0 document with swagger-parser, without resolving references (resolving GitHub's
 * or Stripe's specs fully multiplies their size), and keeps the OpenAPI 3 shaped Jackson tree for lazy detail views.
 * Stateless and thread-safe.
 *
 * <pre>{@code
 * ApiSpec spec = SpecReader.read("petstore", "specs/petstore.yaml");
 * }</pre>
 */
final class SpecReader {
  private static final Logger LOG = LoggerFactory.getLogger(SpecReader.class);
  private static final int MAX_PARSER_WARNINGS = 20;

  private SpecReader() {}

  /** Reads and parses the document; see {@link dev.codemode.spec.SpecLoader#load}. */
  public static ApiSpec read(String name, String location) throws SpecException {
    return read(name, location, null);
  }

  /**
   * Reads the document; when {@code cacheDir} holds this document's model ({@link SpecCache}, keyed by its SHA-256)
   * swagger-parser is skipped and the tree is parsed in the background, else it is parsed and the model cached.
   */
  public static ApiSpec read(String name, String location, Path cacheDir) throws SpecException {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(location, "location");
    long start = System.nanoTime();
    DocumentReader.Raw raw = DocumentReader.read(location);
    Optional<SpecCache.Entry> cached = SpecCache.read(cacheDir, name, location, raw.sha256());
    if (cached.isPresent()) {
      SpecCache.Entry e = cached.get();
      Supplier<JsonNode> tree = e.tree() != null && !e.tree().isNull() ? e::tree : parseInBackground(raw);
      LOG.info("Loaded {} ({}) from the spec cache: {} operations in {} ms", name, location, e.operations().size(),
          (System.nanoTime() - start) / 1_000_000);
      return new LoadedSpec(name, e.title(), location, e.serverUrl(), e.operations(), e.schemes(), e.warnings(),
          raw.sha256(), tree, e.tags());
    }
    JsonNode root = DocumentReader.parse(raw);
    List<String> warnings = new ArrayList<>();
    ParseOptions options = new ParseOptions();
    options.setResolve(false);
    SwaggerParseResult result;
    JsonNode tree;
    String serverUrl;
    JsonNode openapi = root.get("openapi");
    JsonNode swagger = root.get("swagger");
    try {
      if (openapi != null) {
        if (!openapi.asText().startsWith("3.")) {
          throw new SpecException("OpenAPI document '" + location + "' declares openapi: '" + openapi.asText()
              + "' at /openapi; only 3.0.x, 3.1.x and Swagger 2.0 are supported.");
        }
        result = new OpenAPIDeserializer().deserialize(root, location, options);
        tree = root;
        serverUrl = ServerUrls.fromOpenApi3(root, raw.base());
      } else if (swagger != null) {
        if (!"2.0".equals(swagger.asText())) {
          throw new SpecException("OpenAPI document '" + location + "' declares swagger: '" + swagger.asText()
              + "' at /swagger; only Swagger 2.0 and OpenAPI 3.x are supported.");
        }
        SwaggerDeserializationResult v2 = new SwaggerDeserializer().deserialize(root);
        result = new SwaggerConverter().convert(v2);
        tree = result.getOpenAPI() == null ? null : Json.mapper().valueToTree(result.getOpenAPI());
        serverUrl = ServerUrls.fromSwagger2(root, raw.base());
      } else {
        throw new SpecException("'" + location + "' is not an OpenAPI document: the top level has no 'openapi' or"
            + " 'swagger' field (it has: " + fieldNames(root) + "). Point --spec at an OpenAPI 3.x or Swagger 2.0"
            + " document.");
      }
    } catch (RuntimeException e) {
      throw new SpecException("OpenAPI document '" + location + "' could not be read by swagger-parser: " + e
          + ". Validate it (e.g. with https://editor.swagger.io) and restart.", e);
    }
    OpenAPI model = result.getOpenAPI();
    if (model == null) {
      throw new SpecException("OpenAPI document '" + location + "' could not be parsed: "
          + String.join("; ", result.getMessages() == null ? List.of() : result.getMessages())
          + ". Fix the places named and restart.");
    }
    addParserMessages(result.getMessages(), location, warnings);
    ExternalRefs.check(tree, raw.base(), warnings);
    List<Operation> operations = new OperationExtractor(name, model, tree, warnings).extract();
    Map<String, SecurityScheme> schemes = SecuritySchemes.of(model);
    String title = model.getInfo() == null || model.getInfo().getTitle() == null ? name : model.getInfo().getTitle();
    LOG.info("Loaded {} ({}): {} operations, {} warnings in {} ms", name, location, operations.size(),
        warnings.size(), (System.nanoTime() - start) / 1_000_000);
    Map<String, String> tags = LoadedSpec.tagDescriptions(tree);
    SpecCache.write(cacheDir, new SpecCache.Entry(SpecCache.FORMAT, SpecCache.CODE, raw.sha256(), name, location, title,
        serverUrl, operations, schemes, warnings, tags, tree == root ? null : tree));
    JsonNode finalTree = tree;
    return new LoadedSpec(name, title, location, serverUrl, operations, schemes, warnings, raw.sha256(),
        () -> finalTree, tags);
  }

  /**
   * The document parsed into a tree on a daemon thread, started now, joined on first use: a warm start answers
   * {@code tools/list} without waiting for it, and detail views, signatures and argument checks get it well before
   * they are asked (GitHub's 13 MB: well under a second once the JVM is warm).
   */
  private static Supplier<JsonNode> parseInBackground(DocumentReader.Raw raw) {
    CompletableFuture<JsonNode> tree = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        tree.complete(DocumentReader.parse(raw));
      } catch (SpecException | RuntimeException e) {
        tree.completeExceptionally(e);
      }
    }, "codemode-spec-tree");
    t.setDaemon(true);
    t.start();
    return () -> {
      try {
        return tree.join();
      } catch (java.util.concurrent.CompletionException e) {
        throw new IllegalStateException("The OpenAPI document " + raw.location() + " could not be read again: "
            + e.getCause().getMessage() + ". Restart the server.", e.getCause());
      }
    };
  }

  private static void addParserMessages(List<String> messages, String location, List<String> warnings) {
    if (messages == null) {
      return;
    }
    for (int i = 0; i < messages.size() && i < MAX_PARSER_WARNINGS; i++) {
      warnings.add(location + ": " + messages.get(i));
    }
    if (messages.size() > MAX_PARSER_WARNINGS) {
      warnings.add(location + ": " + (messages.size() - MAX_PARSER_WARNINGS) + " more parser messages left out");
    }
  }

  private static String fieldNames(JsonNode root) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = root.fieldNames(); it.hasNext() && names.size() < 8; ) {
      names.add(it.next());
    }
    return names.isEmpty() ? "nothing" : String.join(", ", names);
  }
}
