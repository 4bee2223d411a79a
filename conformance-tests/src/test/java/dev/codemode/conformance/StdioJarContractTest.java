package dev.codemode.conformance;

import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpClientTransport;
import java.util.List;

/** The jar contract over stdio. */
class StdioJarContractTest extends JarTransportContract {
  @Override
  protected McpClientTransport start(List<String> args) {
    List<String> cmd = Jar.command(args);
    StdioClientTransport t = new StdioClientTransport(ServerParameters.builder(cmd.get(0))
        .args(cmd.subList(1, cmd.size())).build(), McpJsonDefaults.getMapper());
    t.setStdErrorHandler(line -> { });
    return t;
  }

  @Override
  protected void stop() {}
}
