package dev.codemode.server.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codemode.server.approval.Approver;
import dev.codemode.spec.ApiSpec;
import dev.codemode.spec.Operation;
import java.net.URI;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * The one door from scripts to one upstream API, a pipeline of typed steps: bind ({@link CallBinder} or
 * {@link BoundCall#fromScript}, giving a {@link BoundCall}), check ({@link RequestBuilder}: path normalisation, header
 * and query rules; then the operation it matches), decide ({@link Policy#decide}: {@link WriteDecision}, the human
 * asked through the {@link CallContext} when it says Confirm), add credentials and send ({@link RedirectingSender}:
 * origin and base path pinned, each redirect decided again), shape ({@link ResponseShaper}:
 * {@code {status, headers, body}} with every secret redacted), record. Thread-safe; one per API.
 *
 * <pre>{@code
 * ApiGateway gw = new ApiGateway(spec, URI.create("https://api.example.com/v1"), creds, http, redactor, policy);
 * JsonNode res = gw.request(json("{\"method\":\"GET\",\"path\":\"/orders\"}"), ctx).block();
 * }</pre>
 */
public final class ApiGateway {
  private static final ObjectMapper JSON = RequestBuilder.json();
  /** Longest unknown operationId for which the closest known ids are suggested. */
  private static final int MAX_OPERATION_ID = 256;

  private final ApiSpec spec;
  private final URI base;
  private final Credentials credentials;
  private final Redactor redactor;
  private final Policy policy;
  private final OperationMatcher matcher;
  private final CallBinder binder;
  private final RedirectingSender sender;
  private final ResponseShaper shaper;

  public ApiGateway(ApiSpec spec, URI baseUrl, Credentials credentials, UpstreamClient http, Redactor redactor,
      Policy policy) {
    this.spec = spec;
    String b = baseUrl.toString();
    this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
    this.credentials = credentials;
    this.redactor = redactor;
    this.policy = policy;
    this.matcher = new OperationMatcher(spec.operations());
    this.binder = new CallBinder(spec);
    this.sender = new RedirectingSender(http, base, policy, matcher);
    this.shaper = new ResponseShaper(redactor, credentials, sender.basePath());
  }

  public ApiSpec spec() {
    return spec;
  }

  public URI baseUrl() {
    return base;
  }

  /** {@code api.call(operationId, args)}: fills path, query, header and cookie parameters and the body. */
  public Mono<JsonNode> call(String operationId, JsonNode args, CallContext ctx) {
    return Mono.defer(() -> {
      Operation op = spec.operation(operationId).orElse(null);
      if (op == null && operationId.length() > MAX_OPERATION_ID) {
        // Suggesting the closest ids costs time in the id's length: a made-up id that long gets no suggestion.
        return Mono.error(new UpstreamException(operationIdTooLong(spec.name(), operationId.length())));
      }
      if (op == null) {
        return Mono.error(new UpstreamException(unknownOperation(spec, operationId)));
      }
      return run(binder.bind(op, args == null || args.isNull() ? JSON.createObjectNode() : args), op, ctx);
    });
  }

  /**
   * What the model reads for an operationId that {@code spec} does not have: the id, the closest known ids, and what
   * to do. The one wording, used at call time and by the pre-flight check.
   */
  public static String unknownOperation(ApiSpec spec, String operationId) {
    List<String> near = spec.closestOperationIds(operationId, 3);
    return "unknown operation '" + operationId + "' in API '" + spec.name() + "'"
        + (near.isEmpty() ? "" : "; closest ids: " + String.join(", ", near))
        + ". Use search to find the right operationId.";
  }

  /** What the model reads for an operationId too long to be looked up or compared with the known ids. */
  public static String operationIdTooLong(String apiName, int length) {
    return "the operationId is " + length + " characters long; no operation has an id that long. Use search to find"
        + " operationIds of API '" + apiName + "'.";
  }

  /** {@code api.request({method, path, query, headers, body})}. */
  public Mono<JsonNode> request(JsonNode req, CallContext ctx) {
    return Mono.defer(() -> run(BoundCall.fromScript(req), null, ctx));
  }

  /** Check, decide, ask, add credentials, send, shape, record; {@code known} is the operation api.call named. */
  private Mono<JsonNode> run(BoundCall call, Operation known, CallContext ctx) {
    RequestBuilder.Checked checked = RequestBuilder.build(call, credentials.protectedHeaders(),
        credentials.protectedQuery());
    Operation op = known != null ? known : matcher.match(checked.method(), checked.path()).orElse(null);
    String opId = op == null ? null : op.operationId();
    Policy.Attempt attempt = new Policy.Attempt(spec.name(), op, checked.method(), checked.path(),
        redactor.redact(checked.bodySummary()), checked.override(), null);
    WriteDecision decision = policy.decide(attempt);
    // A method override is a malformed request, refused even in a dry run; any other refusal is reported there.
    if (ctx.dryRun() && Policy.isWrite(checked.method()) && !(decision instanceof WriteDecision.Refuse r
        && r.rule() == WriteDecision.Rule.METHOD_OVERRIDE)) {
      return Mono.just(dryRun(call, checked, opId, decision, ctx));
    }
    if (decision instanceof WriteDecision.Refuse r) {
      return Mono.error(new UpstreamException(r.reason()));
    }
    // No answer counts as a no: a write never runs on a question that went unanswered.
    Mono<Void> consent = decision instanceof WriteDecision.Confirm c ? ctx.confirmWrite(c.prompt())
        .defaultIfEmpty(Approver.Answer.DECLINED).flatMap(c.prompt()::act) : Mono.empty();
    long start = System.nanoTime();
    return consent
        .then(credentials.apply(op))
        .flatMap(out -> sender.send(checked, attempt, out))
        .map(sent -> {
          ResponseShaper.Delivered result = shaper.shape(sent, op);
          ctx.record(new CallContext.CallRecord(spec.name(), checked.method(), checked.path(), opId,
              sent.response().status(), (System.nanoTime() - start) / 1_000_000, result.bytes(), null,
              withoutQuery(sent.uri())));
          return result.json();
        })
        .doOnError(e -> ctx.record(new CallContext.CallRecord(spec.name(), checked.method(), checked.path(), opId, 0,
            (System.nanoTime() - start) / 1_000_000, 0, redactor.redact(e.getMessage()))))
        .onErrorMap(e -> !(e instanceof UpstreamException),
            e -> new UpstreamException(redactor.redact(String.valueOf(e.getMessage()))));
  }

  /** A write in a dry run: recorded, not sent; the script sees {@code {dryRun: true}} and goes on. */
  private JsonNode dryRun(BoundCall call, RequestBuilder.Checked checked, String opId, WriteDecision decision,
      CallContext ctx) {
    JsonNode body = call.body();
    ctx.dryRunWrite(new CallContext.DryRunWrite(spec.name(), opId, checked.method(), checked.pathAndQuery(),
        body == null || body.isNull() ? null : redactor.redact(body),
        decision instanceof WriteDecision.Refuse r ? redactor.redact(r.reason()) : null));
    ObjectNode r = JSON.createObjectNode();
    r.put("status", 0).put("ok", true).put("dryRun", true);
    r.putObject("body").put("dryRun", true);
    return r;
  }

  private static String withoutQuery(URI u) {
    String s = u.toString();
    int q = s.indexOf('?');
    return q < 0 ? s : s.substring(0, q);
  }
}
