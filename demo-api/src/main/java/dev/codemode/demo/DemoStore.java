package dev.codemode.demo;

import dev.codemode.demo.Model.Customer;
import dev.codemode.demo.Model.Note;
import dev.codemode.demo.Model.Order;
import dev.codemode.demo.Model.Product;
import dev.codemode.demo.Model.Ticket;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * The in-memory state of one demo API: id-ordered maps of immutable records.
 *
 * <p>Thread-safe: reads take a read lock and return snapshots; each write runs under the write
 * lock, so a multi-record change (an order plus stock plus lifetime value) is atomic. Example:
 * <pre>{@code DemoStore store = new DemoStore(DemoData.generate(DemoData.SEED));
 * List<Order> orders = store.orders();}</pre>
 */
final class DemoStore {
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final TreeMap<Integer, Customer> customers = new TreeMap<>();
  private final TreeMap<Integer, Product> products = new TreeMap<>();
  private final TreeMap<Integer, Order> orders = new TreeMap<>();
  private final TreeMap<Integer, Ticket> tickets = new TreeMap<>();
  private final TreeMap<Integer, Note> notes = new TreeMap<>();
  /** Last ids handed out, so a deleted record's id is never reused. Guarded by the write lock. */
  private int lastOrderId;
  private int lastNoteId;

  DemoStore(DemoData data) {
    data.customers().forEach(c -> customers.put(c.id(), c));
    data.products().forEach(p -> products.put(p.id(), p));
    data.orders().forEach(o -> orders.put(o.id(), o));
    data.tickets().forEach(t -> tickets.put(t.id(), t));
    lastOrderId = orders.isEmpty() ? 0 : orders.lastKey();
  }

  List<Customer> customers() {
    return read(customers);
  }

  List<Product> products() {
    return read(products);
  }

  List<Order> orders() {
    return read(orders);
  }

  List<Ticket> tickets() {
    return read(tickets);
  }

  List<Note> notes() {
    return read(notes);
  }

  Optional<Customer> customer(int id) {
    return read(customers, id);
  }

  Optional<Product> product(int id) {
    return read(products, id);
  }

  Optional<Order> order(int id) {
    return read(orders, id);
  }

  Optional<Ticket> ticket(int id) {
    return read(tickets, id);
  }

  /**
   * Runs {@code change} under the write lock with mutable access to the state. Writes go through
   * here so validation and mutation see one consistent state.
   */
  <T> T write(Function<Tables, T> change) {
    lock.writeLock().lock();
    try {
      return change.apply(new Tables());
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Mutable view of the state, valid only inside {@link #write}. */
  final class Tables {
    Map<Integer, Customer> customers() {
      return customers;
    }

    Map<Integer, Product> products() {
      return products;
    }

    Map<Integer, Order> orders() {
      return orders;
    }

    Map<Integer, Note> notes() {
      return notes;
    }

    int nextOrderId() {
      return ++lastOrderId;
    }

    int nextNoteId() {
      return ++lastNoteId;
    }

    /** Recomputes a customer's lifetime value: the sum of totals of its paid and shipped orders. */
    void refreshLifetimeValue(int customerId) {
      BigDecimal sum = BigDecimal.ZERO.setScale(2);
      for (Order order : orders.values()) {
        if (order.customerId() == customerId && order.countsTowardLifetimeValue()) {
          sum = sum.add(order.total());
        }
      }
      BigDecimal total = sum;
      customers.computeIfPresent(customerId, (id, c) -> c.withLifetimeValue(total));
    }
  }

  private <T> List<T> read(TreeMap<Integer, T> table) {
    lock.readLock().lock();
    try {
      return new ArrayList<>(table.values());
    } finally {
      lock.readLock().unlock();
    }
  }

  private <T> Optional<T> read(TreeMap<Integer, T> table, int id) {
    lock.readLock().lock();
    try {
      return Optional.ofNullable(table.get(id));
    } finally {
      lock.readLock().unlock();
    }
  }
}
