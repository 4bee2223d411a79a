package dev.codemode.server.skills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.codemode.server.config.CliOptions;
import dev.codemode.server.config.Secret;
import dev.codemode.server.config.ServerConfig;
import dev.codemode.server.transport.HttpSecurity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Whose skills a request sees: the client token's name over HTTP (NAME= or the variable's name). */
class IdentityTest {

  @Test
  void theTokenNamesTheClient() throws Exception {
    CliOptions o = new CliOptions();
    new CommandLine(o).parseArgs("--demo", "--transport", "http", "--client-token", "ann=env:ANN_TOKEN",
        "--client-token", "env:BOB_TOKEN", "--client-token", "env:CI_TOKEN");
    ServerConfig c = o.toConfig(Map.of("ANN_TOKEN", "ann-secret", "BOB_TOKEN", "bob-secret", "CI_TOKEN", "ci"));
    HttpSecurity s = HttpSecurity.of(c.http());
    assertEquals("token:ann", s.identity("Bearer ann-secret"));
    assertEquals("token:BOB_TOKEN", s.identity("Bearer bob-secret"));
    assertNull(s.identity("Bearer nobody"));
    assertNull(s.identity(null));
    assertEquals(List.of("ann=env:ANN_TOKEN", "env:BOB_TOKEN", "env:CI_TOKEN"),
        c.http().clientTokens().stream().map(Secret::source).toList());
    assertEquals(true, c.http().clientTokens().stream().noneMatch(t -> t.toString().contains("secret")));
  }

  @Test
  void withoutATokenItIsTheLocalUser() {
    assertEquals("user:" + System.getProperty("user.name"), Skills.identity(null));
  }
}
