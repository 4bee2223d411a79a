package dev.codemode.server;

import dev.codemode.server.config.CliHelp;
import dev.codemode.server.config.CliOptions;
import dev.codemode.server.config.ConfigException;
import dev.codemode.server.config.ServerConfig;
import dev.codemode.server.skills.SkillsCommand;
import dev.codemode.server.transport.HttpTransports;
import dev.codemode.server.transport.ServerDefinition;
import dev.codemode.server.transport.StdioTransport;
import dev.codemode.server.transport.StopSignals;
import dev.codemode.spec.NativeModel;
import java.io.PrintStream;
import java.time.Duration;
import picocli.CommandLine;

/**
 * Entry point of {@code codemode-mcp.jar}. Parses the command line, starts {@link Codemode} and serves it on the chosen
 * transport. A bad flag, a missing file or an unbound credential exits with status 2 and one line on stderr. Over
 * stdio, stdout carries only protocol: everything else goes to stderr.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    StopSignals.install(); // SIGTERM during start-up too: stop in order, never with native model work running
    int status = run(args, System.out, System.err);
    stopNativeModel();
    System.exit(status);
  }

  /** The embedding runtime must not run native code while the JVM exits (that crashed it); waits for it briefly. */
  private static void stopNativeModel() {
    try {
      if (!NativeModel.stopBeforeExit(Duration.ofSeconds(30))) {
        System.err.println("codemode-mcp: the embedding model was still busy after 30 s; exiting anyway");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length > 0 && args[0].equals("skills")) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
      return SkillsCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), out, err, System.getenv());
    }
    CliOptions options = new CliOptions();
    CommandLine cli = new CommandLine(options);
    ServerConfig config;
    try {
      CommandLine.ParseResult parsed = cli.parseArgs(args);
      if (parsed.isUsageHelpRequested()) {
        cli.setDefaultValueProvider(new CliHelp.Defaults());
        cli.usage(out);
        return 0;
      }
      if (parsed.isVersionHelpRequested()) {
        cli.printVersionHelp(out);
        return 0;
      }
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", options.logLevel());
      config = options.toConfig(System.getenv());
    } catch (CommandLine.ParameterException e) {
      err.println("codemode-mcp: " + e.getMessage() + " (see --help)");
      return 2;
    } catch (ConfigException e) {
      err.println("codemode-mcp: " + e.getMessage());
      return 2;
    }
    // From here on nothing but the protocol may reach the real stdout.
    PrintStream protocolOut = out;
    if (config.http().transport().equals("stdio")) {
      System.setOut(err);
    }
    Codemode app;
    try {
      app = Codemode.start(config);
    } catch (ConfigException e) {
      err.println("codemode-mcp: " + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      err.println("codemode-mcp: start-up failed: " + e);
      return 1;
    }
    HeapTrim.configure();
    app.warm().thenRunAsync(HeapTrim::collect, r -> {
      Thread t = new Thread(r, "codemode-heap-trim");
      t.setDaemon(true);
      t.start();
    });
    ServerDefinition served = HeapTrim.afterIdleSpells(app.definition());
    try (app) {
      return switch (config.http().transport()) {
        case "stdio" -> StdioTransport.serve(served, System.in, protocolOut, true);
        default -> HttpTransports.serve(served, config.http(), err);
      };
    }
  }
}
