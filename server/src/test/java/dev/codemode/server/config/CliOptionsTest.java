package dev.codemode.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CliOptionsTest {
  @TempDir
  Path dir;

  private ServerConfig parse(Map<String, String> env, String... args) throws ConfigException {
    CliOptions o = new CliOptions();
    new CommandLine(o).parseArgs(args);
    return o.toConfig(env);
  }

  private String spec() throws Exception {
    Path p = dir.resolve("spec.json");
    Files.writeString(p, "{}");
    return p.toString();
  }

  @Test
  void defaultsAreSane() throws Exception {
    ServerConfig c = parse(Map.of(), "--spec", spec());
    assertEquals("stdio", c.http().transport());
    assertEquals(Duration.ofSeconds(30), c.limits().wallTime());
    assertEquals("api", c.specs().get(0).name());
    assertNull(c.specs().get(0).baseUrl());
    assertFalse(c.policy().allowWrites());
    assertTrue(c.search().semantic());
  }

  @Test
  void namedSpecsScopedAuthAndBaseUrls() throws Exception {
    Path other = dir.resolve("b.json");
    Files.writeString(other, "{}");
    ServerConfig c = parse(Map.of("GH", "ghp_x", "ST", "sk_y"), "--spec", "gh=" + spec(), "--spec",
        "stripe=" + other, "--auth", "gh.bearer=env:GH", "--auth", "stripe.basic=env:ST", "--base-url",
        "stripe=http://localhost:9/v1", "--exec-timeout", "1500ms");
    assertEquals("gh", c.specs().get(0).name());
    assertEquals("http://localhost:9/v1", c.specs().get(1).baseUrl());
    assertEquals("gh", c.auth().get(0).api());
    assertEquals("ghp_x", c.auth().get(0).secret().reveal());
    assertFalse(c.auth().get(0).secret().toString().contains("ghp_x"), "a secret's toString never shows it");
    assertEquals(Duration.ofMillis(1500), c.limits().wallTime());
  }

  @Test
  void secretsComeFromFilesToo() throws Exception {
    Path f = dir.resolve("token");
    Files.writeString(f, "from-file\n");
    assertEquals("from-file", parse(Map.of(), "--spec", spec(), "--auth", "k=file:" + f).auth().get(0).secret()
        .reveal());
  }

  @Test
  void badInputIsOneClearSentence() throws Exception {
    String s = spec();
    assertTrue(assertThrows(ConfigException.class, () -> parse(Map.of())).getMessage().contains("--demo"));
    assertTrue(assertThrows(ConfigException.class, () -> parse(Map.of(), "--spec", s, "--transport", "ws"))
        .getMessage().contains("stdio, sse or http"));
    assertTrue(assertThrows(ConfigException.class, () -> parse(Map.of(), "--spec", s, "--allow-writes",
        "--read-only")).getMessage().contains("contradict"));
    assertTrue(assertThrows(ConfigException.class, () -> parse(Map.of(), "--spec", s, "--spec", s))
        .getMessage().contains("needs a name"));
    assertTrue(assertThrows(ConfigException.class, () -> parse(Map.of(), "--spec", s, "--auth", "x=env:NOPE"))
        .getMessage().contains("NOPE"));
    assertTrue(assertThrows(ConfigException.class, () -> parse(Map.of(), "--spec", s, "--base-url", "ftp://x"))
        .getMessage().contains("http"));
    assertTrue(assertThrows(ConfigException.class, () -> parse(Map.of(), "--spec", s, "--exec-timeout", "2h"))
        .getMessage().contains("between"));
  }

  @Test
  void flagsNotPassedKeepTheRecordsDefaultsAndHelpShowsThem() throws Exception {
    ServerConfig c = parse(Map.of(), "--spec", spec());
    ServerConfig d = ServerConfig.defaults();
    assertEquals(d.limits(), c.limits());
    assertEquals(d.sandbox(), c.sandbox());
    assertEquals(d.budgets(), c.budgets());
    assertEquals(d.search(), c.search());
    assertEquals(d.http(), c.http());
    assertEquals(1L << 30, c.limits().maxAllocatedBytes(), "one GiB per execution, as documented");
    CommandLine cli = new CommandLine(new CliOptions());
    cli.setDefaultValueProvider(new CliHelp.Defaults());
    String help = cli.getUsageMessage(CommandLine.Help.Ansi.OFF);
    assertTrue(help.contains("(default 1g)"), help);
    assertTrue(help.contains("at most 20s"), help);
    assertTrue(help.contains("(default " + d.search().cacheDir() + ")"), help);
    assertTrue(help.contains("(default " + d.budgets().maxOutputChars() + ")"), help);
  }

  @Test
  void aShortWallTimeAlsoShortensTheCpuLimitUnlessGiven() throws Exception {
    assertEquals(Duration.ofSeconds(5), parse(Map.of(), "--spec", spec(), "--exec-timeout", "5s").limits().cpuTime());
    assertEquals(Duration.ofSeconds(2), parse(Map.of(), "--spec", spec(), "--exec-timeout", "5s", "--exec-cpu", "2s")
        .limits().cpuTime());
    assertEquals(Duration.ofSeconds(20), parse(Map.of(), "--spec", spec(), "--exec-timeout", "1m").limits().cpuTime());
  }

  @Test
  void theVersionComesFromThePom() {
    assertTrue(Version.VALUE.matches("\\d+\\.\\d+\\.\\d+.*"), Version.VALUE);
    java.io.StringWriter out = new java.io.StringWriter();
    CommandLine cli = new CommandLine(new CliOptions());
    cli.setOut(new java.io.PrintWriter(out));
    cli.printVersionHelp(new java.io.PrintWriter(out, true));
    assertEquals("codemode-mcp " + Version.VALUE, out.toString().strip());
  }
}
