package dev.codemode.demo;

import dev.codemode.demo.Model.Ticket;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Support tickets, read-only: {@code /tickets} and {@code /tickets/{ticketId}}.
 *
 * <p>Thread-safe: state lives in {@link DemoStore}. Example:
 * <pre>{@code new TicketRoutes(store).register(router);
 * // GET /v1/tickets?status=open&priority=urgent}</pre>
 */
final class TicketRoutes {
  private static final List<String> PRIORITY_ORDER = Model.TICKET_PRIORITIES;
  private static final Sorting<Ticket> SORTING = new Sorting<>(Map.of(
      "id", Comparator.comparingInt(Ticket::id),
      "createdAt", Comparator.comparing(Ticket::createdAt),
      "priority", Comparator.comparingInt(t -> PRIORITY_ORDER.indexOf(t.priority()))));

  private final DemoStore store;

  TicketRoutes(DemoStore store) {
    this.store = store;
  }

  void register(Router router) {
    router.add("GET", "/tickets", this::list).add("GET", "/tickets/{ticketId}", this::get);
  }

  private Response list(Request request) {
    Paging paging = Paging.from(request);
    String status = request.queryEnum("status", Model.TICKET_STATUSES);
    String priority = request.queryEnum("priority", Model.TICKET_PRIORITIES);
    Integer customerId = request.queryInt("customer_id", null, 1, Integer.MAX_VALUE);
    Integer orderId = request.queryInt("order_id", null, 1, Integer.MAX_VALUE);
    List<Ticket> matches = store.tickets().stream()
        .filter(t -> status == null || t.status().equals(status))
        .filter(t -> priority == null || t.priority().equals(priority))
        .filter(t -> customerId == null || t.customerId() == customerId)
        .filter(t -> orderId == null || orderId.equals(t.orderId()))
        .collect(Collectors.toList());
    return Response.ok(paging.envelope(SORTING.apply(request, matches)));
  }

  private Response get(Request request) {
    int id = request.pathInt("ticketId");
    return Response.ok(store.ticket(id).orElseThrow(() -> ApiException.notFound("ticket", id)));
  }
}
