package dev.codemode.conformance;

import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpClientTransport;
import java.net.http.HttpRequest;

/** The jar contract over Streamable HTTP. */
class StreamableHttpJarContractTest extends HttpJarContract {
  @Override
  protected String transportFlag() {
    return "http";
  }

  @Override
  protected McpClientTransport client(String base, String path, HttpRequest.Builder requests) {
    return HttpClientStreamableHttpTransport.builder(base).endpoint(path).requestBuilder(requests).build();
  }
}
