package dev.codemode.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codemode.demo.Model.Customer;
import dev.codemode.demo.Model.Note;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Customers and their notes: {@code /customers}, {@code /customers/{customerId}},
 * {@code /customers/{customerId}/notes}.
 *
 * <p>Thread-safe: state lives in {@link DemoStore}. Example:
 * <pre>{@code new CustomerRoutes(store, mapper).register(router);
 * // GET /v1/customers?country=DE&tier=pro&sort=-lifetimeValue}</pre>
 */
final class CustomerRoutes {
  private static final Sorting<Customer> SORTING = new Sorting<>(Map.of(
      "id", Comparator.comparingInt(Customer::id),
      "name", Comparator.comparing(Customer::name),
      "createdAt", Comparator.comparing(Customer::createdAt),
      "lifetimeValue", Comparator.comparing(Customer::lifetimeValue)));

  private final DemoStore store;
  private final ObjectMapper mapper;

  CustomerRoutes(DemoStore store, ObjectMapper mapper) {
    this.store = store;
    this.mapper = mapper;
  }

  void register(Router router) {
    router.add("GET", "/customers", this::list)
        .add("GET", "/customers/{customerId}", this::get)
        .add("PATCH", "/customers/{customerId}", this::update)
        .add("GET", "/customers/{customerId}/notes", this::listNotes)
        .add("POST", "/customers/{customerId}/notes", this::createNote);
  }

  private Response list(Request request) {
    Paging paging = Paging.from(request);
    String country = request.query("country");
    String tier = request.queryEnum("tier", Model.TIERS);
    String q = request.query("q");
    String needle = q == null ? null : q.toLowerCase(Locale.ROOT);
    String createdAfter = request.queryTimestamp("created_after");
    List<Customer> matches = store.customers().stream()
        .filter(c -> country == null || c.country().equalsIgnoreCase(country))
        .filter(c -> tier == null || c.tier().equals(tier))
        .filter(c -> needle == null || c.name().toLowerCase(Locale.ROOT).contains(needle)
            || c.email().contains(needle))
        .filter(c -> createdAfter == null || c.createdAt().compareTo(createdAfter) >= 0)
        .collect(Collectors.toList());
    return Response.ok(paging.envelope(SORTING.apply(request, matches)));
  }

  private Response get(Request request) {
    int id = request.pathInt("customerId");
    return Response.ok(store.customer(id).orElseThrow(() -> ApiException.notFound("customer", id)));
  }

  private Response update(Request request) {
    int id = request.pathInt("customerId");
    Body body = new Body(request.jsonObject(mapper), "").allowOnly(Set.of("name", "email", "tier"));
    String name = body.optionalString("name", 200);
    String email = body.optionalString("email", 200);
    String tier = body.optionalEnum("tier", Model.TIERS);
    if (name == null && email == null && tier == null) {
      throw ApiException.invalid("body", "send at least one of name, email, tier");
    }
    if (email != null && !email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
      throw ApiException.invalid("email", "must be an email address like ada@example.com");
    }
    Customer updated = store.write(t -> {
      Customer c = t.customers().get(id);
      if (c == null) {
        throw ApiException.notFound("customer", id);
      }
      Customer next = new Customer(id, name != null ? name : c.name(), email != null ? email : c.email(),
          c.country(), tier != null ? tier : c.tier(), c.createdAt(), c.lifetimeValue());
      t.customers().put(id, next);
      return next;
    });
    return Response.ok(updated);
  }

  private Response listNotes(Request request) {
    int id = request.pathInt("customerId");
    Paging paging = Paging.from(request);
    store.customer(id).orElseThrow(() -> ApiException.notFound("customer", id));
    List<Note> notes = store.notes().stream().filter(n -> n.customerId() == id).collect(Collectors.toList());
    return Response.ok(paging.envelope(notes));
  }

  private Response createNote(Request request) {
    int id = request.pathInt("customerId");
    Body body = new Body(request.jsonObject(mapper), "").allowOnly(Set.of("body", "author"));
    String text = body.requiredString("body", 2000);
    String author = body.optionalString("author", 200);
    Note note = store.write(t -> {
      if (!t.customers().containsKey(id)) {
        throw ApiException.notFound("customer", id);
      }
      Note created = new Note(t.nextNoteId(), id, text, author == null ? "agent" : author,
          DemoData.iso(Instant.now()));
      t.notes().put(created.id(), created);
      return created;
    });
    return Response.created(note, "/v1/customers/" + id + "/notes");
  }
}
