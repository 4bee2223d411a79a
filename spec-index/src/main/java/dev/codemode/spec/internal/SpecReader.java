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
public final class SpecReader {
  private static final Logger LOG = LoggerFactory.getLogger(SpecReader.class);
  private static final int MAX_PARSER_WARNINGS = 20;

  private SpecReader() {}

  /** Reads and parses the document; see {@link dev.codemode.spec.SpecLoader#load}. */
  public static ApiSpec read(String name, String location) throws SpecException {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(location, "location");
    long start = System.nanoTime();
    DocumentReader.Raw raw = DocumentReader.read(location);
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
    return new LoadedSpec(name, title, location, serverUrl, operations, schemes, warnings, raw.sha256(), tree);
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
