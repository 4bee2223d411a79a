package dev.codemode.server.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
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

  @Test
  void masksTheEncodingsASecretTravelsInWhereverItSits() throws Exception {
    String secret = "p@ss w/rd+" + System.nanoTime();
    Redactor r = new Redactor();
    r.add(secret);
    String form = java.net.URLEncoder.encode(secret, java.nio.charset.StandardCharsets.UTF_8);
    List<String> encoded = new java.util.ArrayList<>(List.of(secret, form, form.replace("+", "%20"),
        form.toLowerCase(), form.replace("%", "%25"), form.replace("+", "%20").replace("%", "%25"),
        new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(secret)),
        FaultyUpstream.hex(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)), FaultyUpstream.hex(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toUpperCase()));
    for (String prefix : List.of("", "x", "xy", "Bearer ")) {
      byte[] b = (prefix + secret + "!").getBytes(java.nio.charset.StandardCharsets.UTF_8);
      encoded.add(java.util.Base64.getEncoder().encodeToString(b));
      encoded.add(java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b));
    }
    for (String e : encoded) {
      String out = r.redact("before " + e + " after");
      assertTrue(out.contains(Redactor.MASK), e + " -> " + out);
      assertFalse(r.leaks(out), "after masking nothing decodes to the secret: " + out);
    }
  }

  @Test
  void decodeAndCheckFindsWhatMaskingCannotAndLeavesOrdinaryDataAlone() throws Exception {
    Redactor r = new Redactor();
    String secret = "s3cr3t-" + System.nanoTime();
    r.add(secret);
    r.add("abc");
    java.io.ByteArrayOutputStream leak = new java.io.ByteArrayOutputStream();
    try (java.io.OutputStream o = new java.util.zip.GZIPOutputStream(leak)) {
      o.write(("{\"token\":\"" + secret + "\"}").getBytes());
    }
    assertTrue(r.leaksBytes(leak.toByteArray()), "a gzip holding the secret");
    StringBuilder escaped = new StringBuilder();
    secret.chars().forEach(c -> escaped.append(String.format("\\u%04x", c)));
    assertTrue(r.leaks(r.redact("{\"a\":\"" + escaped + "\"}")), "every character JSON-escaped");
    String mime = java.util.Base64.getMimeEncoder(4, "\r\n".getBytes()).encodeToString(("tok=" + secret).getBytes());
    assertTrue(r.leaks(r.redact(mime)), "Base64 broken into short lines: " + mime);
    java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
    try (java.io.OutputStream o = new java.util.zip.GZIPOutputStream(gz)) {
      o.write(("{\"token\":\"" + r.redact("x") + "\"}").getBytes());
    }
    assertFalse(r.leaksBytes(gz.toByteArray()), "a gzip without the secret");
    byte[] noise = new byte[1 << 20];
    new java.util.Random(7).nextBytes(noise);
    assertFalse(r.leaksBytes(noise), "random bytes are not a leak, even with a 3-character secret bound");
    assertFalse(r.leaks(r.redact("abcdefgh ".repeat(1000) + "dGhlIHF1aWNrIGJyb3duIGZveA==")),
        "short secrets are masked as is, not searched for in decoded data");
    String b64 = java.util.Base64.getEncoder().encodeToString(("{\"echo\":\"" + r.redact("x") + "\"}").getBytes());
    assertFalse(r.leaks(b64));
  }
}
