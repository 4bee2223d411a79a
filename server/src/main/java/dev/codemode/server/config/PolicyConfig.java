package dev.codemode.server.config;

import java.util.List;

/**
 * What scripts may call: {@code --allow-writes}, {@code --read-only}, {@code --allow-operation},
 * {@code --deny-operation}. Immutable; defaults in {@link #defaults()} only (writes ask a human, no lists).
 *
 * @param allowWrites writes run without asking
 * @param readOnly    writes never run
 * @param allow       only these operationIds or {@code tag:NAME}s may be called (empty: all)
 * @param deny        these may never be called
 */
public record PolicyConfig(boolean allowWrites, boolean readOnly, List<String> allow, List<String> deny) {
  public PolicyConfig {
    allow = List.copyOf(allow);
    deny = List.copyOf(deny);
  }

  public static PolicyConfig defaults() {
    return new PolicyConfig(false, false, List.of(), List.of());
  }
}
