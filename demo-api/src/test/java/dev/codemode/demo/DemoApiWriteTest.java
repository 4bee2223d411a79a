package dev.codemode.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DemoApiWriteTest extends DemoServerTest {
  private JsonNode productInStock() {
    return http.get("/products?in_stock=true&sort=-stock&per_page=1").json().get("data").get(0);
  }

  @Test
  void createOrderTakesStockAndIsListed() {
    JsonNode product = productInStock();
    int productId = product.get("id").asInt();
    int stock = product.get("stock").asInt();
    DemoHttp.Reply created = http.send("POST", "/orders",
        "{\"customerId\": 5, \"items\": [{\"productId\": " + productId + ", \"quantity\": 3}]}");
    assertEquals(201, created.status(), created.raw().body());
    JsonNode order = created.json();
    int id = order.get("id").asInt();
    assertEquals(DemoData.ORDERS + 1, id);
    assertEquals("/v1/orders/" + id, created.header("Location"));
    assertEquals("pending", order.get("status").asText());
    assertEquals(0, product.get("price").decimalValue().multiply(BigDecimal.valueOf(3))
        .compareTo(order.get("total").decimalValue()));

    assertEquals(id, http.get("/orders/" + id).json().get("id").asInt());
    assertEquals(DemoData.ORDERS + 1, http.get("/orders").json().get("total").asInt());
    assertEquals(stock - 3, http.get("/products/" + productId).json().get("stock").asInt());
    assertEquals(id, http.get("/orders?customer_id=5&sort=-id&per_page=1").json().get("data").get(0).get("id").asInt());
  }

  @Test
  void statusChangesFollowTheLifecycleAndMoveLifetimeValue() {
    JsonNode product = productInStock();
    BigDecimal before = http.get("/customers/9").json().get("lifetimeValue").decimalValue();
    JsonNode order = http.send("POST", "/orders", "{\"customerId\": 9, \"items\": [{\"productId\": "
        + product.get("id").asInt() + ", \"quantity\": 1}]}").json();
    String path = "/orders/" + order.get("id").asInt();

    DemoHttp.Reply paid = http.send("PATCH", path, "{\"status\": \"paid\"}");
    assertEquals(200, paid.status());
    assertEquals("paid", paid.json().get("status").asText());
    BigDecimal after = http.get("/customers/9").json().get("lifetimeValue").decimalValue();
    assertEquals(0, before.add(order.get("total").decimalValue()).compareTo(after));

    assertEquals("paid", http.get(path).json().get("status").asText());
    assertEquals(200, http.send("PATCH", path, "{\"status\": \"cancelled\"}").status());
    DemoHttp.Reply reopen = http.send("PATCH", path, "{\"status\": \"paid\"}");
    assertEquals(422, reopen.status());
    assertEquals("status", reopen.json().path("error").path("field").asText());
    assertEquals(product.get("stock").asInt(), http.get("/products/" + product.get("id").asInt()).json()
        .get("stock").asInt(), "cancelling returns stock");
    assertEquals(0, before.compareTo(http.get("/customers/9").json().get("lifetimeValue").decimalValue()));
  }

  @Test
  void concurrentOrdersEachTakeStockOnce() throws Exception {
    JsonNode product = productInStock();
    int productId = product.get("id").asInt();
    int stock = product.get("stock").asInt();
    int threads = 8;
    int perThread = 10;
    assertTrue(stock >= threads * perThread, "stock " + stock);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Set<Integer>>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(pool.submit(() -> {
          Set<Integer> ids = new HashSet<>();
          for (int i = 0; i < perThread; i++) {
            DemoHttp.Reply reply = http.send("POST", "/orders", "{\"customerId\": 11, \"items\": [{\"productId\": "
                + productId + ", \"quantity\": 1}]}");
            assertEquals(201, reply.status(), reply.raw().body());
            ids.add(reply.json().get("id").asInt());
          }
          return ids;
        }));
      }
      Set<Integer> all = new HashSet<>();
      for (Future<Set<Integer>> future : futures) {
        all.addAll(future.get(60, TimeUnit.SECONDS));
      }
      assertEquals(threads * perThread, all.size(), "every order got its own id");
    } finally {
      pool.shutdownNow();
    }
    assertEquals(stock - threads * perThread, http.get("/products/" + productId).json().get("stock").asInt());
    assertEquals(DemoData.ORDERS + threads * perThread, http.get("/orders").json().get("total").asInt());
  }

  @Test
  void deleteRemovesTheOrder() {
    assertEquals(204, http.send("DELETE", "/orders/17", null).status());
    DemoHttp.Reply gone = http.get("/orders/17");
    assertEquals(404, gone.status());
    assertEquals("not_found", gone.errorCode());
    assertEquals(DemoData.ORDERS - 1, http.get("/orders").json().get("total").asInt());
    assertEquals(404, http.send("DELETE", "/orders/17", null).status());
  }

  @Test
  void deletedIdsAreNotReused() {
    assertEquals(204, http.send("DELETE", "/orders/" + DemoData.ORDERS, null).status());
    int productId = productInStock().get("id").asInt();
    JsonNode created = http.send("POST", "/orders", "{\"customerId\": 1, \"items\": [{\"productId\": "
        + productId + ", \"quantity\": 1}]}").json();
    assertEquals(DemoData.ORDERS + 1, created.get("id").asInt());
  }

  @Test
  void invalidBodiesAre422NamingTheField() {
    int productId = productInStock().get("id").asInt();
    assertField("{\"items\": [{\"productId\": 1, \"quantity\": 1}]}", "customerId");
    assertField("{\"customerId\": 99999, \"items\": [{\"productId\": 1, \"quantity\": 1}]}", "customerId");
    assertField("{\"customerId\": 1, \"items\": []}", "items");
    assertField("{\"customerId\": 1, \"items\": [{\"productId\": " + productId + ", \"quantity\": 0}]}",
        "items[0].quantity");
    assertField("{\"customerId\": 1, \"items\": [{\"productId\": " + productId + ", \"quantity\": 1},"
        + " {\"productId\": 99999, \"quantity\": 1}]}", "items[1].productId");
    assertField("{\"customerId\": 1, \"items\": [{\"productId\": " + productId + ", \"qty\": 1}]}",
        "items[0].qty");
    assertField("{\"customerId\": \"one\", \"items\": []}", "customerId");
    assertField("{\"customerId\": 1, \"status\": \"shipped\", \"items\": [{\"productId\": " + productId
        + ", \"quantity\": 1}]}", "status");
    assertEquals(DemoData.ORDERS, http.get("/orders").json().get("total").asInt(), "nothing was created");

    DemoHttp.Reply notJson = http.send("POST", "/orders", "{customerId: 1");
    assertEquals(400, notJson.status());
    assertEquals("bad_request", notJson.errorCode());
  }

  private void assertField(String body, String field) {
    DemoHttp.Reply reply = http.send("POST", "/orders", body);
    assertEquals(422, reply.status(), body);
    assertEquals("validation_failed", reply.errorCode());
    assertEquals(field, reply.json().path("error").path("field").asText(), reply.raw().body());
    assertTrue(reply.json().path("error").path("message").asText().startsWith(field + ":"));
  }

  @Test
  void orderingMoreThanInStockIs422() {
    JsonNode product = http.get("/products?in_stock=true&sort=stock&per_page=1").json().get("data").get(0);
    DemoHttp.Reply reply = http.send("POST", "/orders", "{\"customerId\": 1, \"items\": [{\"productId\": "
        + product.get("id").asInt() + ", \"quantity\": " + (product.get("stock").asInt() + 1) + "}]}");
    assertEquals(422, reply.status());
    assertTrue(reply.json().path("error").path("message").asText().contains("in stock"));
  }

  @Test
  void notesAreAddedAndListed() {
    assertEquals(0, http.get("/customers/3/notes").json().get("total").asInt());
    DemoHttp.Reply created = http.send("POST", "/customers/3/notes", "{\"body\": \"Wants a callback\"}");
    assertEquals(201, created.status());
    assertEquals("agent", created.json().get("author").asText());
    JsonNode notes = http.get("/customers/3/notes").json();
    assertEquals(1, notes.get("total").asInt());
    assertEquals("Wants a callback", notes.get("data").get(0).get("body").asText());
    assertEquals(0, http.get("/customers/4/notes").json().get("total").asInt());
    assertEquals(422, http.send("POST", "/customers/3/notes", "{\"body\": \"  \"}").status());
    assertEquals(404, http.send("POST", "/customers/99999/notes", "{\"body\": \"x\"}").status());
  }

  @Test
  void customerTierUpdates() {
    DemoHttp.Reply updated = http.send("PATCH", "/customers/8", "{\"tier\": \"enterprise\"}");
    assertEquals(200, updated.status());
    assertEquals("enterprise", http.get("/customers/8").json().get("tier").asText());
    assertEquals(422, http.send("PATCH", "/customers/8", "{}").status());
    assertEquals("email", http.send("PATCH", "/customers/8", "{\"email\": \"nope\"}").json()
        .path("error").path("field").asText());
  }
}
