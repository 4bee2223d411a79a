package dev.codemode.server;

import dev.codemode.server.config.CliOptions;
import dev.codemode.server.config.ConfigException;
import dev.codemode.server.config.ServerConfig;
import dev.codemode.server.skills.SkillsCommand;
import dev.codemode.server.skills.SkillsOptions;
import dev.codemode.server.transport.HttpOptions;
import dev.codemode.server.transport.HttpTransports;
import dev.codemode.server.transport.StdioTransport;
import java.io.PrintStream;
import picocli.CommandLine;

/**
 * Entry point of {@code codemode-mcp.jar}. Parses the command line, starts {@link Codemode} and serves it on the chosen
 * transport. A bad flag, a missing file or an unbound credential exits with status 2 and one line on stderr. Over
 * stdio, stdout carries only protocol: everything else goes to stderr.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length > 0 && args[0].equals("skills")) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
      return SkillsCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), out, err, System.getenv());
    }
    CliOptions options = new CliOptions();
    CommandLine cli = new CommandLine(options);
    ServerConfig config;
    HttpOptions.Validated http;
    SkillsOptions.Config skills;
    try {
      CommandLine.ParseResult parsed = cli.parseArgs(args);
      if (parsed.isUsageHelpRequested()) {
        cli.usage(out);
        return 0;
      }
      if (parsed.isVersionHelpRequested()) {
        cli.printVersionHelp(out);
        return 0;
      }
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", options.logLevel());
      config = options.toConfig(System.getenv());
      http = options.http().validate();
      skills = options.skills().toConfig(System.getenv());
    } catch (CommandLine.ParameterException e) {
      err.println("codemode-mcp: " + e.getMessage() + " (see --help)");
      return 2;
    } catch (ConfigException e) {
      err.println("codemode-mcp: " + e.getMessage());
      return 2;
    }
    // From here on nothing but the protocol may reach the real stdout.
    PrintStream protocolOut = out;
    if (config.transport().equals("stdio")) {
      System.setOut(err);
    }
    Codemode app;
    try {
      app = Codemode.start(config, skills);
    } catch (ConfigException e) {
      err.println("codemode-mcp: " + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      err.println("codemode-mcp: start-up failed: " + e);
      return 1;
    }
    try (app) {
      return switch (config.transport()) {
        case "stdio" -> StdioTransport.serve(app, System.in, protocolOut);
        default -> HttpTransports.serve(app, http, err);
      };
    }
  }
}
