package dev.codemode.server.transport;

import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.spec.McpClientTransport;
import java.net.http.HttpRequest;

/** The contract over the legacy HTTP+SSE transport. */
class SseContractTest extends HttpContract {
  @Override
  protected McpHttpServer.Mode mode() {
    return McpHttpServer.Mode.SSE;
  }

  @Override
  protected McpClientTransport clientTransport(String base, HttpRequest.Builder requests) {
    return HttpClientSseClientTransport.builder(base).sseEndpoint("/sse").requestBuilder(requests).build();
  }
}
