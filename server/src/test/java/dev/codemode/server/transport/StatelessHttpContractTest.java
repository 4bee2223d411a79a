package dev.codemode.server.transport;

import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpClientTransport;
import java.net.http.HttpRequest;

/** The contract over stateless Streamable HTTP ({@code --stateless}): no progress, no logging level, no cancel. */
class StatelessHttpContractTest extends HttpContract {
  @Override
  protected McpHttpServer.Mode mode() {
    return McpHttpServer.Mode.STATELESS;
  }

  @Override
  protected boolean sessions() {
    return false;
  }

  @Override
  protected McpClientTransport clientTransport(String base, HttpRequest.Builder requests) {
    return HttpClientStreamableHttpTransport.builder(base).endpoint("/mcp").requestBuilder(requests).build();
  }
}
