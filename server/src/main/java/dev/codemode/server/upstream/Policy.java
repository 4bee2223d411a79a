package dev.codemode.server.upstream;

import dev.codemode.spec.Operation;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The method and operation policy of one server: reads run; writes need {@code --allow-writes} or a human's
 * confirmation; {@code --read-only} forbids them; allow and deny lists by operationId or {@code tag:NAME}. Immutable.
 *
 * <pre>{@code
 * Policy p = new Policy(false, false, List.of(), List.of("deleteOrder"));
 * p.check(op, "DELETE", "/orders/7")   // "deleteOrder is denied by the operator (--deny-operation); ..."
 * }</pre>
 *
 * @param allowWrites writes run without asking
 * @param readOnly    writes never run
 */
public record Policy(boolean allowWrites, boolean readOnly, List<String> allow, List<String> deny) {
  public static final Set<String> METHODS = Set.of("GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE");
  private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

  public Policy {
    allow = List.copyOf(allow);
    deny = List.copyOf(deny);
  }

  public static boolean isWrite(String method) {
    return !READS.contains(method.toUpperCase(Locale.ROOT));
  }

  /**
   * Null when allowed by the lists, else the reason. A write that matches no operation is refused whenever a list or
   * {@code --read-only} is in force: an unmatched path cannot be checked against them. Confirmation of writes is
   * asked separately.
   */
  public String check(Operation op, String method, String path) {
    if (readOnly && isWrite(method)) {
      return method + " " + path + " was refused: the server runs with --read-only, so no write can be made. "
          + "Do only reads.";
    }
    if (op != null && listed(deny, op)) {
      return op.operationId() + " is denied by the operator (--deny-operation); do not retry it.";
    }
    if (op == null && !deny.isEmpty() && isWrite(method)) {
      return method + " " + path + " matches no operation in the spec, and while the operator denies some "
          + "operations (--deny-operation) a write must match a documented one. Find its operationId with search "
          + "and use api.call.";
    }
    if (!allow.isEmpty() && (op == null || !listed(allow, op))) {
      return (op == null ? method + " " + path + " matches no operation in the spec" : op.operationId()
          + " is not in the operator's allow list") + "; the operator allows only (--allow-operation): " + String.join(", ", allow);
    }
    return null;
  }

  private static boolean listed(List<String> list, Operation op) {
    for (String entry : list) {
      if (entry.startsWith("tag:")) {
        String tag = entry.substring(4);
        if (op.tags().stream().anyMatch(t -> t.equalsIgnoreCase(tag))) {
          return true;
        }
      } else if (entry.equals(op.operationId())) {
        return true;
      }
    }
    return false;
  }
}
