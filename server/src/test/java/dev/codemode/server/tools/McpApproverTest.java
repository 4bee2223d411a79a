package dev.codemode.server.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codemode.server.approval.Approver;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** The MCP side of {@link Approver}: what the client is asked, and what each answer means. */
class McpApproverTest {
  private static final McpSchema.ClientCapabilities ELICITS = new McpSchema.ClientCapabilities(null, null, null,
      new McpSchema.ClientCapabilities.Elicitation());
  private static final Approver.Prompt PROMPT = new Approver.Prompt("Delete order 7?", "Allow this request");

  private final List<McpSchema.ElicitRequest> asked = new ArrayList<>();

  private Approver.Answer answer(McpSchema.ClientCapabilities caps, McpSchema.ElicitResult result) {
    return new McpApprover(() -> caps, req -> {
      asked.add(req);
      return Mono.just(result);
    }).ask(PROMPT).block();
  }

  @Test
  void anAcceptedFormWithTheBoxTickedApprovesAndTheClientSeesThePrompt() {
    assertEquals(Approver.Answer.APPROVED, answer(ELICITS,
        new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, Map.of("approve", true))));
    assertEquals(1, asked.size());
    assertEquals("Delete order 7?", asked.get(0).message());
    assertEquals(Map.of("type", "object",
        "properties", Map.of("approve", Map.of("type", "boolean", "title", "Allow this request")),
        "required", List.of("approve")), ((McpSchema.ElicitFormRequest) asked.get(0)).requestedSchema());
  }

  @Test
  void everyOtherAnswerDeclines() {
    assertEquals(Approver.Answer.DECLINED, answer(ELICITS,
        new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, Map.of("approve", false))));
    assertEquals(Approver.Answer.DECLINED, answer(ELICITS,
        new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, Map.of("approve", "true"))));
    assertEquals(Approver.Answer.DECLINED, answer(ELICITS,
        new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, null)));
    assertEquals(Approver.Answer.DECLINED, answer(ELICITS,
        new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.DECLINE, Map.of("approve", true))));
    assertEquals(Approver.Answer.DECLINED, answer(ELICITS,
        new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.CANCEL, null)));
  }

  @Test
  void aClientWithoutElicitationIsNotAskedAndCannotApprove() {
    McpSchema.ElicitResult yes = new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT,
        Map.of("approve", true));
    assertEquals(Approver.Answer.CANNOT_ASK, answer(new McpSchema.ClientCapabilities(null, null, null, null), yes));
    assertEquals(Approver.Answer.CANNOT_ASK, answer(null, yes));
    assertTrue(asked.isEmpty(), asked.toString());
    assertEquals(Approver.Answer.CANNOT_ASK, McpApprover.of(null).ask(PROMPT).block());
  }
}
