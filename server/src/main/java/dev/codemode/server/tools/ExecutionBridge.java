package dev.codemode.server.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codemode.isolate.HostBridge;
import dev.codemode.spec.json.JsonBudget;
import dev.codemode.server.skills.SkillsBridge;
import dev.codemode.server.upstream.ApiGateway;
import dev.codemode.server.upstream.CallContext;
import dev.codemode.server.upstream.UpstreamException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * The host side of {@code __host(fn, argsJson)} for one execution: {@code request} and {@code call} go to the named
 * API's {@link ApiGateway}. Arguments are untrusted JSON from the sandbox. Thread-safe.
 *
 * <pre>{@code
 * HostBridge b = new ExecutionBridge(gateways, ctx);
 * b.call("call", "{\"api\":\"api\",\"operationId\":\"listOrders\",\"args\":{}}");
 * }</pre>
 */
final class ExecutionBridge implements HostBridge {
  /** Longest API name or operationId looked up; a longer one is refused before any lookup or suggestion. */
  static final int MAX_NAME_CHARS = 256;
  private final Map<String, ApiGateway> gateways;
  private final CallContext ctx;
  private final CallPermits permits;
  /** Calls not yet answered; {@link #close()} cancels them. */
  private final java.util.Set<Call> inFlight = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile boolean closed;
  private final SkillsBridge skills;

  ExecutionBridge(Map<String, ApiGateway> gateways, CallContext ctx) {
    this(gateways, ctx, null, null);
  }

  /**
   * @param permits the server-wide bound on calls in flight, or null for none
   * @param skills  serves {@code skills.*} (null: skills are off)
   */
  ExecutionBridge(Map<String, ApiGateway> gateways, CallContext ctx, CallPermits permits, SkillsBridge skills) {
    this.gateways = gateways;
    this.ctx = ctx;
    this.permits = permits;
    this.skills = skills;
  }

  @Override
  public CompletionStage<String> call(String function, String argsJson) {
    if (SkillsBridge.handles(function)) {
      return skills != null ? skills.call(function, argsJson) : CompletableFuture.failedFuture(
          new UpstreamException("skills are turned off on this server (--skills off)"));
    }
    try {
      if (closed) {
        throw new UpstreamException("the execution has ended; no more calls run");
      }
      JsonNode args = JsonBudget.mapper().readTree(argsJson);
      String apiName = args.path("api").asText("");
      ApiGateway gw = apiName.length() > MAX_NAME_CHARS ? null : gateways.get(apiName);
      if (gw == null) {
        throw new UpstreamException("unknown API '" + JsonBudget.clip(apiName, 80) + "'; available: "
            + String.join(", ", gateways.keySet()));
      }
      CallContext.CallStart start = null;
      Mono<JsonNode> result = switch (function) {
        case "request" -> {
          start = new CallContext.CallStart(apiName, JsonBudget.clip(args.path("req").path("method").asText(""), 16),
              JsonBudget.clip(args.path("req").path("path").asText(""), 300), null);
          yield gw.request(args.get("req"), ctx);
        }
        case "call" -> {
          String op = args.path("operationId").asText();
          if (op.length() > MAX_NAME_CHARS) {
            throw new UpstreamException(ApiGateway.operationIdTooLong(apiName, op.length()));
          }
          var known = gw.spec().operation(op);
          start = new CallContext.CallStart(apiName, known.map(o -> o.method()).orElse(null),
              known.map(o -> o.path()).orElse(null), op);
          yield gw.call(op, args.get("args"), ctx).map(res -> withError(res, op));
        }
        default -> Mono.error(new UpstreamException("unknown host function " + JsonBudget.clip(function, 64)));
      };
      return track(start, result.map(JsonBudget::compact));
    } catch (Exception e) {
      return CompletableFuture.failedFuture(e instanceof UpstreamException ? e
          : new UpstreamException("bad arguments: " + e.getMessage()));
    }
  }

  /**
   * Runs the call (within the server-wide permits) as a future whose cancellation disposes the subscription: the HTTP
   * request is aborted, or never sent if it still waits for a slot or a human's confirmation. A cancelled call is
   * recorded as such.
   */
  private CompletionStage<String> track(CallContext.CallStart start, Mono<String> call) {
    if (start != null) {
      ctx.started(start);
    }
    Call c = new Call(start);
    Disposable d = (permits == null ? call : permits.limit(call))
        .subscribe(c.future::complete, c.future::completeExceptionally, () -> c.future.complete(null));
    inFlight.add(c);
    c.future.whenComplete((v, e) -> {
      if (c.future.isCancelled()) {
        d.dispose();
        c.recordCancelled();
      }
      inFlight.remove(c); // only once recorded: close() either finds the call or its record is already made
    });
    if (closed) {
      c.future.cancel(true);
    }
    return c.future;
  }

  /** One call in flight; its cancellation is recorded exactly once, by whichever thread gets there first. */
  private final class Call {
    final CallContext.CallStart start;
    final long startNanos = System.nanoTime();
    final CompletableFuture<String> future = new CompletableFuture<>();
    private boolean recorded;

    Call(CallContext.CallStart start) {
      this.start = start;
    }

    synchronized void recordCancelled() {
      if (recorded || start == null) {
        return;
      }
      recorded = true;
      ctx.record(new CallContext.CallRecord(start.api(), start.method(), start.path(), start.operationId(), 0,
          (System.nanoTime() - startNanos) / 1_000_000, 0, CANCELLED));
    }
  }

  /** Error of a call cancelled because its execution ended first. */
  static final String CANCELLED = "cancelled: the script ended before this call finished (await every call)";

  /**
   * The execution ended: cancels every call still in flight, refuses new ones, and returns only once each cancelled
   * call is on record (the result and the audit line are rendered next). Idempotent.
   */
  void close() {
    closed = true;
    for (Call c : inFlight) {
      // A call can be answered (and the script go on and end) before its own completion handler has taken it out of
      // inFlight: only a call this cancel really stopped is recorded as cancelled, or an answered call would count
      // twice (seen as a third "listOrders cancelled" call of a script that made and awaited two).
      c.future.cancel(true);
      if (c.future.isCancelled()) {
        c.recordCancelled();
      }
    }
  }

  /** For api.call: an HTTP error becomes a message the prelude throws, naming the operation and the status. */
  private static JsonNode withError(JsonNode res, String operationId) {
    int status = res.path("status").asInt();
    if (status < 400) {
      return res;
    }
    ObjectNode o = (ObjectNode) res;
    String body = res.has("body") ? JsonBudget.fit(res.get("body"), 400).json() : "";
    String msg = operationId + " failed with HTTP " + status + (body.isEmpty() || body.equals("null") ? ""
        : ": " + body);
    if (res.has("authHint")) {
      msg += ". " + res.get("authHint").asText();
    }
    o.put("error", msg);
    return o;
  }
}
