package dev.codemode.spec.internal;

import dev.codemode.spec.ApiSpec;
import dev.codemode.spec.SearchIndex;
import java.util.List;

/** The one public way into the search implementation, for {@link SearchIndex#build}. */
public final class Indexes {
  private Indexes() {}

  public static SearchIndex build(List<ApiSpec> specs, SearchIndex.Options options) {
    return HybridIndex.build(specs, options);
  }
}
