package dev.codemode.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The scripted tasks of part 2, each done two ways: the script a model would send to {@code execute}, and the
 * sequence of per-endpoint calls a tool-calling agent would need ({@link Expected#compute}), whose answer is computed
 * directly in Java from the full responses and is what the script's answer must equal.
 */
final class DataTasks {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Computes the expected answer while the simulated tool-calling agent reads every response. */
  interface Expected {
    JsonNode compute(ToolCallingSim sim) throws Exception;
  }

  /** One task: what it asks, the execute script, and the direct computation. */
  record Task(String id, String question, String code, Expected expected) {}

  private static final String PAGE_ALL = """
      const all = async (op, args) => {
        const first = await api.call(op, { ...args, page: 1, per_page: 100 });
        const rows = [...first.data];
        const pages = Math.ceil(first.total / 100);
        for (let p = 2; p <= pages; p += 10) {
          const batch = await Promise.all(Array.from({ length: Math.min(10, pages - p + 1) },
            (_, i) => api.call(op, { ...args, page: p + i, per_page: 100 })));
          batch.forEach(b => rows.push(...b.data));
        }
        return rows;
      };
      """;

  private DataTasks() {}

  static List<Task> all() {
    return List.of(filter(), join(), aggregate(), topProducts(), findAndUpdate(), recover());
  }

  /** 10,000 orders down to 5, on a criterion the API cannot filter on. */
  static Task filter() {
    return new Task("filter", "The 5 orders with the most valuable single line (quantity x unit price), of all 10,000",
        PAGE_ALL + """
            const orders = await all('listOrders', {});
            const line = o => Math.max(...o.items.map(i => Math.round(i.quantity * i.unitPrice * 100) / 100));
            return orders.map(o => ({ id: o.id, customerId: o.customerId, line: line(o) }))
              .sort((a, b) => b.line - a.line || a.id - b.id).slice(0, 5);
            """,
        sim -> {
          List<ObjectNode> rows = new ArrayList<>();
          for (JsonNode o : sim.all("listOrders", "/orders", Map.of())) {
            BigDecimal best = BigDecimal.ZERO;
            for (JsonNode i : o.get("items")) {
              BigDecimal v = i.get("unitPrice").decimalValue().multiply(BigDecimal.valueOf(i.get("quantity").asInt()));
              best = best.max(v);
            }
            ObjectNode r = JSON.createObjectNode();
            r.put("id", o.get("id").asInt());
            r.put("customerId", o.get("customerId").asInt());
            r.put("line", best.setScale(2, RoundingMode.HALF_UP));
            rows.add(r);
          }
          rows.sort(Comparator.<ObjectNode, BigDecimal>comparing(r -> r.get("line").decimalValue()).reversed()
              .thenComparingInt(r -> r.get("id").asInt()));
          return JSON.valueToTree(rows.subList(0, 5));
        });
  }

  /** Orders joined with their customers. */
  static Task join() {
    return new Task("join", "The 10 most recent paid orders with the customer's name and country",
        """
            const o = await api.call('listOrders', { status: 'paid', sort: '-createdAt', per_page: 10 });
            const ids = [...new Set(o.data.map(x => x.customerId))];
            const cs = Object.fromEntries((await Promise.all(ids.map(id => api.call('getCustomer', { customerId: id }))))
              .map(c => [c.id, c]));
            return o.data.map(x => ({ orderId: x.id, total: x.total, customer: cs[x.customerId].name,
              country: cs[x.customerId].country }));
            """,
        sim -> {
          JsonNode o = sim.get("listOrders", "/orders", ordered("status", "paid", "sort", "-createdAt", "per_page", 10));
          Map<Integer, JsonNode> customers = new LinkedHashMap<>();
          for (JsonNode x : o.get("data")) {
            int id = x.get("customerId").asInt();
            if (!customers.containsKey(id)) {
              customers.put(id, sim.get("getCustomer", "/customers/{customerId}", Map.of("customerId", id)));
            }
          }
          ArrayNode out = JSON.createArrayNode();
          for (JsonNode x : o.get("data")) {
            JsonNode c = customers.get(x.get("customerId").asInt());
            out.addObject().put("orderId", x.get("id").asInt()).put("total", x.get("total").decimalValue())
                .put("customer", c.get("name").asText()).put("country", c.get("country").asText());
          }
          return out;
        });
  }

  /** An aggregate over many pages of two resources. */
  static Task aggregate() {
    return new Task("aggregate", "Revenue of the orders shipped in 2025 by customer country, top 5",
        PAGE_ALL + """
            const [orders, customers] = [await all('listOrders', { status: 'shipped', created_after: '2025-01-01',
              created_before: '2026-01-01' }), await all('listCustomers', {})];
            const country = Object.fromEntries(customers.map(c => [c.id, c.country]));
            const sums = {};
            for (const o of orders) sums[country[o.customerId]] = (sums[country[o.customerId]] || 0) + o.total;
            return Object.entries(sums).map(([country, revenue]) => ({ country, revenue: Math.round(revenue * 100) / 100 }))
              .sort((a, b) => b.revenue - a.revenue).slice(0, 5);
            """,
        sim -> {
          List<JsonNode> orders = sim.all("listOrders", "/orders",
              ordered("status", "shipped", "created_after", "2025-01-01", "created_before", "2026-01-01"));
          Map<Integer, String> country = new LinkedHashMap<>();
          sim.all("listCustomers", "/customers", Map.of()).forEach(c -> country.put(c.get("id").asInt(),
              c.get("country").asText()));
          Map<String, BigDecimal> sums = new TreeMap<>();
          orders.forEach(o -> sums.merge(country.get(o.get("customerId").asInt()), o.get("total").decimalValue(),
              BigDecimal::add));
          ArrayNode out = JSON.createArrayNode();
          sums.entrySet().stream().sorted(Map.Entry.<String, BigDecimal>comparingByValue().reversed()).limit(5)
              .forEach(e -> out.addObject().put("country", e.getKey())
                  .put("revenue", e.getValue().setScale(2, RoundingMode.HALF_UP)));
          return out;
        });
  }

  /** An aggregate over order items joined with products. */
  static Task topProducts() {
    return new Task("top-products", "The 3 best-selling products (units) in Q1 2025, with names",
        PAGE_ALL + """
            const orders = await all('listOrders', { created_after: '2025-01-01', created_before: '2025-04-01' });
            const units = {};
            for (const o of orders) for (const i of o.items) units[i.productId] = (units[i.productId] || 0) + i.quantity;
            const top = Object.entries(units).map(([id, n]) => ({ id: Number(id), units: n }))
              .sort((a, b) => b.units - a.units || a.id - b.id).slice(0, 3);
            const names = await Promise.all(top.map(t => api.call('getProduct', { productId: t.id })));
            return top.map((t, i) => ({ ...t, name: names[i].name }));
            """,
        sim -> {
          Map<Integer, Integer> units = new TreeMap<>();
          for (JsonNode o : sim.all("listOrders", "/orders",
              ordered("created_after", "2025-01-01", "created_before", "2025-04-01"))) {
            o.get("items").forEach(i -> units.merge(i.get("productId").asInt(), i.get("quantity").asInt(),
                Integer::sum));
          }
          ArrayNode out = JSON.createArrayNode();
          for (Map.Entry<Integer, Integer> e : units.entrySet().stream()
              .sorted(Map.Entry.<Integer, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
              .limit(3).toList()) {
            JsonNode p = sim.get("getProduct", "/products/{productId}", Map.of("productId", e.getKey()));
            out.addObject().put("id", e.getKey()).put("units", e.getValue()).put("name", p.get("name").asText());
          }
          return out;
        });
  }

  /** Find by scanning, then write (runs with --allow-writes: the confirmation is granted up front). */
  static Task findAndUpdate() {
    return new Task("find-and-update", "Add a note 'Refund review' to the customer with the most refunded orders",
        PAGE_ALL + """
            const refunded = await all('listOrders', { status: 'refunded' });
            const n = {};
            for (const o of refunded) n[o.customerId] = (n[o.customerId] || 0) + 1;
            const [id, count] = Object.entries(n).sort((a, b) => b[1] - a[1] || a[0] - b[0])[0];
            const note = await api.call('createCustomerNote', { customerId: Number(id), body: { body: 'Refund review' } });
            return { customerId: Number(id), refunds: count, noted: note.customerId === Number(id) };
            """,
        sim -> {
          Map<Integer, Integer> n = new TreeMap<>();
          sim.all("listOrders", "/orders", Map.of("status", "refunded"))
              .forEach(o -> n.merge(o.get("customerId").asInt(), 1, Integer::sum));
          Map.Entry<Integer, Integer> best = n.entrySet().stream()
              .sorted(Map.Entry.<Integer, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
              .findFirst().orElseThrow();
          JsonNode note = sim.post("createCustomerNote", "/customers/{customerId}/notes",
              Map.of("customerId", best.getKey()), Map.of("body", "Refund review"));
          return JSON.createObjectNode().put("customerId", best.getKey()).put("refunds", best.getValue())
              .put("noted", note.path("customerId").asInt() == best.getKey());
        });
  }

  /** An upstream 503, retried: odd-numbered calls to /diagnostics/flaky fail, the next one succeeds. */
  static Task recover() {
    return new Task("recover", "Read /diagnostics/flaky, retrying after a 503",
        """
            for (let attempt = 1; attempt <= 3; attempt++) {
              try { const r = await api.call('flakyEndpoint', {}); return { ok: r.ok, attempt }; }
              catch (e) { if (e.status !== 503) throw e; }
            }
            return { ok: false };
            """,
        sim -> {
          for (int attempt = 1; attempt <= 3; attempt++) {
            JsonNode r = sim.get("flakyEndpoint", "/diagnostics/flaky", Map.of());
            if (!r.has("_status")) {
              return JSON.createObjectNode().put("ok", r.path("ok").asBoolean()).put("attempt", attempt);
            }
          }
          return JSON.createObjectNode().put("ok", false);
        });
  }

  private static Map<String, Object> ordered(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  /** Deep equality with numbers compared to the cent (JS doubles against Java decimals). */
  static boolean same(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().subtract(b.decimalValue()).abs().compareTo(new BigDecimal("0.005")) <= 0;
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!same(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (a.isObject() && b.isObject()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (var it = a.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (!b.has(f) || !same(a.get(f), b.get(f))) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }
}
