package dev.codemode.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class DemoApiFilterTest extends DemoServerTest {
  private List<JsonNode> all(String path) {
    List<JsonNode> out = new ArrayList<>();
    for (int page = 1; page > 0; ) {
      JsonNode body = http.get(path + (path.contains("?") ? "&" : "?") + "per_page=100&page=" + page).json();
      body.get("data").forEach(out::add);
      page = body.get("next_page").isNull() ? 0 : body.get("next_page").asInt();
    }
    return out;
  }

  @Test
  void orderStatusTotalsAddUpAndEachFilterHolds() {
    int sum = 0;
    for (String status : Model.ORDER_STATUSES) {
      JsonNode body = http.get("/orders?per_page=100&status=" + status).json();
      body.get("data").forEach(o -> assertEquals(status, o.get("status").asText()));
      assertTrue(body.get("total").asInt() > 0, status);
      sum += body.get("total").asInt();
    }
    assertEquals(DemoData.ORDERS, sum);
    int paidOrShipped = http.get("/orders?status=paid,shipped").json().get("total").asInt();
    assertEquals(paidOrShipped, http.get("/orders?status=paid").json().get("total").asInt()
        + http.get("/orders?status=shipped").json().get("total").asInt());
  }

  @Test
  void customerFilterAndLifetimeValueAgree() {
    JsonNode customer = http.get("/customers?sort=-lifetimeValue&per_page=1").json().get("data").get(0);
    int id = customer.get("id").asInt();
    BigDecimal sum = BigDecimal.ZERO;
    for (JsonNode order : all("/orders?customer_id=" + id)) {
      assertEquals(id, order.get("customerId").asInt());
      if (order.get("status").asText().matches("paid|shipped")) {
        sum = sum.add(order.get("total").decimalValue());
      }
    }
    assertEquals(0, sum.compareTo(customer.get("lifetimeValue").decimalValue()), "lifetimeValue of " + id);
  }

  @Test
  void createdAfterBeforeAndTotalBounds() {
    List<JsonNode> orders = all("/orders?created_after=2025-06-01&created_before=2025-07-01T00:00:00Z&min_total=100");
    assertTrue(orders.size() > 10, "orders in June 2025 " + orders.size());
    for (JsonNode order : orders) {
      String created = order.get("createdAt").asText();
      assertTrue(created.startsWith("2025-06"), created);
      assertTrue(order.get("total").decimalValue().compareTo(new BigDecimal("100")) >= 0);
    }
    assertEquals(400, http.get("/orders?created_after=last-week").status());
  }

  @Test
  void ordersByProductContainThatProduct() {
    for (JsonNode order : all("/orders?product_id=7")) {
      boolean found = false;
      for (JsonNode item : order.get("items")) {
        found |= item.get("productId").asInt() == 7;
      }
      assertTrue(found, "order " + order.get("id"));
    }
  }

  @Test
  void customersByCountryTierAndName() {
    List<JsonNode> germanPros = all("/customers?country=de&tier=pro");
    assertTrue(germanPros.size() > 10);
    germanPros.forEach(c -> {
      assertEquals("DE", c.get("country").asText());
      assertEquals("pro", c.get("tier").asText());
    });
    List<JsonNode> named = all("/customers?q=LOVELACE");
    assertTrue(named.size() > 0);
    named.forEach(c -> assertTrue((c.get("name").asText() + c.get("email").asText())
        .toLowerCase(Locale.ROOT).contains("lovelace")));
    assertEquals(400, http.get("/customers?tier=gold").status());
  }

  @Test
  void countriesAreFifteen() {
    long countries = all("/customers").stream().map(c -> c.get("country").asText()).distinct().count();
    assertEquals(15, countries);
  }

  @Test
  void productsByCategoryAndSortedByPrice() {
    List<JsonNode> books = all("/products?category=books&sort=-price");
    assertEquals(DemoData.PRODUCTS / 10, books.size());
    for (int i = 1; i < books.size(); i++) {
      assertEquals("books", books.get(i).get("category").asText());
      assertTrue(books.get(i - 1).get("price").decimalValue().compareTo(books.get(i).get("price").decimalValue()) >= 0);
    }
    all("/products?in_stock=false").forEach(p -> assertEquals(0, p.get("stock").asInt()));
  }

  @Test
  void ticketsByPriority() {
    List<JsonNode> urgent = all("/tickets?priority=urgent&status=open");
    assertTrue(urgent.size() > 0);
    urgent.forEach(t -> {
      assertEquals("urgent", t.get("priority").asText());
      assertEquals("open", t.get("status").asText());
    });
    assertEquals(DemoData.TICKETS, http.get("/tickets").json().get("total").asInt());
  }

  @Test
  void unknownSortIs400ListingChoices() {
    DemoHttp.Reply reply = http.get("/orders?sort=price");
    assertEquals(400, reply.status());
    assertTrue(reply.json().path("error").path("message").asText().contains("-total"));
  }
}
