package dev.codemode.server.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Path parameter values: encoded once; an escape the value already carries is kept, never encoded twice. */
class PathValueEncodingTest {

  @Test
  void plainValuesAreEncodedAndEscapesTheValueCarriesAreKept() {
    assertEquals("a%2Fb%20c", CallBinder.encodePathValue("a/b c"));
    assertEquals("172.16.0.0%2F16", CallBinder.encodePathValue("172.16.0.0%2F16"));
    assertEquals("172.16.0.0%2F16", CallBinder.encodePathValue("172.16.0.0/16"));
    assertEquals("100%25", CallBinder.encodePathValue("100%"));
    assertEquals("%25zz%2F", CallBinder.encodePathValue("%zz/"));
  }
}
