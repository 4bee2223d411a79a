package dev.codemode.server.transport;

import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpClientTransport;
import java.net.http.HttpRequest;

/** The contract over Streamable HTTP with sessions. */
class StreamableHttpContractTest extends HttpContract {
  @Override
  protected McpHttpServer.Mode mode() {
    return McpHttpServer.Mode.STREAMABLE;
  }

  @Override
  protected McpClientTransport clientTransport(String base, HttpRequest.Builder requests) {
    return HttpClientStreamableHttpTransport.builder(base).endpoint("/mcp").requestBuilder(requests).build();
  }
}
