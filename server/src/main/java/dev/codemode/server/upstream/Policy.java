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
 * p.decide(new Policy.Attempt("store", op, "DELETE", "/orders/7", "", null, null))
 *     // Refuse(DENIED, "deleteOrder is denied by the operator (--deny-operation); ...")
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
   * What the decision sees of one request.
   *
   * @param op             the operation it matches, or null
   * @param path           normalised, relative to the base URL, without query
   * @param bodySummary    the start of the body, already redacted (shown when the human is asked)
   * @param override       what asks for another method or path (e.g. "header X-HTTP-Method-Override"), or null
   * @param redirectedFrom the method of the request whose redirect this is; null for the script's own request
   */
  public record Attempt(String api, Operation op, String method, String path, String bodySummary, String override,
      String redirectedFrom) {
    /** The same request as the target of one of its own redirects: before its location is even read. */
    Attempt redirected() {
      return new Attempt(api, op, method, path, bodySummary, null, method);
    }
  }

  /**
   * May this request run: the one place that decides. Refused: any redirect of a write; a method override; a write
   * under {@code --read-only}; a denied operation; a write that matches no operation while a deny list is in force
   * (an unmatched path cannot be checked against it); anything not on the allow list when there is one. A write the
   * operator did not allow with {@code --allow-writes} needs the human's confirmation; everything else runs.
   */
  public WriteDecision decide(Attempt a) {
    String method = a.method();
    String path = a.path();
    Operation op = a.op();
    if (a.redirectedFrom() != null && isWrite(a.redirectedFrom())) {
      return refuse(WriteDecision.Rule.REDIRECTED_WRITE, "the server does not follow redirects of writes: the policy "
          + "and the user's confirmation covered " + a.redirectedFrom() + " " + path + " only. If the new location "
          + "is right, send the request there yourself");
    }
    if (a.override() != null) {
      return refuse(WriteDecision.Rule.METHOD_OVERRIDE, a.override() + " is refused: it asks the upstream to run "
          + "another method or path than the one the write policy checked. Send the request with the method and path "
          + "you mean (e.g. {method: 'DELETE', path: ...}); writes may need the user's confirmation");
    }
    if (readOnly && isWrite(method)) {
      return refuse(WriteDecision.Rule.READ_ONLY, method + " " + path + " was refused: the server runs with "
          + "--read-only, so no write can be made. Do only reads.");
    }
    if (op != null && listed(deny, op)) {
      return refuse(WriteDecision.Rule.DENIED, op.operationId() + " is denied by the operator (--deny-operation); "
          + "do not retry it.");
    }
    if (op == null && !deny.isEmpty() && isWrite(method)) {
      return refuse(WriteDecision.Rule.UNMATCHED_WRITE, method + " " + path + " matches no operation in the spec, "
          + "and while the operator denies some operations (--deny-operation) a write must match a documented one. "
          + "Find its operationId with search and use api.call.");
    }
    if (!allow.isEmpty() && (op == null || !listed(allow, op))) {
      return refuse(WriteDecision.Rule.NOT_ALLOWED, (op == null ? method + " " + path
          + " matches no operation in the spec" : op.operationId() + " is not in the operator's allow list")
          + "; the operator allows only (--allow-operation): " + String.join(", ", allow));
    }
    if (isWrite(method) && !allowWrites) {
      return new WriteDecision.Confirm(new WritePrompt(a.api(), method, path, op == null ? null : op.operationId(),
          a.bodySummary()));
    }
    return WriteDecision.ALLOW;
  }

  private static WriteDecision refuse(WriteDecision.Rule rule, String reason) {
    return new WriteDecision.Refuse(rule, reason);
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
