package dev.codemode.server.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class RedactorTest {
  @Test
  void masksEveryOccurrenceInTextAndJsonIncludingKeys() throws Exception {
    Redactor r = new Redactor();
    r.add("s3cr3t-value");
    assertEquals("a [REDACTED] b [REDACTED]", r.redact("a s3cr3t-value b s3cr3t-value"));
    JsonNode n = new ObjectMapper().readTree("{\"h\":{\"authorization\":\"Bearer s3cr3t-value\"},"
        + "\"s3cr3t-value\":[\"xs3cr3t-valuex\"]}");
    String out = r.redact(n).toString();
    assertFalse(out.contains("s3cr3t-value"), out);
  }

  @Test
  void longerSecretsAreMaskedBeforeTheirPrefixes() {
    Redactor r = new Redactor();
    r.add("abcd");
    r.add("abcdefgh");
    assertEquals("[REDACTED]", r.redact("abcdefgh"));
  }
}
