package dev.codemode.spec.internal;

import dev.codemode.spec.ApiSpec;
import dev.codemode.spec.SearchIndex;
import dev.codemode.spec.SpecException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The one public type of this package (ArchitectureTest checks it): the way in for the public classes of
 * {@code dev.codemode.spec}, {@link SearchIndex}'s static methods, {@link dev.codemode.spec.SpecLoader} and
 * {@link dev.codemode.spec.NativeModel}. Everything else here is package-private.
 */
public final class Indexes {
  /**
   * Core-seconds to embed one operation's passage: Cloudflare's 1,535 p5 passages took 42-64 s on 2 shared cores at
   * load average 12-16 (spec-index README, round 3), about 0.07 core-seconds each; plus the model's load.
   */
  private static final double CORE_SECONDS_PER_OPERATION = 0.07;
  private static final double MODEL_LOAD_SECONDS = 2;

  private Indexes() {}

  public static SearchIndex build(List<ApiSpec> specs, SearchIndex.Options options) {
    return HybridIndex.build(specs, options);
  }

  public static SearchIndex withSemantic(SearchIndex lexical, SearchIndex.Options options) {
    if (lexical instanceof HybridIndex h && !h.semantic()) {
      return h.withSemantic(options);
    }
    SearchIndex fresh = HybridIndex.build(lexical.specs(), options);
    lexical.close();
    return fresh;
  }

  public static double semanticEtaSeconds(List<ApiSpec> specs, SearchIndex.Options options) {
    if (!options.semantic()) {
      return 0;
    }
    int cold = 0;
    for (ApiSpec spec : specs) {
      if (options.cacheDir() == null || !HybridIndex.isCached(spec, options.cacheDir())) {
        cold += spec.operations().size();
      }
    }
    int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
    return cold == 0 ? 0 : MODEL_LOAD_SECONDS + cold * CORE_SECONDS_PER_OPERATION / cores;
  }

  /** Reads and parses a spec, its model cached under {@code cacheDir} (null: no cache); see {@link SpecReader}. */
  public static ApiSpec readSpec(String name, String location, Path cacheDir) throws SpecException {
    return SpecReader.read(name, location, cacheDir);
  }

  /** Refuses new native model work and waits for the work in flight; see {@link NativeGate#stop}. */
  public static boolean stopNativeWork(Duration timeout) throws InterruptedException {
    return NativeGate.stop(timeout);
  }
}
