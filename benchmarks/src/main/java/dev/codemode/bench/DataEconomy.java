package dev.codemode.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codemode.server.tools.ToolOutput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Part 2: tokens through the model for each {@link DataTasks} task, code mode (one execute: the call's code plus
 * the result text) against tool calling (every call's arguments plus every full response body). The execute runs
 * in-process with {@code --allow-writes} against the demo API; its answer must equal the directly computed one.
 */
final class DataEconomy {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Env env;
  private final Env.Demo demo;

  DataEconomy(Env env, Env.Demo demo) {
    this.env = env;
    this.demo = demo;
  }

  ObjectNode run() throws Exception {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    ArrayNode rows = out.putArray("tasks");
    List<String> args = new ArrayList<>(demo.codemodeArgs());
    args.add("--allow-writes");
    long codeSum = 0;
    long toolSum = 0;
    boolean allCorrect = true;
    try (InProcess cm = InProcess.start(demo.env(), args.toArray(String[]::new))) {
      for (DataTasks.Task task : DataTasks.all()) {
        ToolCallingSim sim = new ToolCallingSim(demo.baseUrl(), demo.api().token());
        JsonNode expected = task.expected().compute(sim);
        long t0 = System.nanoTime();
        ToolOutput v = cm.tools().execute(null, Map.of("code", task.code()), null)
            .block(Duration.ofSeconds(60));
        double ms = (System.nanoTime() - t0) / 1e6;
        JsonNode result = JSON.readTree(v.json());
        ObjectNode call = JSON.createObjectNode().put("name", "execute");
        call.putObject("arguments").put("code", task.code());
        int codeTokens = Tokens.count(JSON.writeValueAsString(call));
        int resultTokens = Tokens.count(v.json());
        boolean correct = !v.isError() && DataTasks.same(expected, result.path("result"));
        allCorrect &= correct;
        ObjectNode row = rows.addObject();
        row.put("task", task.id());
        row.put("question", task.question());
        row.put("codeModeTokens", codeTokens + resultTokens);
        row.put("codeModeCodeTokens", codeTokens);
        row.put("codeModeResultTokens", resultTokens);
        row.put("codeModeUpstreamCalls", result.path("calls").asInt());
        row.put("codeModeBytesIn", result.path("bytesIn").asLong());
        row.put("codeModeMillis", Math.round(ms));
        row.put("toolCallingTokens", sim.tokens());
        row.put("toolCallingCalls", sim.calls());
        row.put("toolCallingResponseTokens", sim.responseTokens());
        row.put("toolCallingResponseBytes", sim.responseBytes());
        row.put("ratio", Math.round(10.0 * sim.tokens() / (codeTokens + resultTokens)) / 10.0);
        row.put("correct", correct);
        row.set("answer", result.path("result"));
        if (!correct) {
          row.set("expected", expected);
          row.put("output", v.json().length() > 2000 ? v.json().substring(0, 2000) : v.json());
        }
        codeSum += codeTokens + resultTokens;
        toolSum += sim.tokens();
        Bench.log("  data %-16s code mode %,7d tokens  tool calling %,9d tokens (%d calls)  %.0fx  %s", task.id(),
            codeTokens + resultTokens, sim.tokens(), sim.calls(), row.get("ratio").asDouble(),
            correct ? "correct" : "WRONG " + v.json());
      }
    }
    out.put("codeModeTokens", codeSum);
    out.put("toolCallingTokens", toolSum);
    out.put("ratio", Math.round(10.0 * toolSum / codeSum) / 10.0);
    out.put("allCorrect", allCorrect);
    return out;
  }
}
