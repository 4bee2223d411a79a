package dev.codemode.server.transport;

/** Serves the {@link FixtureApp} over this process's stdin/stdout, for the stdio contract test. */
public final class FixtureStdioMain {
  private FixtureStdioMain() {}

  public static void main(String[] args) throws Exception {
    java.io.PrintStream protocol = System.out;
    System.setOut(System.err);
    try (FixtureApp app = new FixtureApp()) {
      System.exit(StdioTransport.serve(app.definition(), System.in, protocol, true));
    }
  }
}
