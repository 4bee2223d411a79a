package dev.codemode.server.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codemode.isolate.HostBridge;
import dev.codemode.server.json.JsonBudget;
import dev.codemode.server.skills.SkillsBridge;
import dev.codemode.server.upstream.ApiGateway;
import dev.codemode.server.upstream.CallContext;
import dev.codemode.server.upstream.UpstreamException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
  private final Map<String, ApiGateway> gateways;
  private final CallContext ctx;
  private final SkillsBridge skills;

  ExecutionBridge(Map<String, ApiGateway> gateways, CallContext ctx) {
    this(gateways, ctx, null);
  }

  /** With {@code skills.*} served by {@code skills} (null: skills are off). */
  ExecutionBridge(Map<String, ApiGateway> gateways, CallContext ctx, SkillsBridge skills) {
    this.gateways = gateways;
    this.ctx = ctx;
    this.skills = skills;
  }

  @Override
  public CompletionStage<String> call(String function, String argsJson) {
    if (SkillsBridge.handles(function)) {
      return skills != null ? skills.call(function, argsJson) : CompletableFuture.failedFuture(
          new UpstreamException("skills are turned off on this server (--skills off)"));
    }
    try {
      JsonNode args = JsonBudget.mapper().readTree(argsJson);
      String apiName = args.path("api").asText("");
      ApiGateway gw = gateways.get(apiName);
      if (gw == null) {
        throw new UpstreamException("unknown API '" + apiName + "'; available: " + String.join(", ",
            gateways.keySet()));
      }
      Mono<JsonNode> result = switch (function) {
        case "request" -> gw.request(args.get("req"), ctx);
        case "call" -> {
          String op = args.path("operationId").asText();
          yield gw.call(op, args.get("args"), ctx).map(res -> withError(res, op));
        }
        default -> Mono.error(new UpstreamException("unknown host function " + function));
      };
      return result.map(JsonBudget::compact).toFuture();
    } catch (Exception e) {
      return CompletableFuture.failedFuture(e instanceof UpstreamException ? e
          : new UpstreamException("bad arguments: " + e.getMessage()));
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
