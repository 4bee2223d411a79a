package dev.codemode.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tool-calling agent, simulated: each per-endpoint tool call is made directly against the demo API and both the
 * call (tool name plus JSON arguments, as the model writes it) and the full response body (as the model reads it) are
 * counted. Not thread-safe; one per task. Example:
 * <pre>{@code JsonNode page = sim.get("listOrders", "/orders", Map.of("page", 1, "per_page", 100));}</pre>
 */
final class ToolCallingSim {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String baseUrl;
  private final String token;
  private int calls;
  private long callTokens;
  private long responseTokens;
  private long responseBytes;

  ToolCallingSim(String baseUrl, String token) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.token = token;
  }

  /** A GET tool call; {@code args} are the tool arguments, those named in the path template fill it. */
  JsonNode get(String tool, String path, Map<String, Object> args) throws IOException, InterruptedException {
    return send(tool, "GET", path, args, null);
  }

  JsonNode post(String tool, String path, Map<String, Object> args, Object body)
      throws IOException, InterruptedException {
    return send(tool, "POST", path, args, body);
  }

  /** Every response, also an error, is returned (and counted): a tool-calling agent reads it either way. */
  private JsonNode send(String tool, String method, String path, Map<String, Object> args, Object body)
      throws IOException, InterruptedException {
    Map<String, Object> callArgs = new LinkedHashMap<>(args);
    String resolved = path;
    List<String> q = new ArrayList<>();
    for (Map.Entry<String, Object> e : args.entrySet()) {
      String placeholder = "{" + e.getKey() + "}";
      if (resolved.contains(placeholder)) {
        resolved = resolved.replace(placeholder, URLEncoder.encode(String.valueOf(e.getValue()), StandardCharsets.UTF_8));
      } else {
        q.add(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
            + URLEncoder.encode(String.valueOf(e.getValue()), StandardCharsets.UTF_8));
      }
    }
    StringBuilder url = new StringBuilder(baseUrl).append(resolved);
    if (!q.isEmpty()) {
      url.append('?').append(String.join("&", q));
    }
    HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(url.toString())).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + token).header("Accept", "application/json");
    if (body != null) {
      callArgs.put("requestBody", body);
      rb.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    } else {
      rb.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<String> res = HTTP.send(rb.build(), HttpResponse.BodyHandlers.ofString());
    ObjectNode call = JSON.createObjectNode();
    call.put("name", tool);
    call.set("arguments", JSON.valueToTree(callArgs));
    calls++;
    callTokens += Tokens.count(JSON.writeValueAsString(call));
    responseTokens += Tokens.count(res.body());
    responseBytes += res.body().getBytes(StandardCharsets.UTF_8).length;
    JsonNode parsed = res.body().isEmpty() ? JSON.nullNode() : JSON.readTree(res.body());
    if (res.statusCode() >= 400 && parsed.isObject()) {
      ((ObjectNode) parsed).put("_status", res.statusCode());
    }
    return parsed;
  }

  /** Every page of a list operation at the largest page size, as an agent following next_page would read them. */
  List<JsonNode> all(String tool, String path, Map<String, Object> filters) throws IOException, InterruptedException {
    List<JsonNode> out = new ArrayList<>();
    int page = 1;
    while (true) {
      Map<String, Object> args = new LinkedHashMap<>(filters);
      args.put("page", page);
      args.put("per_page", 100);
      JsonNode r = get(tool, path, args);
      r.path("data").forEach(out::add);
      if (r.path("next_page").isNull() || r.path("next_page").isMissingNode()) {
        return out;
      }
      page = r.get("next_page").asInt();
    }
  }

  int calls() {
    return calls;
  }

  long tokens() {
    return callTokens + responseTokens;
  }

  long callTokens() {
    return callTokens;
  }

  long responseTokens() {
    return responseTokens;
  }

  long responseBytes() {
    return responseBytes;
  }
}
