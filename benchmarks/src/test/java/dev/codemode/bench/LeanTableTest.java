package dev.codemode.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The #14 table: medians, ratios to the first jar, targets, failed cells, JSON round trip. */
class LeanTableTest {
  private static LeanTable sample() {
    LeanTable t = new LeanTable(List.of("before", "after"));
    t.row("rss", "resident memory", "MiB", "~875 MB", "<= 400 MB", 400.0, true).put("before", 880).put("after", 390);
    t.row("rate", "calls per second", "calls/s", "134", ">= 300", 300.0, false).put("before", 134)
        .fail("after", "server exited during start-up:\n  unknown option --lean");
    t.row("first", "first execute", "ms", "~800 ms", "-", null, true).put("before", 812.4).put("after", 3.25);
    return t;
  }

  @Test
  void medianOfOddAndEvenCounts() {
    assertEquals(3.0, LeanTable.median(5, 1, 3));
    assertEquals(2.5, LeanTable.median(4, 1, 3, 2));
    assertTrue(Double.isNaN(LeanTable.median()));
  }

  @Test
  void ratiosAreOverTheFirstJarAndMissingWhenAFigureIs() {
    LeanTable t = sample();
    assertEquals(390.0 / 880, t.ratio(t.get("rss"), "after"), 1e-9);
    assertNull(t.ratio(t.get("rate"), "after"));
  }

  @Test
  void markdownMarksMetTargetsAndKeepsFailuresInTheirCell() {
    String md = sample().markdown();
    assertTrue(md.startsWith("| what | issue: now | before | after | after/before | target |\n"), md);
    assertTrue(md.contains("| resident memory (MiB) | ~875 MB | 880 | 390 ✓ | 0.44× | <= 400 MB |"), md);
    assertTrue(md.contains("| 134 | failed: server exited during start-up: unknown option --lean | - | >= 300 |"), md);
    assertTrue(md.contains("| first execute (ms) | ~800 ms | 812 | 3.25 | 0.00× | - |"), md);
  }

  @Test
  void survivesAJsonRoundTrip() {
    LeanTable t = sample();
    LeanTable back = LeanTable.fromJson(t.json());
    assertEquals(t.markdown(), back.markdown());
    assertEquals(0.443, t.json().at("/rows/0/ratios/after").asDouble());
  }
}
