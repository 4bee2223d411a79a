package dev.codemode.demo;

import dev.codemode.demo.Model.Product;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The product catalog, read-only over HTTP: {@code /products} and {@code /products/{productId}}.
 * Stock changes only through orders.
 *
 * <p>Thread-safe: state lives in {@link DemoStore}. Example:
 * <pre>{@code new ProductRoutes(store).register(router);
 * // GET /v1/products?category=books&sort=-price}</pre>
 */
final class ProductRoutes {
  private static final Sorting<Product> SORTING = new Sorting<>(Map.of(
      "id", Comparator.comparingInt(Product::id),
      "name", Comparator.comparing(Product::name),
      "price", Comparator.comparing(Product::price),
      "stock", Comparator.comparingInt(Product::stock)));

  private final DemoStore store;

  ProductRoutes(DemoStore store) {
    this.store = store;
  }

  void register(Router router) {
    router.add("GET", "/products", this::list).add("GET", "/products/{productId}", this::get);
  }

  private Response list(Request request) {
    Paging paging = Paging.from(request);
    String category = request.query("category");
    String q = request.query("q");
    String needle = q == null ? null : q.toLowerCase(Locale.ROOT);
    BigDecimal minPrice = request.queryDecimal("min_price");
    BigDecimal maxPrice = request.queryDecimal("max_price");
    String inStock = request.queryEnum("in_stock", List.of("true", "false"));
    List<Product> matches = store.products().stream()
        .filter(p -> category == null || p.category().equalsIgnoreCase(category))
        .filter(p -> needle == null || p.name().toLowerCase(Locale.ROOT).contains(needle))
        .filter(p -> minPrice == null || p.price().compareTo(minPrice) >= 0)
        .filter(p -> maxPrice == null || p.price().compareTo(maxPrice) <= 0)
        .filter(p -> inStock == null || (p.stock() > 0) == Boolean.parseBoolean(inStock))
        .collect(Collectors.toList());
    return Response.ok(paging.envelope(SORTING.apply(request, matches)));
  }

  private Response get(Request request) {
    int id = request.pathInt("productId");
    return Response.ok(store.product(id).orElseThrow(() -> ApiException.notFound("product", id)));
  }
}
