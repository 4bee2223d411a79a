package dev.codemode.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The README generator: only the text between the markers changes; a report renders from a partial result tree. */
class ReportTest {
  @Test
  void replacesOnlyTheMarkedSection() {
    String readme = "# T\n\nintro\n\n## Numbers\n\n" + Report.START + "\nold\n" + Report.END + "\n\n## After\nkept\n";
    String out = Report.replaceSection(readme, Report.START + "\nnew\n" + Report.END);
    assertEquals("# T\n\nintro\n\n## Numbers\n\n" + Report.START + "\nnew\n" + Report.END + "\n\n## After\nkept\n", out);
  }

  @Test
  void appendsTheSectionWhenTheMarkersAreMissing() {
    String out = Report.replaceSection("# T\n", Report.START + "\nx\n" + Report.END);
    assertTrue(out.endsWith("## Numbers\n\n" + Report.START + "\nx\n" + Report.END + "\n"), out);
  }

  @Test
  void rendersPartsThatRanAndSaysWhichDidNot() throws Exception {
    ObjectNode r = (ObjectNode) new ObjectMapper().readTree("""
        {"startedAt":"2026-01-01T00:00:00Z","machine":{"cores":2,"memoryGiB":24,"jdk":"17","os":"Linux","cpu":"x"},
         "context":{"specs":[{"spec":"a.json","operations":3,"oursTokens":600,"perEndpointTokens":150,"ratio":0.25,
           "rawSpecTokens":700}],"oursMaxTokens":600,"oursMaxSpec":"a.json","oursBudget":1000,"withinBudget":true,
           "maxRefDepth":8},
         "latency":{"error":"boom"}}
        """);
    String md = Report.markdown(r);
    assertTrue(md.contains("| a.json | 3 | 600 | 150 | 0.3× | 700 |"), md);
    assertTrue(md.contains("Failed: `boom`"), md);
    assertTrue(md.contains("Not run."), md);
  }
}
