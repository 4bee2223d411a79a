package dev.codemode.server.transport;

import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpClientTransport;
import java.nio.file.Path;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** The contract over stdio: the fixture server runs in a child JVM, as a real client would start it. */
class StdioContractTest extends TransportContract {
  private final Queue<String> stderr = new ConcurrentLinkedQueue<>();

  @Override
  protected McpClientTransport start(FixtureApp app) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    StdioClientTransport t = new StdioClientTransport(ServerParameters.builder(java)
        .args("-cp", System.getProperty("java.class.path"), FixtureStdioMain.class.getName()).build(),
        McpJsonDefaults.getMapper());
    t.setStdErrorHandler(stderr::add);
    return t;
  }

  @Override
  protected void stop() {}

  @Override
  protected boolean scriptStarted() {
    return stderr.stream().anyMatch(l -> l.contains("fixture: script started"));
  }

  @Override
  protected boolean slowSearchStarted() {
    return stderr.stream().anyMatch(l -> l.contains("fixture: slow search started"));
  }

  @Override
  protected boolean scriptCancelled() {
    return stderr.stream().anyMatch(l -> l.contains("fixture: script cancelled"));
  }
}
