package dev.codemode.server.transport;

import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * A client transport that remembers the JSON-RPC ids of the {@code tools/call} requests it sends, so a test can send
 * {@code notifications/cancelled} for one (the Java SDK client has no cancel API).
 */
public final class RecordingTransport implements McpClientTransport {
  private final McpClientTransport delegate;
  public final List<Object> toolCallIds = new CopyOnWriteArrayList<>();

  public RecordingTransport(McpClientTransport delegate) {
    this.delegate = delegate;
  }

  public Mono<Void> cancel(Object requestId) {
    return delegate.sendMessage(new McpSchema.JSONRPCNotification(McpSchema.JSONRPC_VERSION,
        "notifications/cancelled", Map.of("requestId", requestId, "reason", "test cancelled it")));
  }

  @Override
  public Mono<Void> connect(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
    return delegate.connect(handler);
  }

  @Override
  public void setExceptionHandler(Consumer<Throwable> handler) {
    delegate.setExceptionHandler(handler);
  }

  @Override
  public Mono<Void> closeGracefully() {
    return delegate.closeGracefully();
  }

  @Override
  public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
    if (message instanceof McpSchema.JSONRPCRequest r && r.method().equals("tools/call")) {
      toolCallIds.add(r.id());
    }
    return delegate.sendMessage(message);
  }

  @Override
  public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
    return delegate.unmarshalFrom(data, typeRef);
  }

  @Override
  public List<String> protocolVersions() {
    return delegate.protocolVersions();
  }
}
