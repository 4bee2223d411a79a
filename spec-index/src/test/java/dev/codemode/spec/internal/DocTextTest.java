package dev.codemode.spec.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.spec.Operation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The text an operation is searched by: the lead sentence, and the passage embedded for semantic search. */
class DocTextTest {
  private static Operation op(String id, String method, String path, String summary, String description) {
    return new Operation("t", id, method, path, summary, description, List.of("chat"), List.of(), null, null, false);
  }

  @Test
  void anOperationWithoutASummaryIsLedByItsDescriptionsFirstSentence() {
    Operation rpc = op("chat_postMessage", "POST", "/chat.postMessage", "",
        "Sends a message to a channel. The [channel](https://x.example/c) must exist. More text follows here.");
    assertEquals("Sends a message to a channel.", DocText.lead(rpc));
    assertEquals("Sends a message to a channel.", DocText.summary(rpc));
    String passage = DocText.passage(rpc);
    assertTrue(passage.startsWith("Sends a message to a channel.. chat. chat post message. The channel must exist."),
        passage);
    assertEquals(1, passage.split("Sends a message", -1).length - 1, "the lead sentence is not repeated: " + passage);
  }

  @Test
  void aSummaryLeadsWhenThereIsOneAndTheDescriptionIsCutAtASentence() {
    String description = "Returns the task. " + "It has many fields worth reading about. ".repeat(10);
    Operation task = op("getTask", "GET", "/tasks/{task_gid}", "Get a task", description);
    assertEquals("Get a task", DocText.lead(task));
    assertEquals("Get a task", DocText.summary(task));
    String passage = DocText.passage(task);
    assertTrue(passage.startsWith("Get a task. chat. get task. Returns the task."), passage);
    assertFalse(passage.contains("/tasks/"), "no method and path in the passage: " + passage);
    assertFalse(passage.contains("GET"), passage);
    assertTrue(passage.endsWith("."), "cut at a sentence end: " + passage);
    assertTrue(passage.length() < "Get a task. chat. get task. ".length() + 121, passage);
  }

  @Test
  void theLexicalRankerFindsSummaryLessOperationsByTheirFirstSentence() {
    List<Operation> ops = List.of(
        op("chat_postMessage", "POST", "/chat.postMessage", "", "Sends a message to a channel."),
        op("chat_update", "POST", "/chat.update", "", "Updates a message."),
        op("files_upload", "POST", "/files.upload", "Uploads a file", "Sends a file to a channel or a message."));
    try (LexicalIndex index = new LexicalIndex(ops)) {
      assertEquals(0, index.search("send a message to a channel", 3, null, null, null).get(0).ordinal());
      // An operation with a summary is found by its summary, not by its description's first sentence.
      assertEquals(2, index.search("upload a file", 3, null, null, null).get(0).ordinal());
    }
    assertEquals("Uploads a file", DocText.summary(ops.get(2)));
  }
}
