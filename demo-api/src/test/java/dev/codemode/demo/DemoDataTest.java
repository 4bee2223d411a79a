package dev.codemode.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.demo.Model.Customer;
import dev.codemode.demo.Model.Order;
import dev.codemode.demo.Model.OrderItem;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DemoDataTest {
  private final DemoData data = DemoData.generate(DemoData.SEED);

  @Test
  void sizesAndDeterminism() {
    assertEquals(DemoData.CUSTOMERS, data.customers().size());
    assertEquals(DemoData.PRODUCTS, data.products().size());
    assertEquals(DemoData.ORDERS, data.orders().size());
    assertEquals(DemoData.TICKETS, data.tickets().size());
    assertEquals(data, DemoData.generate(DemoData.SEED));
  }

  @Test
  void ordersAreConsistent() {
    Map<Integer, Customer> customers = new HashMap<>();
    data.customers().forEach(c -> customers.put(c.id(), c));
    Map<Integer, BigDecimal> lifetime = new HashMap<>();
    String previous = "";
    for (Order order : data.orders()) {
      Customer customer = customers.get(order.customerId());
      assertTrue(order.createdAt().compareTo(customer.createdAt()) >= 0, "order before signup: " + order.id());
      assertTrue(order.createdAt().compareTo(previous) >= 0, "ids follow creation time");
      previous = order.createdAt();
      BigDecimal total = BigDecimal.ZERO;
      Set<Integer> products = new HashSet<>();
      for (OrderItem item : order.items()) {
        assertTrue(products.add(item.productId()));
        assertEquals(data.products().get(item.productId() - 1).price(), item.unitPrice());
        total = total.add(item.unitPrice().multiply(BigDecimal.valueOf(item.quantity())));
      }
      assertEquals(0, total.compareTo(order.total()), "total of order " + order.id());
      if (order.countsTowardLifetimeValue()) {
        lifetime.merge(order.customerId(), order.total(), BigDecimal::add);
      }
    }
    for (Customer c : data.customers()) {
      assertEquals(0, lifetime.getOrDefault(c.id(), BigDecimal.ZERO).compareTo(c.lifetimeValue()), "ltv " + c.id());
    }
  }

  @Test
  void isoTimestampsMatchInstantToString() {
    for (String s : new String[] {"2022-01-01T00:00:00Z", "2025-12-31T23:59:59Z", "2024-02-29T07:08:09Z"}) {
      assertEquals(s, DemoData.iso(Instant.parse(s)));
    }
    assertEquals("2024-02-29T07:08:09Z", DemoData.iso(Instant.parse("2024-02-29T07:08:09.987Z")));
  }

  @Test
  void emailsAreUnique() {
    Set<String> emails = new HashSet<>();
    data.customers().forEach(c -> assertTrue(emails.add(c.email()), c.email()));
  }
}
