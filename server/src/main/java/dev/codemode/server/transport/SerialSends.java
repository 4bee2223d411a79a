package dev.codemode.server.transport;

import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerSession;
import io.modelcontextprotocol.spec.McpServerTransport;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * A session transport provider whose sessions send one message at a time. The SDK's stdio transport puts each
 * outgoing message into a unicast Reactor sink with {@code tryEmitNext}, which refuses a message while another thread
 * is emitting ({@code FAIL_NON_SERIALIZED}): the message is dropped with "Failed to enqueue message" and the client
 * waits for an answer that never comes (SDK issues #304 and #686, not fixed in 2.1.0). Tool answers complete on
 * different threads (sandbox workers, search), so two at once are normal. Each send here subscribes to the SDK's send
 * under one lock per session; once the session has started, that send emits synchronously, so emissions never
 * overlap. Thread-safe.
 */
final class SerialSends implements McpServerTransportProvider {
  private final McpServerTransportProvider delegate;

  SerialSends(McpServerTransportProvider delegate) {
    this.delegate = delegate;
  }

  @Override
  public void setSessionFactory(McpServerSession.Factory factory) {
    delegate.setSessionFactory(transport -> factory.create(new OneAtATime(transport)));
  }

  @Override
  public Mono<Void> notifyClients(String method, Object params) {
    return delegate.notifyClients(method, params);
  }

  @Override
  public Mono<Void> notifyClient(String sessionId, String method, Object params) {
    return delegate.notifyClient(sessionId, method, params);
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public Mono<Void> closeGracefully() {
    return delegate.closeGracefully();
  }

  @Override
  public List<String> protocolVersions() {
    return delegate.protocolVersions();
  }

  /** One session's transport with its sends serialised. */
  static final class OneAtATime implements McpServerTransport {
    private final McpServerTransport transport;
    private final Object sending = new Object();

    OneAtATime(McpServerTransport transport) {
      this.transport = transport;
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
      return Mono.create(sink -> {
        synchronized (sending) {
          transport.sendMessage(message).subscribe(null, sink::error, sink::success);
        }
      });
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
      return transport.unmarshalFrom(data, typeRef);
    }

    @Override
    public Mono<Void> closeGracefully() {
      return transport.closeGracefully();
    }

    @Override
    public void close() {
      transport.close();
    }

    @Override
    public List<String> protocolVersions() {
      return transport.protocolVersions();
    }
  }
}
