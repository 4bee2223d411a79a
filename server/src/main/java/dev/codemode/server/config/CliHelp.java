package dev.codemode.server.config;

import java.time.Duration;
import picocli.CommandLine;

/** What {@code --help} and {@code --version} print, read from the one place each value is written. Stateless. */
public final class CliHelp {
  private CliHelp() {}

  /**
   * The defaults {@code --help} shows, read from {@link ServerConfig#defaults()} so that they cannot drift from the
   * values the server uses. Installed only for printing help: parsing leaves unpassed options null.
   */
  public static final class Defaults implements CommandLine.IDefaultValueProvider {
    @Override
    public String defaultValue(CommandLine.Model.ArgSpec arg) {
      if (!(arg instanceof CommandLine.Model.OptionSpec o)) {
        return null;
      }
      ServerConfig d = ServerConfig.defaults();
      return switch (o.longestName()) {
        case "--transport" -> d.http().transport();
        case "--host" -> d.http().host();
        case "--port" -> String.valueOf(d.http().port());
        case "--max-request-bytes" -> String.valueOf(d.http().maxRequestBytes());
        case "--exec-timeout" -> duration(d.limits().wallTime());
        case "--exec-cpu" -> duration(d.limits().cpuTime());
        case "--max-stack-depth" -> String.valueOf(d.limits().maxStackDepth());
        case "--exec-memory" -> size(d.limits().maxAllocatedBytes());
        case "--max-calls" -> String.valueOf(d.limits().maxHostCalls());
        case "--max-parallel-calls" -> String.valueOf(d.limits().maxHostCallsInFlight());
        case "--max-output" -> String.valueOf(d.budgets().maxOutputChars());
        case "--cache-dir" -> String.valueOf(d.search().cacheDir());
        case "--isolation" -> d.sandbox().processIsolated() ? "process" : "in-process";
        case "--max-concurrent" -> String.valueOf(d.sandbox().maxConcurrent());
        default -> o.defaultValue();
      };
    }

    private static String duration(Duration d) {
      return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    private static String size(long bytes) {
      return bytes % (1L << 30) == 0 ? (bytes >> 30) + "g" : bytes % (1L << 20) == 0 ? (bytes >> 20) + "m"
          : String.valueOf(bytes);
    }
  }

  /** {@code --version}: the name and {@link Version#VALUE}. */
  public static final class VersionText implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"codemode-mcp " + Version.VALUE};
    }
  }
}
