package dev.codemode.server.skills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code codemode-mcp skills ...} over a real SQLite store: import, list, show, publish, export, rm. */
class SkillsCommandTest {

  private record Result(int status, String out, String err) {}

  private static Result run(Path dir, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--data-dir");
    all.add(dir.toString());
    int status = SkillsCommand.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
    return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void operatorReviewsPublishesExportsAndRemoves() throws Exception {
    Path dir = Files.createTempDirectory("skills-cli-");
    Path file = dir.resolve("in.json");
    Files.writeString(file, "{\"format\":\"codemode-skills/1\",\"skills\":[{\"api\":\"Codemode Demo Store API\","
        + "\"owner\":\"token:ann\",\"name\":\"paidOrders\",\"description\":\"Count paid orders\",\"params\":{\"type\":"
        + "\"object\"},\"code\":\"return (await api.call('listOrders', {status: 'paid'})).total;\"}]}");
    Result imported = run(dir, "import", file.toString());
    assertEquals(0, imported.status(), imported.err());
    assertTrue(imported.out().contains("imported paidOrders v1 (Codemode Demo Store API, token:ann)"), imported.out());

    Result list = run(dir, "list");
    assertTrue(list.out().contains("paidOrders") && list.out().contains("token:ann"), list.out());

    Result show = run(dir, "show", "paidOrders");
    assertTrue(show.out().contains("v1 saved") && show.out().contains("listOrders"), show.out());

    Result published = run(dir, "publish", "paidOrders");
    assertEquals(0, published.status(), published.err());
    Result ambiguous = run(dir, "show", "paidOrders");
    assertEquals(2, ambiguous.status());
    assertTrue(ambiguous.err().contains("several skills are named 'paidOrders'; add --api and --owner"),
        ambiguous.err());

    Path exported = dir.resolve("out.json");
    assertEquals(0, run(dir, "export", "--owner", "*", "-o", exported.toString()).status());
    assertTrue(Files.readString(exported).contains("\"owner\" : \"*\""), Files.readString(exported));

    Result removed = run(dir, "rm", "paidOrders", "--owner", "token:ann");
    assertEquals(0, removed.status(), removed.err());
    assertTrue(removed.out().contains("removed 1 version(s)"), removed.out());
    Result missing = run(dir, "rm", "paidOrders", "--owner", "token:ann");
    assertEquals(2, missing.status());
    assertTrue(missing.err().contains("no skill 'paidOrders'"), missing.err());

    Result badImport = run(dir, "import", file.toString().replace("in.json", "nope.json"));
    assertEquals(2, badImport.status());
    assertTrue(badImport.err().contains("cannot read"), badImport.err());
  }
}
