package dev.codemode.server.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codemode.spec.json.JsonBudget;
import dev.codemode.server.upstream.CallContext;
import java.util.List;

/**
 * The result of {@code execute {"dryRun": true}}: the usual result plus {@code "writes"}, every write a real run would
 * have sent ({@code operationId, method, path, body}, and {@code refusal} where the policy would refuse it), in order.
 * Bodies share half the result budget; when there are more writes than fit, the first ones are listed and the rest
 * counted. Stateless.
 */
final class DryRun {
  private static final int MIN_BODY_CHARS = 120;
  private static final int ENTRY_OVERHEAD = 120;

  private DryRun() {}

  static ToolOutput render(ToolOutput out, List<CallContext.DryRunWrite> writes, int budget) {
    ObjectNode node;
    try {
      node = (ObjectNode) JsonBudget.mapper().readTree(out.json());
    } catch (java.io.IOException | ClassCastException e) {
      return out;
    }
    node.put("dryRun", true);
    // calls counts the calls the script started; the listed writes were started but never sent
    node.put("calls", Math.max(0, node.path("calls").asInt() - writes.size()));
    ArrayNode list = node.putArray("writes");
    int share = budget / 2;
    int bodyChars = Math.max(MIN_BODY_CHARS, share / Math.max(1, writes.size()) - ENTRY_OVERHEAD);
    int used = 0;
    for (int i = 0; i < writes.size(); i++) {
      CallContext.DryRunWrite w = writes.get(i);
      ObjectNode e = JsonBudget.mapper().createObjectNode();
      if (w.operationId() != null) {
        e.put("operationId", w.operationId());
      }
      e.put("method", w.method()).put("path", w.path());
      if (w.body() != null) {
        JsonBudget.Cut cut = JsonBudget.fit(w.body(), bodyChars);
        e.set("body", cut.value());
      }
      if (w.refusal() != null) {
        e.put("refusal", w.refusal());
      }
      used += JsonBudget.compact(e).length();
      if (used > share) {
        node.put("writesNotListed", writes.size() - i);
        node.put("writesHint", "more writes than fit in the result: dry-run a smaller batch");
        break;
      }
      list.add(e);
    }
    return ToolOutput.of(node, out.isError());
  }
}
