package dev.codemode.isolate;

import java.util.Objects;

/**
 * What to run.
 *
 * @param code    the body of an async function, written by the (untrusted) model; {@code return} gives the result
 * @param prelude trusted JavaScript evaluated first in the same fresh context (defines {@code api} etc. on top of
 *                {@code __host}); its lines are not counted in the script's line numbers
 * @param limits  resource limits for this run
 */
public record ExecutionRequest(String code, String prelude, Limits limits) {
  public ExecutionRequest {
    Objects.requireNonNull(code, "code");
    prelude = prelude == null ? "" : prelude;
    Objects.requireNonNull(limits, "limits");
  }
}
