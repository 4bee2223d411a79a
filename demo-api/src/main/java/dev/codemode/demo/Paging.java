package dev.codemode.demo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code page}/{@code per_page} parameters of every list endpoint and the envelope they produce.
 *
 * <p>Immutable. Example:
 * <pre>{@code Paging paging = Paging.from(request);
 * return Response.ok(paging.envelope(filteredOrders));}</pre>
 */
record Paging(int page, int perPage) {
  static final int DEFAULT_PER_PAGE = 20;
  static final int MAX_PER_PAGE = 100;

  /** Reads the parameters; {@code per_page} above the maximum is lowered to it, as many APIs do. */
  static Paging from(Request request) {
    int page = request.queryInt("page", 1, 1, Integer.MAX_VALUE);
    int perPage = request.queryInt("per_page", DEFAULT_PER_PAGE, 1, Integer.MAX_VALUE);
    return new Paging(page, Math.min(perPage, MAX_PER_PAGE));
  }

  /** {@code {"data":[..],"page":1,"per_page":20,"total":N,"next_page":2|null}}. */
  Map<String, Object> envelope(List<?> all) {
    long from = (long) (page - 1) * perPage;
    int start = (int) Math.min(from, all.size());
    int end = (int) Math.min(from + perPage, all.size());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("data", all.subList(start, end));
    out.put("page", page);
    out.put("per_page", perPage);
    out.put("total", all.size());
    out.put("next_page", end < all.size() ? page + 1 : null);
    return out;
  }
}
