package dev.codemode.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The command line contract: bad input exits non-zero with one clear line on stderr; --help documents every flag. */
class CommandLineTest {

  record Run(int exit, String out, String err) {}

  static Run run(Map<String, String> env, String... args) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(Jar.command(List.of(args)));
    pb.environment().putAll(env);
    pb.redirectInput(ProcessBuilder.Redirect.PIPE);
    Process p = pb.start();
    p.getOutputStream().close();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the server did not exit");
    return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  private static String petstore() {
    return Jar.spec("petstore-3.1.yaml").toString();
  }

  private static void assertOneLineError(Run r, String mustContain) {
    assertEquals(2, r.exit(), "exit status; stderr: " + r.err());
    String err = r.err().strip();
    assertTrue(err.startsWith("codemode-mcp: "), err);
    assertEquals(1, err.lines().count(), "one line on stderr: " + err);
    assertTrue(err.contains(mustContain), "'" + mustContain + "' in: " + err);
    assertEquals("", r.out(), "nothing on stdout");
  }

  @Test
  void helpDocumentsEveryFlag() throws Exception {
    Run r = run(Map.of(), "--help");
    assertEquals(0, r.exit());
    for (String flag : List.of("--spec", "--base-url", "--auth", "--demo", "--transport", "--exec-timeout",
        "--allow-writes", "--read-only", "--header", "--no-semantic")) {
      assertTrue(r.out().contains(flag), flag + " in --help");
    }
  }

  @Test
  void anUnknownFlagIsOneLine() throws Exception {
    assertOneLineError(run(Map.of(), "--spce", "x.json"), "--spce");
  }

  @Test
  void aMissingSpecFileIsOneLine() throws Exception {
    assertOneLineError(run(Map.of(), "--spec", "/nonexistent/openapi.json"), "/nonexistent/openapi.json");
  }

  @Test
  void noSpecAtAllSaysWhatToPass() throws Exception {
    assertOneLineError(run(Map.of()), "--spec");
  }

  @Test
  void anUnsetCredentialVariableIsOneLine() throws Exception {
    assertOneLineError(run(Map.of(), "--spec", petstore(), "--auth", "api_key=env:CODEMODE_TEST_UNSET_VAR"),
        "CODEMODE_TEST_UNSET_VAR");
  }

  @Test
  void aCredentialForASchemeTheSpecDoesNotDeclareNamesTheDeclaredOnes() throws Exception {
    Run r = run(Map.of("K", "v"), "--spec", Jar.spec("petstore-swagger-2.0.json").toString(),
        "--no-semantic", "--auth", "nosuch=env:K");
    assertOneLineError(r, "nosuch");
    assertTrue(r.err().contains("api_key"), r.err());
  }

  @Test
  void aBrokenSpecNamesTheFile() throws Exception {
    Path bad = Files.createTempFile("broken", ".json");
    Files.writeString(bad, "{\"openapi\": \"3.0.0\", \"paths\": {");
    assertOneLineError(run(Map.of(), "--spec", bad.toString(), "--no-semantic"), bad.getFileName().toString());
  }

  @Test
  void aBadDurationIsOneLine() throws Exception {
    assertOneLineError(run(Map.of(), "--demo", "--exec-timeout", "soon"), "--exec-timeout");
  }

  @Test
  void aCredentialPassedAsAPlainValueIsRefused() throws Exception {
    assertOneLineError(run(Map.of(), "--spec", petstore(), "--auth", "api_key=hunter2"), "env:VAR");
  }

  @Test
  void aNonLoopbackAddressWithoutAClientTokenIsRefused() throws Exception {
    assertOneLineError(run(Map.of(), "--demo", "--transport", "http", "--host", "0.0.0.0"), "--client-token");
  }

  @Test
  void aMalformedAllowedOriginIsOneLine() throws Exception {
    assertOneLineError(run(Map.of(), "--demo", "--transport", "http", "--allowed-origin", "evil"),
        "--allowed-origin");
  }
}
