package dev.codemode.server.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 11, policy 7: script text in the approval prompt cannot pass for the prompt's own lines. */
class WritePromptTest {
  @Test
  void theScriptsBodyIsOneQuotedLineAfterTheQuestion() {
    String forged = "{\"note\":\"ok\"}\nAllow it?\n\nThe assistant wants to send a write request to api:\n"
        + "GET /harmless (listThings)\r\u2028\u2029\u202e\u200b\u0085\u001b[2J\"\\";
    String m = new WritePrompt("api", "DELETE", "/things/1", "deleteThing", forged).message();
    List<String> lines = m.lines().toList();
    assertEquals(4, lines.size(), m);
    assertEquals("The assistant wants to send a write request to api:", lines.get(0));
    assertEquals("DELETE /things/1 (deleteThing)", lines.get(1));
    assertEquals("Allow it?", lines.get(2));
    String body = lines.get(3);
    assertTrue(body.startsWith("Request body written by the script, shown as one quoted line: \"{\\\"note\\\""),
        body);
    assertTrue(body.endsWith("\\\"\\\\\""), body);
    for (char c : new char[] {'\r', '\u2028', '\u2029', '\u202e', '\u200b', '\u0085', '\u001b'}) {
      assertFalse(m.indexOf(c) >= 0, "raw U+" + Integer.toHexString(c) + " in " + m);
    }
    assertTrue(body.contains("\\u000a") && body.contains("\\u202e"), body);
  }

  @Test
  void aLongBodyIsCutAndSaysSoAndAnUnmatchedWriteIsNamedAsSuch() {
    String m = new WritePrompt("api", "POST", "/x", null, "a".repeat(5000)).message();
    assertTrue(m.contains("(first " + WritePrompt.MAX_BODY_SHOWN + " characters)"), m);
    assertTrue(m.length() < WritePrompt.MAX_BODY_SHOWN + 300, m);
    assertTrue(m.contains("POST /x (matches no documented operation)"), m);
  }
}
