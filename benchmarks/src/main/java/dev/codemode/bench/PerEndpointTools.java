package dev.codemode.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The baseline code mode replaces: one MCP tool per operation, built from the raw OpenAPI document the way
 * per-endpoint generators (openapi-mcp-generator and friends) build them.
 *
 * <ul>
 *   <li>{@code name} = operationId, or {@code method_path} when the spec has none;</li>
 *   <li>{@code description} = summary, a blank line, description;</li>
 *   <li>{@code inputSchema} = a JSON-schema object with one property per path, query, header and cookie parameter
 *       (path-level and operation-level merged; Swagger 2.0 {@code type/format/items/enum} kept as the schema) and a
 *       {@code requestBody} property (OpenAPI 3: the JSON media type, else the first; Swagger 2.0: the {@code body}
 *       parameter, or one property per {@code formData} parameter);</li>
 *   <li>local {@code $ref}s inlined. A reference already being expanded on the <em>ancestor path</em> becomes
 *       {@code {"type":"object","description":"circular: NAME"}} (siblings that share a schema are both expanded,
 *       unlike a shared {@code seen} set), and expansion stops at {@link #MAX_REF_DEPTH} nested references
 *       ({@code {"type":"object"}} beyond it), so mutually recursive schemas cannot explode.</li>
 * </ul>
 *
 * <p>Stateless apart from the document; not thread-safe while iterating. Example:
 * <pre>{@code PerEndpointTools.load(Path.of("github.json")).forEach(tool -> n += Tokens.count(tool.toString()));}</pre>
 */
final class PerEndpointTools {
  /** Nested {@code $ref} expansions allowed along one path of a schema. */
  static final int MAX_REF_DEPTH = 8;

  private static final List<String> METHODS = List.of("get", "put", "post", "delete", "options", "head", "patch",
      "trace");
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final JsonNode doc;
  private final boolean swagger2;

  private PerEndpointTools(JsonNode doc) {
    this.doc = doc;
    this.swagger2 = doc.has("swagger");
  }

  static PerEndpointTools load(Path file) throws IOException {
    String name = file.getFileName().toString();
    ObjectMapper mapper = name.endsWith(".yaml") || name.endsWith(".yml") ? new YAMLMapper() : new ObjectMapper();
    return new PerEndpointTools(mapper.readTree(file.toFile()));
  }

  static PerEndpointTools of(JsonNode doc) {
    return new PerEndpointTools(doc);
  }

  /** Each tool definition in document order: {@code {name, description, inputSchema}}. */
  void forEach(Consumer<ObjectNode> sink) {
    JsonNode paths = doc.path("paths");
    for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode item = deref(e.getValue());
      for (String method : METHODS) {
        JsonNode op = item.get(method);
        if (op != null && op.isObject()) {
          sink.accept(tool(e.getKey(), method, item, op));
        }
      }
    }
  }

  List<ObjectNode> all() {
    List<ObjectNode> out = new ArrayList<>();
    forEach(out::add);
    return out;
  }

  private ObjectNode tool(String path, String method, JsonNode item, JsonNode op) {
    ObjectNode tool = F.objectNode();
    String id = op.path("operationId").asText("");
    tool.put("name", id.isEmpty() ? method + "_" + path.replaceAll("[^A-Za-z0-9]+", "_").replaceAll("^_|_$", "") : id);
    String summary = op.path("summary").asText("").strip();
    String description = op.path("description").asText("").strip();
    tool.put("description", summary.isEmpty() ? description
        : description.isEmpty() || description.equals(summary) ? summary : summary + "\n\n" + description);
    ObjectNode schema = tool.putObject("inputSchema");
    schema.put("type", "object");
    ObjectNode props = schema.putObject("properties");
    ArrayNode required = F.arrayNode();
    Map<String, JsonNode> params = new LinkedHashMap<>();
    for (JsonNode list : List.of(item.path("parameters"), op.path("parameters"))) {
      for (JsonNode p : list) {
        JsonNode r = deref(p);
        params.put(r.path("in").asText() + ":" + r.path("name").asText(), r);
      }
    }
    for (JsonNode p : params.values()) {
      String name = p.path("name").asText();
      String in = p.path("in").asText();
      JsonNode prop;
      if (in.equals("body")) {
        name = "requestBody";
        prop = inline(p.path("schema"), new ArrayDeque<>());
      } else if (p.has("schema")) {
        prop = inline(p.get("schema"), new ArrayDeque<>());
      } else {
        ObjectNode s = F.objectNode();
        for (String k : List.of("type", "format", "items", "enum", "default", "minimum", "maximum", "pattern",
            "collectionFormat")) {
          if (p.has(k)) {
            s.set(k, inline(p.get(k), new ArrayDeque<>()));
          }
        }
        prop = s;
      }
      ObjectNode withDoc = prop.isObject() ? ((ObjectNode) prop).deepCopy() : F.objectNode();
      if (!p.path("description").asText("").isEmpty()) {
        withDoc.put("description", p.get("description").asText());
      }
      props.set(name, withDoc);
      if (p.path("required").asBoolean(false)) {
        required.add(name);
      }
    }
    if (!swagger2 && op.has("requestBody")) {
      JsonNode body = deref(op.get("requestBody"));
      JsonNode content = body.path("content");
      JsonNode media = content.has("application/json") ? content.get("application/json")
          : content.elements().hasNext() ? content.elements().next() : F.objectNode();
      JsonNode bodySchema = inline(media.path("schema"), new ArrayDeque<>());
      ObjectNode prop = bodySchema.isObject() ? (ObjectNode) bodySchema : F.objectNode();
      if (!body.path("description").asText("").isEmpty()) {
        prop.put("description", body.get("description").asText());
      }
      props.set("requestBody", prop);
      if (body.path("required").asBoolean(false)) {
        required.add("requestBody");
      }
    }
    if (!required.isEmpty()) {
      schema.set("required", required);
    }
    return tool;
  }

  /** Inlines local $refs; {@code ancestors} holds the refs being expanded above this node. */
  private JsonNode inline(JsonNode node, Deque<String> ancestors) {
    if (node == null || node.isMissingNode()) {
      return F.objectNode();
    }
    if (node.isObject()) {
      JsonNode ref = node.get("$ref");
      if (ref != null && ref.isTextual() && ref.asText().startsWith("#/")) {
        String target = ref.asText();
        String shortName = target.substring(target.lastIndexOf('/') + 1);
        if (ancestors.contains(target)) {
          ObjectNode c = F.objectNode();
          c.put("type", "object");
          c.put("description", "circular: " + shortName);
          return c;
        }
        if (ancestors.size() >= MAX_REF_DEPTH) {
          ObjectNode c = F.objectNode();
          c.put("type", "object");
          return c;
        }
        JsonNode resolved = doc.at(target.substring(1));
        ancestors.push(target);
        JsonNode out = inline(resolved.isMissingNode() ? F.objectNode() : resolved, ancestors);
        ancestors.pop();
        if (node.size() > 1 && out.isObject()) {
          ObjectNode merged = ((ObjectNode) out).deepCopy();
          node.fields().forEachRemaining(f -> {
            if (!f.getKey().equals("$ref")) {
              merged.set(f.getKey(), inline(f.getValue(), ancestors));
            }
          });
          return merged;
        }
        return out;
      }
      ObjectNode copy = F.objectNode();
      node.fields().forEachRemaining(f -> copy.set(f.getKey(), inline(f.getValue(), ancestors)));
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = F.arrayNode();
      node.forEach(n -> copy.add(inline(n, ancestors)));
      return copy;
    }
    return node;
  }

  /** A parameter, path item or request body given by reference, resolved one level (they do not nest). */
  private JsonNode deref(JsonNode node) {
    JsonNode cur = node;
    for (int i = 0; i < 5 && cur.isObject() && cur.has("$ref") && cur.get("$ref").asText().startsWith("#/"); i++) {
      cur = doc.at(cur.get("$ref").asText().substring(1));
    }
    return cur;
  }
}
