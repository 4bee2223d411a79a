package dev.codemode.spec.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codemode.spec.Operation;
import dev.codemode.spec.json.JsonBudget;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Renders compact detail views of operations and document nodes under a character budget. It tries the richest view
 * first (deep {@code $ref} expansion, long descriptions) and steps down level by level (breadth first: shallow
 * structure survives, deep structure becomes {@code {"$ref":..,"…":"not expanded"}}); if even the shallowest view is too
 * large it is cut by {@link JsonBudget}. The output is always valid JSON and never longer than the budget.
 * Thread-safe: the document tree is only read.
 */
final class DetailView {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  /** (max nesting depth, description characters) from richest to leanest. */
  private static final int[][] LEVELS = {{8, 400}, {6, 240}, {4, 160}, {3, 120}, {2, 100}, {1, 80}, {0, 60}, {0, 0}};
  private static final int MIN_BUDGET = 2;
  private static final int SUMMARY_CHARS = 200;
  /**
   * The response schema is expanded this many levels less than the request: what to send must be exact, what comes
   * back can be explored later with nodeJson.
   */
  private static final int RESPONSE_DEPTH_DISCOUNT = 1;

  private final JsonNode root;
  private final Signatures signatures;

  DetailView(JsonNode root) {
    this.root = root;
    this.signatures = new Signatures(root);
  }

  String signature(Operation op) {
    return signatures.of(op);
  }

  String operation(Operation op, int budget) {
    checkBudget(budget);
    JsonNode opNode = operationNode(op);
    ObjectNode last = null;
    for (int[] level : LEVELS) {
      try {
        RefRenderer r = new RefRenderer(root, level[0], level[1], budget * 2L, true);
        RefRenderer response = new RefRenderer(root, Math.max(0, level[0] - RESPONSE_DEPTH_DISCOUNT), level[1],
            budget * 2L, true);
        last = operationView(op, opNode, r, response, level[1]);
        String json = JsonBudget.compact(last);
        if (json.length() <= budget) {
          return json;
        }
      } catch (RefRenderer.Overflow tooBig) {
        last = null;
      }
    }
    if (last == null) {
      RefRenderer lean = new RefRenderer(root, 0, 0, Long.MAX_VALUE, true);
      last = operationView(op, opNode, lean, lean, 0);
    }
    return JsonBudget.fitInOrder(last, budget);
  }

  Optional<String> node(String pointer, int budget) {
    checkBudget(budget);
    JsonNode node;
    try {
      node = root.at(pointer.startsWith("#") ? pointer.substring(1) : pointer);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (node.isMissingNode()) {
      return Optional.empty();
    }
    JsonNode last = null;
    for (int[] level : LEVELS) {
      try {
        last = new RefRenderer(root, level[0] + 2, level[1], budget * 2L, false).render(node, 0);
        String json = JsonBudget.compact(last);
        if (json.length() <= budget) {
          return Optional.of(json);
        }
      } catch (RefRenderer.Overflow tooBig) {
        last = null;
      }
    }
    if (last == null) {
      last = new RefRenderer(root, 1, 0, Long.MAX_VALUE, false).render(node, 0);
    }
    return Optional.of(JsonBudget.fitInOrder(last, budget));
  }

  /** The operation's node; a path key with a #fragment ({@code /files/{id}#add_link}) is found by operationId. */
  private JsonNode operationNode(Operation op) {
    String method = op.method().toLowerCase(Locale.ROOT);
    JsonNode paths = root.path("paths");
    JsonNode direct = paths.path(op.path()).path(method);
    if (op.operationId().equals(direct.path("operationId").asText(op.operationId()))) {
      return direct;
    }
    for (java.util.Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode node = e.getValue().path(method);
      if (e.getKey().startsWith(op.path() + "#") && op.operationId().equals(node.path("operationId").asText())) {
        return node;
      }
    }
    return direct;
  }

  private static void checkBudget(int budget) {
    if (budget < MIN_BUDGET) {
      throw new IllegalArgumentException("budgetChars must be at least " + MIN_BUDGET + ", was " + budget);
    }
  }

  private ObjectNode operationView(Operation op, JsonNode opNode, RefRenderer r, RefRenderer responseRenderer,
      int descriptionChars) {
    ObjectNode out = F.objectNode();
    out.put("operationId", op.operationId()).put("method", op.method()).put("path", op.path());
    out.put("signature", signatures.of(op));
    if (!op.summary().isEmpty()) {
      out.put("summary", r.text(op.summary(), SUMMARY_CHARS));
    }
    if (!op.description().isEmpty() && descriptionChars > 0 && !op.description().equals(op.summary())) {
      out.put("description", new RefRenderer(root, 0, descriptionChars * 3, Long.MAX_VALUE, true)
          .text(op.description()));
    }
    if (op.deprecated()) {
      out.put("deprecated", true);
    }
    if (!op.parameters().isEmpty()) {
      ArrayNode params = out.putArray("parameters");
      for (Operation.Parameter p : op.parameters()) {
        ObjectNode param = params.addObject().put("name", p.name()).put("in", p.in());
        if (p.required()) {
          param.put("required", true);
        }
        if (!p.type().isEmpty()) {
          param.put("type", p.type());
        }
        if (!p.description().isEmpty() && descriptionChars > 0) {
          param.put("description", r.text(p.description()));
        }
      }
    }
    JsonNode body = r.deref(opNode.get("requestBody"));
    if (body != null && body.isObject()) {
      ObjectNode view = out.putObject("requestBody");
      if (body.path("required").asBoolean(false)) {
        view.put("required", true);
      }
      addContent(view, body.get("content"), r);
    }
    addResponse(out, opNode.get("responses"), responseRenderer);
    if (op.security() != null) {
      ArrayNode sec = out.putArray("security");
      op.security().forEach(alt -> {
        ArrayNode a = sec.addArray();
        alt.forEach(a::add);
      });
    }
    return out;
  }

  private void addResponse(ObjectNode out, JsonNode responses, RefRenderer r) {
    if (responses == null || !responses.isObject()) {
      return;
    }
    String status = null;
    for (Iterator<String> it = responses.fieldNames(); it.hasNext(); ) {
      String code = it.next();
      if (code.startsWith("2") && (status == null || code.compareTo(status) < 0)) {
        status = code;
      }
    }
    if (status == null && responses.has("default")) {
      status = "default";
    }
    if (status == null) {
      return;
    }
    JsonNode response = r.deref(responses.get(status));
    ObjectNode view = out.putObject("response").put("status", status);
    if (response == null) {
      return;
    }
    String description = response.path("description").asText("");
    if (!description.isBlank() && !description.equalsIgnoreCase("response")) {
      view.put("description", r.text(description));
    }
    addContent(view, response.get("content"), r);
  }

  private static void addContent(ObjectNode view, JsonNode content, RefRenderer r) {
    if (content == null || !content.isObject() || content.isEmpty()) {
      return;
    }
    String chosen = null;
    for (Iterator<String> it = content.fieldNames(); it.hasNext(); ) {
      String type = it.next();
      if (chosen == null || (!chosen.contains("json") && type.contains("json"))) {
        chosen = type;
      }
    }
    view.put("contentType", chosen);
    if (content.size() > 1) {
      ArrayNode all = view.putArray("contentTypes");
      content.fieldNames().forEachRemaining(all::add);
    }
    JsonNode schema = content.get(chosen).get("schema");
    if (schema != null) {
      view.set("schema", r.render(schema, 0));
    }
  }

}
