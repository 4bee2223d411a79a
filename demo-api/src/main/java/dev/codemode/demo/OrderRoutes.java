package dev.codemode.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codemode.demo.Model.Order;
import dev.codemode.demo.Model.OrderItem;
import dev.codemode.demo.Model.Product;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Orders: list with filters, get, create, status change, delete. Creating an order takes stock;
 * cancelling gives it back; paid and shipped orders count toward the customer's lifetime value.
 *
 * <p>Thread-safe: state lives in {@link DemoStore}; each write is one locked step. Example:
 * <pre>{@code new OrderRoutes(store, mapper).register(router);
 * // GET /v1/orders?status=paid,shipped&created_after=2025-01-01&per_page=100}</pre>
 */
final class OrderRoutes {
  /** Allowed status changes; {@code cancelled} and {@code refunded} are final. */
  static final Map<String, Set<String>> TRANSITIONS = Map.of(
      "pending", Set.of("paid", "cancelled"),
      "paid", Set.of("shipped", "cancelled", "refunded"),
      "shipped", Set.of("refunded"),
      "cancelled", Set.of(),
      "refunded", Set.of());
  private static final Sorting<Order> SORTING = new Sorting<>(Map.of(
      "id", Comparator.comparingInt(Order::id),
      "createdAt", Comparator.comparing(Order::createdAt),
      "total", Comparator.comparing(Order::total)));
  private static final int MAX_ITEMS = 50;

  private final DemoStore store;
  private final ObjectMapper mapper;

  OrderRoutes(DemoStore store, ObjectMapper mapper) {
    this.store = store;
    this.mapper = mapper;
  }

  void register(Router router) {
    router.add("GET", "/orders", this::list)
        .add("POST", "/orders", this::create)
        .add("GET", "/orders/{orderId}", this::get)
        .add("PATCH", "/orders/{orderId}", this::update)
        .add("DELETE", "/orders/{orderId}", this::delete);
  }

  private Response list(Request request) {
    Paging paging = Paging.from(request);
    Set<String> statuses = statuses(request.query("status"));
    Integer customerId = request.queryInt("customer_id", null, 1, Integer.MAX_VALUE);
    Integer productId = request.queryInt("product_id", null, 1, Integer.MAX_VALUE);
    String after = request.queryTimestamp("created_after");
    String before = request.queryTimestamp("created_before");
    BigDecimal minTotal = request.queryDecimal("min_total");
    BigDecimal maxTotal = request.queryDecimal("max_total");
    List<Order> matches = store.orders().stream()
        .filter(o -> statuses == null || statuses.contains(o.status()))
        .filter(o -> customerId == null || o.customerId() == customerId)
        .filter(o -> productId == null || o.items().stream().anyMatch(i -> i.productId() == productId))
        .filter(o -> after == null || o.createdAt().compareTo(after) >= 0)
        .filter(o -> before == null || o.createdAt().compareTo(before) < 0)
        .filter(o -> minTotal == null || o.total().compareTo(minTotal) >= 0)
        .filter(o -> maxTotal == null || o.total().compareTo(maxTotal) <= 0)
        .collect(Collectors.toList());
    return Response.ok(paging.envelope(SORTING.apply(request, matches)));
  }

  private static Set<String> statuses(String raw) {
    if (raw == null) {
      return null;
    }
    Set<String> out = new HashSet<>(Arrays.asList(raw.split(",")));
    for (String status : out) {
      if (!Model.ORDER_STATUSES.contains(status)) {
        throw ApiException.badRequest("status", "each status must be one of " + Model.ORDER_STATUSES
            + ", got '" + status + "'");
      }
    }
    return out;
  }

  private Response get(Request request) {
    int id = request.pathInt("orderId");
    return Response.ok(store.order(id).orElseThrow(() -> ApiException.notFound("order", id)));
  }

  private record Line(String path, int productId, int quantity) {}

  private Response create(Request request) {
    Body body = new Body(request.jsonObject(mapper), "").allowOnly(Set.of("customerId", "items", "status"));
    int customerId = body.requiredInt("customerId", 1, Integer.MAX_VALUE);
    String status = body.optionalEnum("status", List.of("pending", "paid"));
    List<Line> lines = lines(body.node().get("items"));
    Order order = store.write(t -> {
      if (!t.customers().containsKey(customerId)) {
        throw ApiException.invalid("customerId", "no customer with id " + customerId);
      }
      List<OrderItem> items = new ArrayList<>();
      BigDecimal total = BigDecimal.ZERO.setScale(2);
      for (Line line : lines) {
        Product product = t.products().get(line.productId());
        if (product == null) {
          throw ApiException.invalid(line.path() + ".productId", "no product with id " + line.productId());
        }
        if (product.stock() < line.quantity()) {
          throw ApiException.invalid(line.path() + ".quantity", "only " + product.stock() + " of product "
              + product.id() + " in stock, asked for " + line.quantity());
        }
        items.add(new OrderItem(product.id(), line.quantity(), product.price()));
        total = total.add(product.price().multiply(BigDecimal.valueOf(line.quantity())));
      }
      for (Line line : lines) {
        t.products().computeIfPresent(line.productId(), (k, p) -> p.withStock(p.stock() - line.quantity()));
      }
      String now = DemoData.iso(Instant.now());
      Order created = new Order(t.nextOrderId(), customerId, status == null ? "pending" : status,
          List.copyOf(items), total, now, now);
      t.orders().put(created.id(), created);
      t.refreshLifetimeValue(customerId);
      return created;
    });
    return Response.created(order, "/v1/orders/" + order.id());
  }

  private static List<Line> lines(JsonNode items) {
    if (items == null || items.isNull()) {
      throw ApiException.invalid("items", "is required: a list like [{\"productId\": 1, \"quantity\": 2}]");
    }
    if (!items.isArray() || items.isEmpty() || items.size() > MAX_ITEMS) {
      throw ApiException.invalid("items", "must be a list of 1 to " + MAX_ITEMS + " items");
    }
    List<Line> lines = new ArrayList<>();
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      String path = "items[" + i + "]";
      if (!items.get(i).isObject()) {
        throw ApiException.invalid(path, "must be an object like {\"productId\": 1, \"quantity\": 2}");
      }
      Body item = new Body(items.get(i), path).allowOnly(Set.of("productId", "quantity"));
      int productId = item.requiredInt("productId", 1, Integer.MAX_VALUE);
      int quantity = item.requiredInt("quantity", 1, 1000);
      if (!seen.add(productId)) {
        throw ApiException.invalid(path + ".productId", "product " + productId
            + " appears twice; use one item with the summed quantity");
      }
      lines.add(new Line(path, productId, quantity));
    }
    return lines;
  }

  private Response update(Request request) {
    int id = request.pathInt("orderId");
    Body body = new Body(request.jsonObject(mapper), "").allowOnly(Set.of("status"));
    String status = body.requiredEnum("status", Model.ORDER_STATUSES);
    Order updated = store.write(t -> {
      Order order = t.orders().get(id);
      if (order == null) {
        throw ApiException.notFound("order", id);
      }
      if (order.status().equals(status)) {
        return order;
      }
      if (!TRANSITIONS.get(order.status()).contains(status)) {
        throw ApiException.invalid("status", "order " + id + " is " + order.status() + " and cannot become "
            + status + "; allowed next: " + new TreeSet<>(TRANSITIONS.get(order.status())));
      }
      if (status.equals("cancelled")) {
        for (OrderItem item : order.items()) {
          t.products().computeIfPresent(item.productId(), (k, p) -> p.withStock(p.stock() + item.quantity()));
        }
      }
      Order next = new Order(id, order.customerId(), status, order.items(), order.total(), order.createdAt(),
          DemoData.iso(Instant.now()));
      t.orders().put(id, next);
      t.refreshLifetimeValue(order.customerId());
      return next;
    });
    return Response.ok(updated);
  }

  private Response delete(Request request) {
    int id = request.pathInt("orderId");
    store.write(t -> {
      Order removed = t.orders().remove(id);
      if (removed == null) {
        throw ApiException.notFound("order", id);
      }
      t.refreshLifetimeValue(removed.customerId());
      return removed;
    });
    return Response.noContent();
  }
}
