package dev.codemode.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DemoApiPagingTest extends DemoServerTest {
  /** Follows next_page from page 1 and returns every id seen, failing on a duplicate. */
  private Set<Integer> pageThrough(String path, int perPage, int expectedTotal) {
    Set<Integer> ids = new HashSet<>();
    int page = 1;
    int pages = 0;
    while (true) {
      JsonNode body = http.get(path + (path.contains("?") ? "&" : "?") + "page=" + page + "&per_page=" + perPage)
          .json();
      assertEquals(expectedTotal, body.get("total").asInt());
      assertEquals(page, body.get("page").asInt());
      assertEquals(perPage, body.get("per_page").asInt());
      for (JsonNode item : body.get("data")) {
        assertTrue(ids.add(item.get("id").asInt()), "duplicate id " + item.get("id"));
      }
      pages++;
      if (body.get("next_page").isNull()) {
        break;
      }
      assertTrue(body.get("data").size() == perPage, "only the last page may be short");
      page = body.get("next_page").asInt();
    }
    assertEquals((expectedTotal + perPage - 1) / perPage, pages);
    return ids;
  }

  @Test
  void ordersPageCoversEveryRecordExactlyOnce() {
    Set<Integer> ids = pageThrough("/orders", 100, DemoData.ORDERS);
    assertEquals(DemoData.ORDERS, ids.size());
  }

  @Test
  void customersWithOddPageSizeCoverEveryRecordOnce() {
    assertEquals(DemoData.CUSTOMERS, pageThrough("/customers", 37, DemoData.CUSTOMERS).size());
  }

  @Test
  void sortedAndFilteredPagingAlsoCoversEachOnce() {
    int total = http.get("/orders?status=shipped").json().get("total").asInt();
    assertTrue(total > 1000 && total < DemoData.ORDERS, "shipped " + total);
    assertEquals(total, pageThrough("/orders?status=shipped&sort=-total", 100, total).size());
  }

  @Test
  void defaultsAndCaps() {
    JsonNode first = http.get("/products").json();
    assertEquals(20, first.get("per_page").asInt());
    assertEquals(20, first.get("data").size());
    assertEquals(2, first.get("next_page").asInt());
    assertEquals(DemoData.PRODUCTS, first.get("total").asInt());

    JsonNode capped = http.get("/products?per_page=1000").json();
    assertEquals(100, capped.get("per_page").asInt());
    assertEquals(100, capped.get("data").size());

    JsonNode beyond = http.get("/products?page=99&per_page=100").json();
    assertEquals(0, beyond.get("data").size());
    assertTrue(beyond.get("next_page").isNull());
  }

  @Test
  void badPagingParametersAre400NamingTheParameter() {
    DemoHttp.Reply zero = http.get("/orders?page=0");
    assertEquals(400, zero.status());
    assertEquals("page", zero.json().path("error").path("field").asText());
    DemoHttp.Reply text = http.get("/orders?per_page=ten");
    assertEquals(400, text.status());
    assertTrue(text.json().path("error").path("message").asText().contains("per_page"));
  }
}
