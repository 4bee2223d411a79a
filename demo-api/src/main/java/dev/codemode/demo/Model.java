package dev.codemode.demo;

import java.math.BigDecimal;
import java.util.List;

/**
 * The demo API's resources as immutable records; Jackson writes their components as JSON fields.
 *
 * <p>Thread-safe: every record is immutable; a write replaces a record in {@link DemoStore}.
 */
final class Model {
  private Model() {}

  /** Customer plans, cheapest first. */
  static final List<String> TIERS = List.of("free", "pro", "enterprise");
  /** Order statuses; {@code cancelled} and {@code refunded} are final. */
  static final List<String> ORDER_STATUSES = List.of("pending", "paid", "shipped", "cancelled", "refunded");
  static final List<String> TICKET_STATUSES = List.of("open", "pending", "solved", "closed");
  static final List<String> TICKET_PRIORITIES = List.of("low", "normal", "high", "urgent");

  record Customer(int id, String name, String email, String country, String tier, String createdAt,
      BigDecimal lifetimeValue) {
    Customer withLifetimeValue(BigDecimal value) {
      return new Customer(id, name, email, country, tier, createdAt, value);
    }
  }

  record Product(int id, String sku, String name, String category, BigDecimal price, int stock) {
    Product withStock(int newStock) {
      return new Product(id, sku, name, category, price, newStock);
    }
  }

  record OrderItem(int productId, int quantity, BigDecimal unitPrice) {}

  record Order(int id, int customerId, String status, List<OrderItem> items, BigDecimal total,
      String createdAt, String updatedAt) {
    boolean countsTowardLifetimeValue() {
      return status.equals("paid") || status.equals("shipped");
    }
  }

  record Ticket(int id, int customerId, Integer orderId, String subject, String status, String priority,
      String createdAt) {}

  record Note(int id, int customerId, String body, String author, String createdAt) {}
}
