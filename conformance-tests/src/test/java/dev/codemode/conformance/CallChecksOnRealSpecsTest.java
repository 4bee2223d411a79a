package dev.codemode.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.codemode.server.upstream.ApiGateway;
import dev.codemode.server.upstream.CallContext;
import dev.codemode.server.upstream.DryRunContext;
import dev.codemode.server.upstream.RecordingUpstream;
import dev.codemode.server.upstream.TestGateways;
import dev.codemode.server.upstream.UpstreamClient;
import dev.codemode.server.upstream.UpstreamException;
import dev.codemode.spec.ApiSpec;
import dev.codemode.spec.LocalRefs;
import dev.codemode.spec.Operation;
import dev.codemode.spec.SpecLoader;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The argument checks measured on the demo API and the shared GitHub, Stripe and Cloudflare specs, through the real
 * gateway and a real upstream that records what it received:
 * <ul>
 *   <li>mistaken calls of the kinds models make: the share caught before sending, and whether the message names the
 *       fix (printed; asserted >= 95% caught);
 *   <li>valid calls generated from the specs' own examples and schemas: false rejections (asserted 0);
 *   <li>added latency per call (p50, cached validators, and the first call of an operation);
 *   <li>tokens the signature adds to a detail view (o200k_base).
 * </ul>
 */
class CallChecksOnRealSpecsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final String[][] SPECS = {{"github", "specs/github-rest-3.0.json"},
      {"stripe", "specs/stripe-3.0.json"}, {"cloudflare", "specs/cloudflare-3.0.json"}};
  /** Every n-th operation of the big specs (and all of the demo) gets a generated valid call. */
  private static final int STRIDE = 5;
  private static RecordingUpstream upstream;
  private static UpstreamClient http;
  private static final Map<String, ApiGateway> GATEWAYS = new LinkedHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    upstream = new RecordingUpstream();
    http = new UpstreamClient(UpstreamClient.Settings.defaults());
    Path demo = Files.createTempFile("demo", ".json");
    try (InputStream in = ApiGateway.class.getResourceAsStream("/demo/openapi.json")) {
      Files.write(demo, in.readAllBytes());
    }
    GATEWAYS.put("demo", gateway(SpecLoader.load("demo", demo.toString())));
    for (String[] s : SPECS) {
      Path file = Jar.shared().resolve(s[1]);
      if (!Files.exists(file)) {
        file = Jar.shared().resolve(s[1] + ".gz"); // test-data/ keeps the big specs compressed
      }
      GATEWAYS.put(s[0], gateway(SpecLoader.load(s[0], file.toString())));
    }
  }

  private static ApiGateway gateway(ApiSpec spec) {
    return TestGateways.open(spec, upstream.base(), http);
  }

  @AfterAll
  static void stop() {
    http.close();
    upstream.close();
  }

  /** api, operationId, args, a word the message must contain to name the fix. */
  private static final String[][] MISTAKES = {
      {"demo", "getOrder", "{\"order_id\": 1}", "'orderId'"},
      {"demo", "getOrder", "{\"OrderId\": 1}", "'orderId'"},
      {"demo", "listOrders", "{\"customerId\": 3}", "'customer_id'"},
      {"demo", "listOrders", "{\"status\": \"paid\", \"perPage\": 10}", "'per_page'"},
      {"demo", "getOrder", "{}", "orderId"},
      {"demo", "createOrder", "{\"body\": {\"items\": [{\"productId\": 1, \"quantity\": 1}]}}", "'customerId'"},
      {"demo", "createOrder", "{\"body\": {\"customerId\": \"abc\", \"items\": [{\"productId\": 1, \"quantity\": 1}]}}",
          "expected integer"},
      {"demo", "createOrder", "{\"body\": {\"customerId\": 1, \"items\": [{\"productId\": 1, \"quantity\": \"2x\"}]}}",
          "expected integer"},
      {"demo", "updateOrder", "{\"orderId\": 1, \"body\": {\"status\": \"Shipped\"}}", "\"shipped\""},
      {"demo", "updateOrder", "{\"orderId\": 1, \"body\": {\"status\": \"delivered\"}}", "\"shipped\""},
      {"demo", "listOrders", "{\"body\": {\"status\": \"paid\"}}", "top level"},
      {"demo", "createOrder", "{\"body\": {\"order\": {\"customerId\": 1, \"items\": []}}}", "'customerId'"},
      {"demo", "createCustomerNote", "{\"customerId\": 1, \"body\": {\"text\": \"hi\"}}", "'body'"},
      {"demo", "updateCustomer", "{\"customerId\": 1, \"body\": {\"tier\": \"gold\"}}", "\"enterprise\""},
      {"demo", "listTickets", "{\"priority\": \"critical\"}", "\"urgent\""},
      {"demo", "createOrder", "{\"customerId\": 1, \"items\": [{\"productId\": 1, \"quantity\": 1}], \"note\": \"x\"}",
          "'note'"},
      {"demo", "createOrder", "{\"body\": {\"customer_id\": 1, \"items\": [{\"productId\": 1, \"quantity\": 1}]}}",
          "'customerId'"},
      {"demo", "getOrdr", "{\"orderId\": 1}", "getOrder"},
      {"github", "issues/create", "{\"owner\": \"o\", \"repo\": \"r\", \"body\": {\"body\": \"text\"}}", "'title'"},
      {"github", "issues/create", "{\"owner\": \"o\", \"repository\": \"r\", \"title\": \"t\"}", "repo"},
      {"github", "issues/list-for-repo", "{\"owner\": \"o\", \"repo\": \"r\", \"state\": \"opened\"}", "\"open\""},
      {"github", "issues/list-for-repo", "{\"owner\": \"o\", \"repo\": \"r\", \"perPage\": 50}", "'per_page'"},
      {"github", "issues/list-for-repo", "{\"owner\": \"o\", \"repo\": \"r\", \"per_page\": \"fifty\"}",
          "expected integer"},
      {"github", "repos/get", "{\"owner\": \"o\"}", "repo"},
      {"github", "pulls/create", "{\"owner\": \"o\", \"repo\": \"r\", \"body\": {\"title\": \"t\", \"head\": \"h\"}}",
          "'base'"},
      {"github", "issues/update", "{\"owner\": \"o\", \"repo\": \"r\", \"issue_number\": 1, \"body\": {\"state\": "
          + "\"done\"}}", "\"closed\""},
      {"github", "issues/get", "{\"owner\": \"o\", \"repo\": \"r\", \"issueNumber\": 5}", "'issue_number'"},
      {"github", "repos/create-for-authenticated-user", "{\"body\": {\"name\": \"x\", \"private\": \"yes\"}}",
          "expected boolean"},
      {"github", "git/create-ref", "{\"owner\": \"o\", \"repo\": \"r\", \"body\": {\"ref\": \"refs/heads/x\"}}",
          "'sha'"},
      {"github", "issues/creat", "{\"owner\": \"o\", \"repo\": \"r\", \"title\": \"t\"}", "issues/create"},
      {"stripe", "PostCustomers", "{\"body\": {\"emial\": \"a@b.co\"}}", "'email'"},
      {"stripe", "PostPaymentIntents", "{\"body\": {\"currency\": \"usd\"}}", "'amount'"},
      {"stripe", "PostPaymentIntents", "{\"body\": {\"amount\": \"ten\", \"currency\": \"usd\"}}", "expected integer"},
      {"stripe", "GetCustomers", "{\"limit\": \"many\"}", "expected integer"},
      {"stripe", "GetCustomersCustomer", "{\"customer_id\": \"cus_1\"}", "'customer'"},
      {"stripe", "PostPrices", "{\"body\": {\"currency\": \"usd\", \"unit_amount\": 100, \"recurring\": "
          + "{\"interval\": \"monthly\"}}}", "\"month\""},
      {"stripe", "PostProducts", "{\"body\": {\"description\": \"x\"}}", "'name'"},
      {"stripe", "GetCustomers", "{\"Limit\": 10}", "'limit'"},
      {"stripe", "PostCustomers", "{\"body\": {\"email\": \"a@b.co\"}, \"name\": \"x\"}", "inside body"},
      {"stripe", "PostCharge", "{}", "PostCharges"},
      {"cloudflare", "zones-get", "{\"status\": \"enabled\"}", "\"active\""},
      {"cloudflare", "zones-get", "{\"accountId\": \"abc\"}", "'account.id'"},
      {"cloudflare", "zones-post", "{\"body\": {\"name\": \"example.com\"}}", "'account'"},
      {"cloudflare", "dns-records-for-a-zone-create-dns-record", "{\"zoneId\": \"x\", \"body\": {\"type\": \"A\", "
          + "\"name\": \"a\", \"content\": \"1.2.3.4\"}}", "'zone_id'"},
      {"cloudflare", "dns-records-for-a-zone-list-dns-records", "{\"zone_id\": \"023e105f4ecef8ad9ca31a8372d0c353\", "
          + "\"per_page\": \"lots\"}", "expected number"},
      {"cloudflare", "workers-kv-namespace-create-a-namespace", "{\"account_id\": \"a\", \"body\": {}}", "'title'"},
      {"cloudflare", "lists-create-a-list", "{\"account_id\": \"a\", \"body\": {\"name\": \"l\", \"kind\": "
          + "\"domain\"}}", "\"hostname\""},
      {"cloudflare", "accounts-list-accounts", "{\"direction\": \"descending\"}", "\"desc\""},
      {"cloudflare", "zones-get", "{\"per_page\": \"all\"}", "expected number"},
      {"cloudflare", "dns-records-for-a-zone-list-dns-records", "{}", "zone_id"},
      {"cloudflare", "zones-list", "{}", "zones-get"},
  };

  @Test
  void mistakenCallsAreCaughtBeforeSendingAndTheMessageNamesTheFix() throws Exception {
    int caught = 0;
    int namesFix = 0;
    List<String> misses = new ArrayList<>();
    for (String[] m : MISTAKES) {
      upstream.clear();
      String message = null;
      try {
        GATEWAYS.get(m[0]).call(m[1], JSON.readTree(m[2]), new DryRunContext()).block(Duration.ofSeconds(10));
      } catch (UpstreamException e) {
        message = e.getMessage();
      }
      boolean sentNothing = upstream.received().isEmpty();
      if (message != null && sentNothing) {
        caught++;
        if (message.contains(m[3])) {
          namesFix++;
        } else {
          misses.add("no fix '" + m[3] + "' in: " + message.split("\n")[0]);
        }
      } else {
        misses.add("not caught: " + m[0] + " " + m[1] + " " + m[2]);
      }
    }
    System.out.printf("mistaken calls: %d; caught before sending: %d (%.1f%%); message names the fix: %d (%.1f%%)%n",
        MISTAKES.length, caught, 100.0 * caught / MISTAKES.length, namesFix, 100.0 * namesFix / MISTAKES.length);
    misses.forEach(s -> System.out.println("  " + s));
    assertTrue(MISTAKES.length >= 40);
    assertTrue(caught >= Math.ceil(0.95 * MISTAKES.length), misses.toString());
    assertTrue(namesFix >= Math.ceil(0.90 * MISTAKES.length), misses.toString());
  }

  @Test
  void validCallsFromTheSpecsOwnExamplesAndSchemasAreNeverRejected() throws Exception {
    int valid = 0;
    List<String> rejected = new ArrayList<>();
    List<Long> warm = new ArrayList<>();
    List<Long> cold = new ArrayList<>();
    for (Map.Entry<String, ApiGateway> e : GATEWAYS.entrySet()) {
      ApiGateway gw = e.getValue();
      JsonNode root = gw.spec().document().orElseThrow();
      List<Operation> ops = gw.spec().operations();
      int stride = e.getKey().equals("demo") ? 1 : STRIDE;
      for (int i = 0; i < ops.size(); i += stride) {
        Operation op = ops.get(i);
        ObjectNode args = validArgs(root, op);
        valid++;
        DryRunContext ctx = new DryRunContext();
        long t0 = System.nanoTime();
        try {
          JsonNode res = gw.call(op.operationId(), args, ctx).block(Duration.ofSeconds(10));
          if (res == null) {
            rejected.add(e.getKey() + " " + op.operationId() + ": no result");
          }
        } catch (UpstreamException ex) {
          rejected.add(e.getKey() + " " + op.operationId() + " " + args + " -> " + ex.getMessage().split("\n")[0]);
          continue;
        }
        long first = System.nanoTime() - t0;
        if (!ctx.writes.isEmpty()) {
          long[] added = latency(gw, op, args, ctx.writes.peek());
          if (added != null) {
            warm.add(added[0]);
            cold.add(first - added[1]);
          }
        }
      }
    }
    System.out.printf("valid calls: %d; false rejections: %d%n", valid, rejected.size());
    rejected.stream().limit(40).forEach(s -> System.out.println("  " + s));
    System.out.printf("added latency per call (writes with bodies, n=%d): p50 %.3f ms, p90 %.3f ms; first call of an "
        + "operation (compiles its validators): p50 %.2f ms%n", warm.size(), pct(warm, 50) / 1e6, pct(warm, 90) / 1e6,
        pct(cold, 50) / 1e6);
    assertTrue(valid >= 200, "valid calls " + valid);
    assertEquals(List.of(), rejected);
  }

  /** Median time of the checked call minus the same request sent unchecked, both as dry runs (no network). */
  private static long[] latency(ApiGateway gw, Operation op, ObjectNode args, CallContext.DryRunWrite w)
      throws Exception {
    ObjectNode req = F.objectNode().put("method", w.method()).put("path", w.path());
    if (w.body() != null) {
      req.set("body", w.body());
    }
    try {
      gw.request(req, new DryRunContext()).block();
    } catch (UpstreamException refused) {
      // The same path sent raw through api.request: an encoded '/' bound by api.call is refused there by design,
      // so this call has no unchecked baseline to compare with.
      return null;
    }
    long[] checked = new long[15];
    long[] unchecked = new long[15];
    for (int i = 0; i < checked.length; i++) {
      long t = System.nanoTime();
      gw.call(op.operationId(), args, new DryRunContext()).block();
      checked[i] = System.nanoTime() - t;
      t = System.nanoTime();
      gw.request(req, new DryRunContext()).block();
      unchecked[i] = System.nanoTime() - t;
    }
    Arrays.sort(checked);
    Arrays.sort(unchecked);
    return new long[] {Math.max(0, checked[7] - unchecked[7]), unchecked[7]};
  }

  @Test
  void tokensTheSignatureAddsToADetailView() throws Exception {
    Encoding enc = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
    for (Map.Entry<String, ApiGateway> e : GATEWAYS.entrySet()) {
      ApiSpec spec = e.getValue().spec();
      long before = 0;
      long after = 0;
      long sig = 0;
      int n = 0;
      List<Operation> ops = spec.operations();
      for (int i = 0; i < ops.size(); i += e.getKey().equals("demo") ? 1 : 20) {
        String json = spec.detailJson(ops.get(i).operationId(), 11_800);
        ObjectNode view = (ObjectNode) JSON.readTree(json);
        JsonNode s = view.remove("signature");
        after += enc.countTokens(json);
        before += enc.countTokens(JSON.writeValueAsString(view));
        sig += s == null ? 0 : enc.countTokens(s.asText());
        n++;
      }
      System.out.printf("detail view tokens %s (%d ops): without signature %.0f, with %.0f (+%.0f); signature alone "
          + "%.0f%n", e.getKey(), n, before / (double) n, after / (double) n, (after - before) / (double) n,
          sig / (double) n);
      assertTrue(sig / n <= 250, e.getKey());
    }
  }

  private static double pct(List<Long> xs, int p) {
    if (xs.isEmpty()) {
      return 0;
    }
    List<Long> s = new ArrayList<>(xs);
    s.sort(Long::compare);
    return s.get(Math.min(s.size() - 1, s.size() * p / 100));
  }

  // ---- valid arguments from the spec's own examples, else from its schemas ----

  static ObjectNode validArgs(JsonNode root, Operation op) {
    ObjectNode args = F.objectNode();
    JsonNode opNode = root.path("paths").path(op.path()).path(op.method().toLowerCase(Locale.ROOT));
    Map<String, JsonNode> params = new LinkedHashMap<>();
    for (JsonNode list : List.of(root.path("paths").path(op.path()).path("parameters"), opNode.path("parameters"))) {
      for (JsonNode p : list) {
        JsonNode param = LocalRefs.deref(root, p);
        if (param != null && param.has("name")) {
          params.put(param.path("in").asText() + ":" + param.path("name").asText(), param);
        }
      }
    }
    for (Operation.Parameter p : op.parameters()) {
      JsonNode param = params.get(p.in() + ":" + p.name());
      JsonNode example = param == null ? null : example(param);
      if (example != null && example.isContainerNode() && !p.in().equals("query")) {
        example = null; // an object example for a path or header parameter contradicts the spec itself
      }
      if (!p.required() && example == null) {
        continue;
      }
      JsonNode v = example != null ? example : param == null ? F.textNode("x")
          : sample(root, param.has("schema") ? param.get("schema") : firstSchema(param.get("content")), 0);
      args.set(p.name(), v == null || v.isNull() ? F.textNode("x") : v);
    }
    JsonNode rb = LocalRefs.deref(root, opNode.get("requestBody"));
    if (rb != null && rb.path("content").isObject() && rb.path("content").size() > 0) {
      String ct = null;
      for (Iterator<String> it = rb.path("content").fieldNames(); it.hasNext(); ) {
        String t = it.next();
        if (ct == null || (!ct.contains("json") && t.contains("json"))) {
          ct = t;
        }
      }
      JsonNode media = rb.path("content").path(ct);
      JsonNode body = example(media);
      if (body == null) {
        body = sample(root, media.get("schema"), 0);
      }
      if (body != null && (rb.path("required").asBoolean(false) || !body.isNull())) {
        args.set("body", body);
      }
    }
    return args;
  }

  private static JsonNode example(JsonNode node) {
    if (node.has("example")) {
      return node.get("example");
    }
    for (JsonNode ex : node.path("examples")) {
      if (ex.has("value")) {
        return ex.get("value");
      }
    }
    return null;
  }

  private static JsonNode sample(JsonNode root, JsonNode schema, int depth) {
    JsonNode s = LocalRefs.deref(root, schema);
    if (s == null || !s.isObject() || depth > 6) {
      return null;
    }
    if (s.has("example")) {
      return s.get("example");
    }
    if (s.has("default")) {
      return s.get("default");
    }
    if (s.has("enum") && s.get("enum").size() > 0) {
      for (JsonNode v : s.get("enum")) {
        if (!v.isNull()) {
          return v;
        }
      }
    }
    if (s.has("const")) {
      return s.get("const");
    }
    String type = type(root, s);
    if (type.equals("object") || (type.isEmpty() && s.has("properties"))) {
      ObjectNode out = F.objectNode();
      fill(root, s, out, depth, s);
      return out;
    }
    if (!type.isEmpty() && !type.equals("array") && s.has("allOf")) {
      for (JsonNode part : s.path("allOf")) {
        JsonNode v = sample(root, part, depth + 1);
        if (v != null) {
          return v;
        }
      }
    }
    if (type.equals("array")) {
      ArrayNode a = F.arrayNode();
      JsonNode item = sample(root, s.get("items"), depth + 1);
      if (item != null) {
        a.add(item);
      }
      return a;
    }
    for (String k : new String[] {"oneOf", "anyOf"}) {
      if (s.path(k).size() > 0) {
        return sample(root, s.path(k).get(0), depth + 1);
      }
    }
    if (type.equals("array") || s.has("items")) {
      ArrayNode a = F.arrayNode();
      JsonNode item = sample(root, s.get("items"), depth + 1);
      if (item != null) {
        a.add(item);
      }
      return a;
    }
    return switch (type) {
      case "integer", "number" -> F.numberNode(Math.max(1, s.path("minimum").asLong(1)));
      case "boolean" -> F.booleanNode(true);
      case "string" -> F.textNode(switch (s.path("format").asText("")) {
        case "date-time" -> "2024-05-01T12:00:00Z";
        case "date" -> "2024-05-01";
        case "uuid" -> "3fa85f64-5717-4562-b3fc-2c963f66afa6";
        case "email" -> "someone@example.com";
        case "uri", "url" -> "https://example.com/x";
        case "ipv4" -> "192.0.2.1";
        case "ipv6" -> "2001:db8::1";
        default -> "x".repeat(Math.max(1, s.path("minLength").asInt(1)));
      });
      default -> F.textNode("x");
    };
  }

  /** The declared type, looking through allOf parts (a type may be declared in only one of them). */
  private static String type(JsonNode root, JsonNode s) {
    String t = s.path("type").isArray() ? s.path("type").get(0).asText() : s.path("type").asText("");
    if (!t.isEmpty()) {
      return t;
    }
    for (JsonNode part : s.path("allOf")) {
      JsonNode p = LocalRefs.deref(root, part);
      String pt = p == null ? "" : type(root, p);
      if (!pt.isEmpty()) {
        return pt;
      }
    }
    return s.has("allOf") || s.has("additionalProperties") ? "object" : s.has("items") ? "array" : "";
  }

  private static boolean readOnly(JsonNode root, JsonNode prop) {
    JsonNode p = LocalRefs.deref(root, prop);
    if (p == null) {
      return false;
    }
    if (p.path("readOnly").asBoolean(false)) {
      return true;
    }
    for (JsonNode part : p.path("allOf")) {
      JsonNode t = LocalRefs.deref(root, part);
      if (t != null && t.path("readOnly").asBoolean(false)) {
        return true;
      }
    }
    return false;
  }

  /** Required fields of {@code s}; {@code scope} is the whole composition, where allOf parts declare each other's. */
  private static void fill(JsonNode root, JsonNode s, ObjectNode out, int depth, JsonNode scope) {
    JsonNode node = LocalRefs.deref(root, s);
    if (node == null) {
      return;
    }
    List<String> required = new ArrayList<>();
    node.path("required").forEach(r -> required.add(r.asText()));
    for (String name : required) {
      JsonNode p = property(root, node, name, 0);
      if (p == null) {
        p = property(root, scope, name, 0);
      }
      if (p != null && readOnly(root, p)) {
        continue;
      }
      JsonNode v = p == null ? F.textNode("x") : sample(root, p, depth + 1);
      out.set(name, v == null ? F.textNode("x") : v);
    }
    for (JsonNode part : node.path("allOf")) {
      fill(root, part, out, depth + 1, scope);
    }
    for (String k : new String[] {"oneOf", "anyOf"}) {
      if (node.path(k).size() > 0) {
        JsonNode branch = LocalRefs.deref(root, node.path(k).get(0));
        fill(root, branch, out, depth + 1, scope);
        for (JsonNode r : branch == null ? F.arrayNode() : branch.path("required")) {
          JsonNode p = property(root, node, r.asText(), 0); // a branch may only require what its parent declares
          if (p != null && !readOnly(root, p)) {
            JsonNode v = sample(root, p, depth + 1);
            out.set(r.asText(), v == null ? F.textNode("x") : v);
          }
        }
        break;
      }
    }
  }

  /** A property's schema, declared on the node or in one of its allOf parts. */
  private static JsonNode property(JsonNode root, JsonNode node, String name, int hops) {
    if (node == null || hops > 5) {
      return null;
    }
    JsonNode p = node.path("properties").get(name);
    if (p != null) {
      return p;
    }
    for (JsonNode part : node.path("allOf")) {
      JsonNode found = property(root, LocalRefs.deref(root, part), name, hops + 1);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  private static JsonNode firstSchema(JsonNode content) {
    return content == null || !content.isObject() || content.isEmpty() ? null : content.elements().next()
        .get("schema");
  }

}
