package dev.codemode.demo;

import dev.codemode.demo.Model.Customer;
import dev.codemode.demo.Model.Order;
import dev.codemode.demo.Model.OrderItem;
import dev.codemode.demo.Model.Product;
import dev.codemode.demo.Model.Ticket;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Generates the demo data set from a fixed seed, so every start serves exactly the same records.
 *
 * <p>Not thread-safe; used once per {@link DemoStore}. Example:
 * <pre>{@code DemoData data = DemoData.generate(DemoData.SEED);
 * int n = data.orders().size(); // 10_000}</pre>
 */
record DemoData(List<Customer> customers, List<Product> products, List<Order> orders, List<Ticket> tickets) {

  static final long SEED = 20240501L;
  static final int CUSTOMERS = 2_000;
  static final int PRODUCTS = 200;
  static final int ORDERS = 10_000;
  static final int TICKETS = 1_000;

  static final Instant START = Instant.parse("2022-01-01T00:00:00Z");
  static final Instant END = Instant.parse("2025-12-31T23:59:59Z");
  private static final Instant LAST_SIGNUP = Instant.parse("2024-12-31T00:00:00Z");

  /** ISO 3166-1 alpha-2 codes with weights, so per-country aggregates differ. */
  private static final String[] COUNTRIES =
      {"US", "GB", "DE", "FR", "ES", "IT", "NL", "SE", "CA", "AU", "JP", "BR", "IN", "MX", "PL"};
  private static final int[] COUNTRY_WEIGHTS = {30, 10, 9, 7, 5, 5, 4, 3, 6, 4, 5, 4, 4, 2, 2};

  private static final String[] FIRST = {"Ada", "Alan", "Grace", "Linus", "Margaret", "Ken", "Barbara",
      "Dennis", "Frances", "John", "Radia", "Tim", "Hedy", "Edsger", "Katherine", "Donald", "Sophie",
      "Yukihiro", "Guido", "Anita", "Bjarne", "Shafi", "Niklaus", "Ruth", "Leslie", "Mary", "Carlos",
      "Priya", "Mateo", "Ingrid", "Kenji", "Amara", "Lucas", "Elena", "Tomasz", "Aisha"};
  private static final String[] LAST = {"Lovelace", "Turing", "Hopper", "Torvalds", "Hamilton",
      "Thompson", "Liskov", "Ritchie", "Allen", "Backus", "Perlman", "Berners-Lee", "Lamarr", "Dijkstra",
      "Johnson", "Knuth", "Wilson", "Matsumoto", "Rossum", "Borg", "Stroustrup", "Goldwasser", "Wirth",
      "Teitelman", "Lamport", "Shaw", "Garcia", "Patel", "Rossi", "Larsen", "Tanaka", "Okafor",
      "Silva", "Novak", "Kowalski", "Haddad"};

  /** Category, price range in cents, and name parts. */
  private static final Object[][] CATEGORIES = {
      {"electronics", 1_999, 149_999, new String[] {"Headphones", "Keyboard", "Monitor", "Speaker", "Charger", "Webcam"}},
      {"books", 599, 5_999, new String[] {"Novel", "Cookbook", "Atlas", "Field Guide", "Anthology", "Handbook"}},
      {"home", 999, 39_999, new String[] {"Lamp", "Blanket", "Kettle", "Vase", "Clock", "Rug"}},
      {"garden", 499, 29_999, new String[] {"Trowel", "Planter", "Hose", "Seed Kit", "Pruner", "Bird Feeder"}},
      {"toys", 399, 14_999, new String[] {"Puzzle", "Robot", "Kite", "Board Game", "Plush Bear", "Yo-yo"}},
      {"sports", 899, 49_999, new String[] {"Yoga Mat", "Racket", "Water Bottle", "Dumbbell", "Helmet", "Ball"}},
      {"clothing", 1_299, 24_999, new String[] {"Jacket", "T-Shirt", "Scarf", "Sneakers", "Hoodie", "Cap"}},
      {"beauty", 499, 9_999, new String[] {"Face Cream", "Shampoo", "Perfume", "Lip Balm", "Serum", "Soap"}},
      {"grocery", 199, 4_999, new String[] {"Coffee", "Tea", "Olive Oil", "Chocolate", "Honey", "Granola"}},
      {"office", 299, 59_999, new String[] {"Notebook", "Desk Chair", "Pen Set", "Stapler", "Planner", "Desk"}},
  };
  private static final String[] ADJECTIVES = {"Classic", "Deluxe", "Eco", "Compact", "Pro", "Mini",
      "Ultra", "Everyday", "Premium", "Smart"};

  private static final String[] TICKET_SUBJECTS = {"Where is my order?", "Item arrived damaged",
      "Request a refund", "Change shipping address", "Invoice needed", "Cannot log in",
      "Wrong item received", "Cancel my order", "Question about warranty", "Discount code not working"};

  /** Builds the whole data set; deterministic for a given seed. */
  static DemoData generate(long seed) {
    Random random = new Random(seed);
    // Creation instants by id - 1, so later steps need not parse the ISO strings back.
    Instant[] customerSince = new Instant[CUSTOMERS];
    Instant[] orderCreated = new Instant[ORDERS];
    List<Customer> customers = customers(random, customerSince);
    List<Product> products = products(random);
    List<Order> orders = orders(random, customers, products, customerSince, orderCreated);
    customers = withLifetimeValues(customers, orders);
    return new DemoData(customers, products, orders, tickets(random, orders, customerSince, orderCreated));
  }

  private static List<Customer> customers(Random random, Instant[] since) {
    int totalWeight = 0;
    for (int w : COUNTRY_WEIGHTS) {
      totalWeight += w;
    }
    List<Customer> out = new ArrayList<>(CUSTOMERS);
    for (int id = 1; id <= CUSTOMERS; id++) {
      String first = FIRST[random.nextInt(FIRST.length)];
      String last = LAST[random.nextInt(LAST.length)];
      int pick = random.nextInt(totalWeight);
      int c = 0;
      while (pick >= COUNTRY_WEIGHTS[c]) {
        pick -= COUNTRY_WEIGHTS[c++];
      }
      int t = random.nextInt(100);
      String tier = t < 60 ? "free" : t < 90 ? "pro" : "enterprise";
      Instant created = between(random, START, LAST_SIGNUP);
      since[id - 1] = created;
      String email = (first + "." + last).toLowerCase().replace("-", "") + id + "@example.com";
      out.add(new Customer(id, first + " " + last, email, COUNTRIES[c], tier, iso(created), BigDecimal.ZERO));
    }
    return out;
  }

  private static List<Product> products(Random random) {
    List<Product> out = new ArrayList<>(PRODUCTS);
    for (int id = 1; id <= PRODUCTS; id++) {
      Object[] category = CATEGORIES[(id - 1) % CATEGORIES.length];
      String[] nouns = (String[]) category[3];
      int low = (int) category[1];
      int high = (int) category[2];
      long cents = low + (long) ((high - low) * Math.pow(random.nextDouble(), 2));
      cents = cents / 100 * 100 + 99; // shop prices end in .99
      int stock = random.nextInt(10) == 0 ? 0 : random.nextInt(500) + 1;
      String name = ADJECTIVES[random.nextInt(ADJECTIVES.length)] + " " + nouns[random.nextInt(nouns.length)];
      out.add(new Product(id, "SKU-" + (100_000 + id + "").substring(1), name, (String) category[0],
          BigDecimal.valueOf(cents, 2), stock));
    }
    return out;
  }

  private static List<Order> orders(Random random, List<Customer> customers, List<Product> products,
      Instant[] customerSince, Instant[] orderCreated) {
    record Draft(int customerId, String status, List<OrderItem> items, BigDecimal total, Instant created) {}
    List<Draft> drafts = new ArrayList<>(ORDERS);
    for (int i = 0; i < ORDERS; i++) {
      // Squared draw: a few customers order a lot, many order rarely.
      Customer customer = customers.get((int) (customers.size() * Math.pow(random.nextDouble(), 2)));
      Set<Integer> productIds = new LinkedHashSet<>();
      int lines = 1 + random.nextInt(4);
      while (productIds.size() < lines) {
        productIds.add(1 + random.nextInt(products.size()));
      }
      List<OrderItem> items = new ArrayList<>(lines);
      BigDecimal total = BigDecimal.ZERO.setScale(2);
      for (int productId : productIds) {
        int quantity = 1 + random.nextInt(random.nextInt(8) == 0 ? 10 : 3);
        BigDecimal price = products.get(productId - 1).price();
        items.add(new OrderItem(productId, quantity, price));
        total = total.add(price.multiply(BigDecimal.valueOf(quantity)));
      }
      int s = random.nextInt(100);
      String status = s < 10 ? "pending" : s < 45 ? "paid" : s < 85 ? "shipped" : s < 95 ? "cancelled" : "refunded";
      Instant created = between(random, customerSince[customer.id() - 1], END);
      drafts.add(new Draft(customer.id(), status, List.copyOf(items), total, created));
    }
    drafts.sort(Comparator.comparing(Draft::created));
    List<Order> out = new ArrayList<>(ORDERS);
    for (int i = 0; i < drafts.size(); i++) {
      Draft d = drafts.get(i);
      orderCreated[i] = d.created();
      String created = iso(d.created());
      out.add(new Order(i + 1, d.customerId(), d.status(), d.items(), d.total(), created, created));
    }
    return out;
  }

  private static List<Customer> withLifetimeValues(List<Customer> customers, List<Order> orders) {
    Map<Integer, BigDecimal> sums = new HashMap<>();
    for (Order order : orders) {
      if (order.countsTowardLifetimeValue()) {
        sums.merge(order.customerId(), order.total(), BigDecimal::add);
      }
    }
    List<Customer> out = new ArrayList<>(customers.size());
    for (Customer c : customers) {
      out.add(c.withLifetimeValue(sums.getOrDefault(c.id(), BigDecimal.ZERO.setScale(2))));
    }
    return out;
  }

  private static List<Ticket> tickets(Random random, List<Order> orders, Instant[] customerSince,
      Instant[] orderCreated) {
    record Draft(int customerId, Integer orderId, String subject, Instant created) {}
    List<Draft> drafts = new ArrayList<>(TICKETS);
    for (int i = 0; i < TICKETS; i++) {
      Order order = orders.get(random.nextInt(orders.size()));
      boolean aboutOrder = random.nextInt(4) != 0;
      int customerId = aboutOrder ? order.customerId() : 1 + random.nextInt(customerSince.length);
      Instant from = aboutOrder ? orderCreated[order.id() - 1] : customerSince[customerId - 1];
      Instant created = between(random, from, END);
      drafts.add(new Draft(customerId, aboutOrder ? order.id() : null,
          TICKET_SUBJECTS[random.nextInt(TICKET_SUBJECTS.length)], created));
    }
    drafts.sort(Comparator.comparing(Draft::created));
    List<Ticket> out = new ArrayList<>(TICKETS);
    for (int i = 0; i < drafts.size(); i++) {
      Draft d = drafts.get(i);
      int p = random.nextInt(100);
      String priority = p < 30 ? "low" : p < 75 ? "normal" : p < 93 ? "high" : "urgent";
      String status = Model.TICKET_STATUSES.get(random.nextInt(Model.TICKET_STATUSES.size()));
      out.add(new Ticket(i + 1, d.customerId(), d.orderId(), d.subject(), status, priority, iso(d.created())));
    }
    return out;
  }

  private static Instant between(Random random, Instant from, Instant to) {
    long span = Math.max(1, to.getEpochSecond() - from.getEpochSecond());
    return from.plusSeconds((long) (random.nextDouble() * span));
  }

  /** The one timestamp format of the API: UTC, whole seconds, so strings sort like instants. */
  static String iso(Instant instant) {
    // Hand-rolled: DateTimeFormatter costs ~100 ms cold for the 11,000 timestamps made at start.
    LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
    char[] out = "0000-00-00T00:00:00Z".toCharArray();
    digits(out, 0, t.getYear(), 4);
    digits(out, 5, t.getMonthValue(), 2);
    digits(out, 8, t.getDayOfMonth(), 2);
    digits(out, 11, t.getHour(), 2);
    digits(out, 14, t.getMinute(), 2);
    digits(out, 17, t.getSecond(), 2);
    return new String(out);
  }

  private static void digits(char[] out, int at, int value, int width) {
    for (int i = width - 1; i >= 0; i--, value /= 10) {
      out[at + i] = (char) ('0' + value % 10);
    }
  }
}
