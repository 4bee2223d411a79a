package dev.codemode.conformance;

import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.spec.McpClientTransport;
import java.net.http.HttpRequest;

/** The jar contract over the legacy HTTP+SSE transport. */
class SseJarContractTest extends HttpJarContract {
  @Override
  protected String transportFlag() {
    return "sse";
  }

  @Override
  protected McpClientTransport client(String base, String path, HttpRequest.Builder requests) {
    return HttpClientSseClientTransport.builder(base).sseEndpoint(path).requestBuilder(requests).build();
  }
}
