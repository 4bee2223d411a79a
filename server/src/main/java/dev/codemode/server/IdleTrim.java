package dev.codemode.server;

import dev.codemode.server.transport.ServerDefinition;
import dev.codemode.server.transport.ToolCallHooks;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Hands back the heap a burst of tool calls grew, once the server has been idle for a short spell: every tool call
 * is counted in and out; when the last one in flight ends, a trim is scheduled {@code idle} later, and a call that
 * starts before then cancels it. So the trim never starts while a call is in flight (a call that arrives while it
 * runs is at worst paused by its one collection) and runs at most once per idle spell, only after activity.
 * Thread-safe.
 */
final class IdleTrim {
  /** Quiet time after the last tool call before the heap is trimmed (the sandbox workers wait 2 s). */
  static final Duration IDLE = Duration.ofSeconds(3);

  private final Duration idle;
  private final Runnable trim;
  private final ScheduledExecutorService timer;
  private int inFlight;
  private ScheduledFuture<?> pending;
  /** Bumped by every call start, so a trim scheduled before it knows it is stale. */
  private long spell;

  IdleTrim(Duration idle, Runnable trim, ScheduledExecutorService timer) {
    this.idle = idle;
    this.trim = trim;
    this.timer = timer;
  }

  /** A tool call starts: no trim until it and every other call in flight have ended. */
  synchronized void begin() {
    inFlight++;
    spell++;
    if (pending != null) {
      pending.cancel(false);
      pending = null;
    }
  }

  /**
   * A tool call ended (result, error or cancellation). The last one in flight schedules the trim: every call in
   * flight began after the previous trim ran (a trim never runs with a call in flight), so there was activity.
   */
  synchronized void end() {
    if (inFlight > 0 && --inFlight == 0) {
      long mine = spell;
      pending = timer.schedule(() -> fire(mine), idle.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void fire(long scheduledIn) {
    synchronized (this) {
      if (inFlight > 0 || scheduledIn != spell) {
        return; // a call started since this trim was scheduled
      }
      pending = null;
    }
    trim.run();
  }

  /** The definition with every tool call counted in and out of this trimmer. */
  ServerDefinition wrap(ServerDefinition d) {
    return ToolCallHooks.around(d, this::begin, this::end);
  }
}
