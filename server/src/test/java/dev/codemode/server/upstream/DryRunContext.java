package dev.codemode.server.upstream;

import dev.codemode.server.approval.Approver;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import reactor.core.publisher.Mono;

/**
 * A call context for tests that sends reads and keeps writes, as {@code execute {dryRun: true}} does; any write the
 * policy would ask about is approved. Public so conformance tests can use it from the test-jar.
 */
public final class DryRunContext implements CallContext {
  /** The writes kept, in order. */
  public final Queue<DryRunWrite> writes = new ConcurrentLinkedQueue<>();

  @Override
  public Mono<Approver.Answer> confirmWrite(WritePrompt prompt) {
    return Mono.just(Approver.Answer.APPROVED);
  }

  @Override
  public void record(CallRecord call) {}

  @Override
  public boolean dryRun() {
    return true;
  }

  @Override
  public void dryRunWrite(DryRunWrite write) {
    writes.add(write);
  }
}
