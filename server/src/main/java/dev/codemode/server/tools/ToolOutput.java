package dev.codemode.server.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codemode.spec.json.JsonBudget;

/**
 * A tool result before it becomes an MCP {@code CallToolResult}: compact JSON text (also the structured content) and
 * whether it is an error. What {@link CodemodeTools#searchAsync} and {@link CodemodeTools#execute} return to tests and
 * benchmarks, too. Immutable.
 *
 * @param json    compact JSON, within the result's budget
 * @param isError whether the tool failed (MCP {@code isError})
 */
public record ToolOutput(String json, boolean isError) {

  static ToolOutput json(ObjectNode node, int budget) {
    JsonBudget.Cut cut = JsonBudget.fit(node, budget);
    if (!cut.truncated()) {
      return new ToolOutput(cut.json(), false);
    }
    ObjectNode wrapped = JsonBudget.mapper().createObjectNode();
    JsonBudget.Cut inner = JsonBudget.fit(node, budget - 200);
    if (inner.value().isObject()) {
      wrapped.setAll((ObjectNode) inner.value());
    } else {
      wrapped.set("preview", inner.value());
    }
    wrapped.put("truncated", "cut to " + budget + " of " + cut.fullChars() + " chars; ask for less");
    return new ToolOutput(JsonBudget.compact(wrapped), false);
  }

  static ToolOutput error(String message) {
    ObjectNode o = JsonBudget.mapper().createObjectNode();
    o.put("error", message);
    return new ToolOutput(JsonBudget.compact(o), true);
  }

  static ToolOutput of(JsonNode node, boolean isError) {
    return new ToolOutput(JsonBudget.compact(node), isError);
  }
}
