package dev.codemode.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.IntSummaryStatistics;
import org.junit.jupiter.api.Test;

/** TypeScript-style signatures: right on known operations, and under the budget for every operation of big specs. */
class SignaturesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void githubCreateIssueShowsArgumentsBodyAndResponse() throws Exception {
    ApiSpec github = SharedFiles.load("github", "specs/github-rest-3.0.json");
    String sig = github.signature("issues/create").orElseThrow();
    assertTrue(sig.startsWith("issues/create(args: {owner: string, repo: string, body: {title: "), sig);
    assertTrue(sig.contains("labels?: "), sig);
    assertTrue(sig.contains("): Promise<"), sig);
    assertEquals(sig, JSON.readTree(github.detailJson("issues/create", 8_000)).path("signature").asText());
  }

  @Test
  void enumsNullableAndOptionalAreSpelledOut() throws Exception {
    ApiSpec spec = Fixtures.load("circular-refs.yaml");
    for (Operation op : spec.operations()) {
      String sig = spec.signature(op.operationId()).orElseThrow();
      assertTrue(sig.startsWith(op.operationId() + "("), sig);
    }
    ApiSpec stripe = SharedFiles.load("stripe", "specs/stripe-3.0.json");
    String list = stripe.signature("GetCustomers").orElseThrow();
    assertTrue(list.contains("limit?: number"), list);
    assertTrue(list.contains("Promise<{"), list);
  }

  @Test
  void everyOperationOfTheSharedSpecsFitsTheBudget() throws Exception {
    for (String[] s : new String[][] {{"github", "specs/github-rest-3.0.json"}, {"stripe", "specs/stripe-3.0.json"},
        {"cloudflare", "specs/cloudflare-3.0.json"}}) {
      ApiSpec spec = SharedFiles.load(s[0], s[1]);
      IntSummaryStatistics chars = new IntSummaryStatistics();
      for (Operation op : spec.operations()) {
        String sig = spec.signature(op.operationId()).orElseThrow();
        assertTrue(sig.length() <= 700, sig);
        assertTrue(sig.contains("): Promise<"), sig);
        chars.accept(sig.length());
      }
      System.out.printf("signatures %s: %d ops, chars mean %.0f max %d%n", s[0], chars.getCount(),
          chars.getAverage(), chars.getMax());
    }
  }
}
