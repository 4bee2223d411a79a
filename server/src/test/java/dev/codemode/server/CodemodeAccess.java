package dev.codemode.server;

import dev.codemode.spec.ApiSpec;
import java.util.List;

/** Test access to package-private pieces of {@link Codemode}. */
public final class CodemodeAccess {
  private CodemodeAccess() {}

  public static String prelude(List<ApiSpec> specs) {
    return Codemode.prelude(specs);
  }
}
