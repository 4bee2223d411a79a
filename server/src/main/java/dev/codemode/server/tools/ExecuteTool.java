package dev.codemode.server.tools;

import dev.codemode.server.config.SkillsConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.codemode.isolate.ExecutionRequest;
import dev.codemode.isolate.ExecutionResult;
import dev.codemode.isolate.Limits;
import dev.codemode.isolate.Sandbox;
import dev.codemode.server.approval.Approver;
import dev.codemode.server.config.Budgets;
import dev.codemode.spec.json.JsonBudget;
import dev.codemode.server.skills.Skills;
import dev.codemode.server.skills.SkillsBridge;
import dev.codemode.server.upstream.ApiGateway;
import dev.codemode.server.upstream.CallContext;
import dev.codemode.server.upstream.Redactor;
import dev.codemode.server.upstream.WritePrompt;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The {@code execute} tool: runs the model's script in the sandbox with a per-execution bridge to the gateways,
 * reports progress per upstream call, and returns the result (redacted, under the budget) with the calls made and the
 * bytes received against the bytes returned. Thread-safe.
 *
 * <pre>{@code
 * Mono<ToolOutput> out = executeTool.run(Caller.LOCAL, Map.of("code", "return 1 + 1"));
 * }</pre>
 */
final class ExecuteTool {
  private static final Logger LOG = LoggerFactory.getLogger(ExecuteTool.class);
  private final Sandbox sandbox;
  private final Map<String, ApiGateway> gateways;
  private final String prelude;
  private final Limits limits;
  private final Redactor redactor;
  private final Budgets budgets;
  private final int budget;
  private final AuditLog audit;
  /** {@code --max-parallel-calls} across every execution of this server. */
  private final CallPermits permits;
  private final Skills skills;

  /** @param skills saved skills for {@code skills.*} in scripts, or null when they are off */
  ExecuteTool(Sandbox sandbox, Map<String, ApiGateway> gateways, String prelude, Limits limits, Redactor redactor,
      Budgets budgets, AuditLog audit, Skills skills) {
    this.skills = skills;
    this.sandbox = sandbox;
    this.gateways = gateways;
    this.prelude = prelude;
    this.limits = limits;
    this.redactor = redactor;
    this.budgets = budgets;
    this.budget = budgets.maxOutputChars();
    this.audit = audit;
    this.permits = new CallPermits(limits.maxHostCallsInFlight());
    // Every execute has this prelude and these limits: the sandbox prepares a context for the first one now.
    sandbox.prepare(new ExecutionRequest("", prelude, limits));
  }

  /** Runs {@code args.code} for {@code caller}: its session, client, identity, approver and progress. */
  Mono<ToolOutput> run(Caller caller, Map<String, Object> args) {
    Object codeArg = args == null ? null : args.get("code");
    if (!(codeArg instanceof String code) || code.isBlank()) {
      return Mono.just(ToolOutput.error("execute needs {\"code\": \"...\"}: the body of an async JavaScript "
          + "function, e.g. \"const r = await api.call('listOrders', {}); return r.data.length;\""));
    }
    String preflight = Preflight.check(code, gateways);
    if (preflight != null) {
      return Mono.just(ToolOutput.error(preflight));
    }
    boolean dryRun = Boolean.TRUE.equals(args.get("dryRun"));
    ConcurrentLinkedQueue<CallContext.DryRunWrite> writes = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<CallContext.CallRecord> calls = new ConcurrentLinkedQueue<>();
    AtomicInteger count = new AtomicInteger();
    AtomicInteger started = new AtomicInteger();
    String session = caller.session();
    Approver approver = caller.approver();
    CallContext ctx = new CallContext() {
      @Override
      public boolean dryRun() {
        return dryRun;
      }

      @Override
      public void dryRunWrite(DryRunWrite write) {
        writes.add(write);
      }

      @Override
      public void started(CallStart call) {
        started.incrementAndGet();
        if (audit != null) {
          audit.writeStart(session, call);
        }
      }

      @Override
      public Mono<Approver.Answer> confirmWrite(WritePrompt prompt) {
        return approver.ask(prompt.prompt());
      }

      @Override
      public void record(CallRecord call) {
        calls.add(call);
        int n = count.incrementAndGet();
        caller.progress().report(n,
            call.method() + " " + call.path() + " -> " + (call.status() == 0 ? "failed" : call.status()));
      }
    };
    long start = System.nanoTime();
    ExecutionBridge bridge = new ExecutionBridge(gateways, ctx, permits, skillsBridge(caller));
    return Mono.fromFuture(() -> sandbox.execute(new ExecutionRequest(code, prelude, limits), bridge))
        .map(r -> {
          bridge.close(); // nothing a script starts outlives it: calls still in flight are cancelled and recorded
          ToolOutput plain = render(r, List.copyOf(calls), started.get());
          ToolOutput out = dryRun ? DryRun.render(plain, List.copyOf(writes), budget) : plain;
          if (audit != null) {
            audit.write(new AuditLog.Entry(caller.client(), session, code, List.copyOf(calls), out.json().length(),
                bytesIn(calls), r.kind().name(), r.error(), (System.nanoTime() - start) / 1_000_000));
          }
          LOG.debug("execute {} in {} ms with {} calls", r.kind(), r.elapsedMillis(), calls.size());
          return out;
        })
        .doFinally(s -> bridge.close());
  }

  private SkillsBridge skillsBridge(Caller caller) {
    if (skills == null || skills.mode() == SkillsConfig.Mode.OFF) {
      return null;
    }
    String clientName = caller.client();
    String session = caller.session();
    return new SkillsBridge(skills, Skills.identity(caller.identity()), caller.approver(),
        audit == null ? null : (action, s, outcome, ms) -> audit.skill(clientName, session, action, s, outcome, ms));
  }

  /**
   * {@code search {code}}: the script runs in the same sandbox with the same limits, but its only host functions are
   * read-only spec look-ups (no network).
   */
  Mono<ToolOutput> runSpecScript(String code, SpecBridge bridge, String specPrelude) {
    return Mono.fromFuture(() -> sandbox.execute(new ExecutionRequest(code, specPrelude, limits), bridge))
        .map(r -> render(r, List.of()));
  }

  private static long bytesIn(Iterable<CallContext.CallRecord> calls) {
    long n = 0;
    for (CallContext.CallRecord c : calls) {
      n += c.bytesIn();
    }
    return n;
  }

  ToolOutput render(ExecutionResult r, List<CallContext.CallRecord> calls) {
    return render(r, calls, calls.size());
  }

  /**
   * Everything in the result passes the budget, errors included, and comes out as JSON any client accepts: nesting
   * is cut at {@link JsonBudget#MAX_DEPTH}, lone surrogates are replaced.
   *
   * @param started calls the script started (finished, failed or cancelled)
   */
  ToolOutput render(ExecutionResult r, List<CallContext.CallRecord> calls, int started) {
    ObjectNode out = JsonBudget.mapper().createObjectNode();
    int logBudget = budgets.logChars();
    if (r.ok()) {
      JsonNode value;
      boolean deep = false;
      try {
        JsonBudget.Tamed tamed = JsonBudget.tame(JsonBudget.parseDeep(r.resultJson() == null ? "null"
            : r.resultJson()), JsonBudget.MAX_DEPTH);
        deep = tamed.cutDeep();
        value = redactor.redact(tamed.value());
      } catch (java.io.IOException e) {
        value = TextNode.valueOf(redactor.redact(r.resultJson()));
      }
      JsonBudget.Cut cut = JsonBudget.fit(value, budget - budgets.envelopeChars() - Math.min(logBudget, logChars(r)));
      out.set("result", cut.value());
      if (cut.truncated()) {
        out.put("truncated", "the result was " + cut.fullChars() + " chars; it was cut to fit the " + budget
            + "-char budget. Return less: filter, aggregate or paginate in the script.");
      } else if (deep) {
        out.put("truncated", "values nested deeper than " + JsonBudget.MAX_DEPTH + " levels were replaced by a "
            + "summary. Return flatter data.");
      }
    } else {
      out.put("error", JsonBudget.clip(redactor.redact(r.error()), budget / 2));
      out.put("kind", r.kind().name());
    }
    addLogs(out, r, logBudget);
    out.put("calls", Math.max(started, calls.size()));
    if (!calls.isEmpty()) {
      out.set("requests", summarize(calls));
    }
    long in = bytesIn(calls);
    out.put("bytesIn", in);
    out = (ObjectNode) JsonBudget.tame(out, JsonBudget.MAX_DEPTH + 2).value(); // lone surrogates in errors and logs
    out.put("bytesOut", 0);
    out.put("bytesOut", JsonBudget.compact(out).length());
    return ToolOutput.of(out, !r.ok());
  }

  /**
   * The calls an execution made, grouped so that a 100-page loop costs one line: {@code "listOrders 200 x100"},
   * {@code "GET /orders/7 404"}. At most 10 groups.
   */
  static ArrayNode summarize(List<CallContext.CallRecord> calls) {
    java.util.LinkedHashMap<String, Integer> groups = new java.util.LinkedHashMap<>();
    for (CallContext.CallRecord c : calls) {
      String what = c.operationId() != null ? c.operationId() : c.method() + " " + c.path();
      String key = what + " " + (c.status() != 0 ? Integer.toString(c.status())
          : ExecutionBridge.CANCELLED.equals(c.error()) ? "cancelled" : "failed");
      groups.merge(key, 1, Integer::sum);
    }
    ArrayNode a = JsonBudget.mapper().createArrayNode();
    int i = 0;
    for (var e : groups.entrySet()) {
      if (i++ == 10) {
        a.add("…" + (groups.size() - 10) + " more kinds of call");
        break;
      }
      a.add(e.getKey() + (e.getValue() > 1 ? " x" + e.getValue() : ""));
    }
    return a;
  }

  private static int logChars(ExecutionResult r) {
    int n = 0;
    for (String l : r.logs()) {
      n += l.length() + 3;
    }
    return n;
  }

  private void addLogs(ObjectNode out, ExecutionResult r, int logBudget) {
    if (r.logs().isEmpty() && r.droppedLogLines() == 0) {
      return;
    }
    ArrayNode logs = out.putArray("logs");
    int used = 0;
    int dropped = r.droppedLogLines();
    List<String> lines = new ArrayList<>(r.logs());
    for (int i = 0; i < lines.size(); i++) {
      String line = redactor.redact(lines.get(i));
      if (used + line.length() > logBudget) {
        dropped += lines.size() - i;
        break;
      }
      used += line.length();
      logs.add(line);
    }
    if (dropped > 0) {
      out.put("logsDropped", dropped);
    }
  }
}
