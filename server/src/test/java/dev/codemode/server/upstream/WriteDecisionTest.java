package dev.codemode.server.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.spec.Operation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every branch of the one write decision, {@link Policy#decide}: Allow, Confirm, Refuse and which rule refused. */
class WriteDecisionTest {
  private static final Operation GET = op("getThing", "GET", "/things/{id}", "things");
  private static final Operation DELETE = op("deleteThing", "DELETE", "/things/{id}", "things");
  private static final Operation CREATE = op("createThing", "POST", "/things", "admin");
  private static final Policy ASKING = new Policy(false, false, List.of(), List.of());
  private static final Policy ALLOWING = new Policy(true, false, List.of(), List.of());

  private static Operation op(String id, String method, String path, String tag) {
    return new Operation("api", id, method, path, "", "", List.of(tag), List.of(), null, null, false);
  }

  private static Policy.Attempt attempt(Operation op, String method, String path) {
    return new Policy.Attempt("store", op, method, path, "{\"name\":\"x\"}", null, null);
  }

  private static WriteDecision.Refuse refused(WriteDecision d, WriteDecision.Rule rule) {
    WriteDecision.Refuse r = assertInstanceOf(WriteDecision.Refuse.class, d);
    assertEquals(rule, r.rule(), r.reason());
    return r;
  }

  @Test
  void readsRunAndWritesRunWhenTheOperatorAllowedThem() {
    assertSame(WriteDecision.ALLOW, ASKING.decide(attempt(GET, "GET", "/things/1")));
    assertSame(WriteDecision.ALLOW, ASKING.decide(attempt(null, "HEAD", "/anything")));
    assertSame(WriteDecision.ALLOW, ALLOWING.decide(attempt(DELETE, "DELETE", "/things/1")));
    assertSame(WriteDecision.ALLOW, ALLOWING.decide(attempt(null, "POST", "/undocumented")));
  }

  @Test
  void aWriteTheOperatorDidNotAllowAsksTheHumanWithWhatItWouldSend() {
    WriteDecision.Confirm c = assertInstanceOf(WriteDecision.Confirm.class,
        ASKING.decide(attempt(DELETE, "DELETE", "/things/1")));
    assertEquals(new WritePrompt("store", "DELETE", "/things/1", "deleteThing", "{\"name\":\"x\"}"), c.prompt());
    WriteDecision.Confirm unmatched = assertInstanceOf(WriteDecision.Confirm.class,
        ASKING.decide(attempt(null, "PUT", "/undocumented")));
    assertNull(unmatched.prompt().operationId());
    assertTrue(unmatched.prompt().message().contains("(matches no documented operation)"),
        unmatched.prompt().message());
  }

  @Test
  void readOnlyRefusesEveryWriteEvenAllowedOnesButNoRead() {
    Policy readOnly = new Policy(true, true, List.of(), List.of());
    WriteDecision.Refuse r = refused(readOnly.decide(attempt(CREATE, "POST", "/things")), WriteDecision.Rule.READ_ONLY);
    assertTrue(r.reason().contains("--read-only") && r.reason().startsWith("POST /things"), r.reason());
    refused(readOnly.decide(attempt(null, "PATCH", "/x")), WriteDecision.Rule.READ_ONLY);
    assertSame(WriteDecision.ALLOW, readOnly.decide(attempt(GET, "GET", "/things/1")));
  }

  @Test
  void theDenyListRefusesByIdAndTagAndAnUnmatchedWriteUnderIt() {
    Policy deny = new Policy(true, false, List.of(), List.of("deleteThing", "tag:admin"));
    assertTrue(refused(deny.decide(attempt(DELETE, "DELETE", "/things/1")), WriteDecision.Rule.DENIED).reason()
        .startsWith("deleteThing is denied by the operator (--deny-operation)"));
    refused(deny.decide(attempt(CREATE, "POST", "/things")), WriteDecision.Rule.DENIED);
    WriteDecision.Refuse unmatched = refused(deny.decide(attempt(null, "DELETE", "/thingz/1")),
        WriteDecision.Rule.UNMATCHED_WRITE);
    assertTrue(unmatched.reason().contains("Find its operationId with search"), unmatched.reason());
    // An unmatched read is no write: the deny list cannot name it, so it runs.
    assertSame(WriteDecision.ALLOW, deny.decide(attempt(null, "GET", "/thingz/1")));
    assertSame(WriteDecision.ALLOW, deny.decide(attempt(GET, "GET", "/things/1")));
  }

  @Test
  void theAllowListRefusesWhatItDoesNotNameAndAnythingUnmatched() {
    Policy allow = new Policy(false, false, List.of("getThing", "tag:admin"), List.of());
    assertSame(WriteDecision.ALLOW, allow.decide(attempt(GET, "GET", "/things/1")));
    assertInstanceOf(WriteDecision.Confirm.class, allow.decide(attempt(CREATE, "POST", "/things")));
    assertTrue(refused(allow.decide(attempt(DELETE, "DELETE", "/things/1")), WriteDecision.Rule.NOT_ALLOWED)
        .reason().contains("deleteThing is not in the operator's allow list"));
    assertTrue(refused(allow.decide(attempt(null, "GET", "/other")), WriteDecision.Rule.NOT_ALLOWED).reason()
        .contains("matches no operation in the spec; the operator allows only (--allow-operation): getThing, "
            + "tag:admin"));
  }

  @Test
  void aMethodOverrideIsRefusedOnReadsAndWritesWhateverElseIsAllowed() {
    for (String method : List.of("GET", "POST")) {
      Policy.Attempt a = new Policy.Attempt("store", GET, method, "/things/1", "", "header X-HTTP-Method-Override",
          null);
      WriteDecision.Refuse r = refused(ALLOWING.decide(a), WriteDecision.Rule.METHOD_OVERRIDE);
      assertTrue(r.reason().startsWith("header X-HTTP-Method-Override is refused: it asks the upstream to run another "
          + "method or path"), r.reason());
    }
    // The override is refused before read-only would be: the model learns what to fix first.
    refused(new Policy(false, true, List.of(), List.of()).decide(new Policy.Attempt("store", null, "GET", "/x", "",
        "query parameter '_method'", null)), WriteDecision.Rule.METHOD_OVERRIDE);
  }

  @Test
  void aRedirectOfAWriteIsNeverFollowedAndARedirectOfAReadIsDecidedAgain() {
    Policy.Attempt write = attempt(DELETE, "DELETE", "/things/1");
    WriteDecision.Refuse r = refused(ALLOWING.decide(write.redirected()), WriteDecision.Rule.REDIRECTED_WRITE);
    assertTrue(r.reason().contains("covered DELETE /things/1 only"), r.reason());
    assertSame(WriteDecision.ALLOW, ALLOWING.decide(attempt(GET, "GET", "/things/1").redirected()));
    Policy deny = new Policy(true, false, List.of(), List.of("getThing"));
    refused(deny.decide(new Policy.Attempt("store", GET, "GET", "/things/2", "", null, "GET")),
        WriteDecision.Rule.DENIED);
  }
}
