package dev.codemode.demo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The {@code sort} query parameter: a field name, optionally prefixed with {@code -} for descending.
 * Ties keep id order because the sort is stable and lists start id-ordered.
 *
 * <p>Immutable; stateless. Example:
 * <pre>{@code Sorting<Order> sorting = new Sorting<>(Map.of("total", Comparator.comparing(Order::total)));
 * List<Order> sorted = sorting.apply(request, orders);}</pre>
 */
record Sorting<T>(Map<String, Comparator<T>> keys) {

  /** Sorts {@code items} (a mutable copy) by the request's {@code sort}; unchanged when absent. */
  List<T> apply(Request request, List<T> items) {
    String sort = request.query("sort");
    if (sort == null) {
      return items;
    }
    boolean descending = sort.startsWith("-");
    Comparator<T> comparator = keys.get(descending ? sort.substring(1) : sort);
    if (comparator == null) {
      List<String> allowed = new ArrayList<>();
      keys.keySet().stream().sorted().forEach(k -> {
        allowed.add(k);
        allowed.add("-" + k);
      });
      throw ApiException.badRequest("sort", "must be one of " + allowed + ", got '" + sort + "'");
    }
    items.sort(descending ? comparator.reversed() : comparator);
    return items;
  }
}
