package dev.codemode.server.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.server.config.Secret;
import dev.codemode.spec.Operation;
import dev.codemode.spec.SecurityScheme;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CredentialsTest {
  private static final Map<String, SecurityScheme> SCHEMES = Map.of(
      "basic", new SecurityScheme("basic", SecurityScheme.Type.HTTP, "basic", null, null, null),
      "bearer", new SecurityScheme("bearer", SecurityScheme.Type.HTTP, "bearer", null, null, null),
      "hdr", new SecurityScheme("hdr", SecurityScheme.Type.API_KEY, null, "header", "X-Api-Key", null),
      "cookie", new SecurityScheme("cookie", SecurityScheme.Type.API_KEY, null, "cookie", "session", null));

  private static Operation op(List<List<String>> security) {
    return new Operation("api", "op", "GET", "/x", "", "", List.of(), List.of(), null, security, false);
  }

  private static Credentials creds(Map<String, Secret> bound, Redactor r) {
    return new Credentials(SCHEMES, bound, List.of(Map.entry("X-Extra", Secret.of("t", "extra-secret"))), null, r);
  }

  @Test
  void eachSchemeGoesWhereTheSpecSays() {
    Redactor r = new Redactor();
    Credentials c = creds(Map.of("basic", Secret.of("t", "user:pa55word"), "hdr", Secret.of("t", "k-123"),
        "cookie", Secret.of("t", "sess-1")), r);
    Credentials.Outgoing basic = c.apply(op(List.of(List.of("basic")))).block();
    String encoded = Base64.getEncoder().encodeToString("user:pa55word".getBytes(StandardCharsets.UTF_8));
    assertTrue(basic.additions.contains(new Credentials.Addition("header", "Authorization", "Basic " + encoded)));
    assertTrue(basic.additions.contains(new Credentials.Addition("header", "X-Extra", "extra-secret")),
        "--header values go on every request");
    Credentials.Outgoing both = c.apply(op(List.of(List.of("bearer"), List.of("hdr", "cookie")))).block();
    assertEquals(List.of("hdr", "cookie"), both.usedSchemes, "the first alternative whose schemes are all bound");
    assertTrue(both.additions.contains(new Credentials.Addition("cookie", "session", "sess-1")));
    assertTrue(c.apply(op(List.of())).block().usedSchemes.isEmpty(), "security: [] means no credential");
    assertEquals(3, c.apply(op(null)).block().usedSchemes.size(), "no security declared: every bound credential");
    assertEquals(Set.of("authorization", "x-api-key", "cookie", "x-extra"), c.protectedHeaders());
    assertEquals("[REDACTED] [REDACTED] [REDACTED] [REDACTED]", r.redact(encoded + " pa55word k-123 extra-secret"));
  }

  @Test
  void aDeniedCallNamesTheMissingScheme() {
    Credentials c = creds(Map.of("hdr", Secret.of("t", "k")), new Redactor());
    String hint = c.explainDenied(op(List.of(List.of("bearer"))), 401);
    assertTrue(hint.contains("'bearer' (http bearer, NOT bound)"), hint);
    String forbidden = c.explainDenied(op(List.of(List.of("hdr"))), 403);
    assertTrue(forbidden.contains("permission") && forbidden.contains("'hdr' (apiKey in header X-Api-Key, bound)"),
        forbidden);
  }
}
