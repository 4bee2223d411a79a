package dev.codemode.spec.internal;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-process sentence embedding model (BAAI bge-small-en-v1.5, int8-quantised ONNX, 384 dimensions, shipped inside
 * its Maven jar: nothing is downloaded). Loaded on first use only, once per JVM, so lexical-only indexes never pay for
 * it. Vectors are L2-normalised, so a dot product is the cosine. Thread-safe.
 */
final class Embedder {
  static final String MODEL_ID = "bge-small-en-v1.5-q";
  /** bge's instruction for retrieval queries; passages are embedded without it. */
  static final String QUERY_PREFIX = "Represent this sentence for searching relevant passages: ";
  private static final Logger LOG = LoggerFactory.getLogger(Embedder.class);
  private static final int BATCH = 64;
  private static volatile Embedder shared;
  /** One worker per core; daemon threads so the model never keeps a JVM alive. */
  private static final java.util.concurrent.ExecutorService POOL = java.util.concurrent.Executors.newFixedThreadPool(
      Math.max(1, Runtime.getRuntime().availableProcessors()), r -> {
        Thread t = new Thread(r, "codemode-embed");
        t.setDaemon(true);
        return t;
      });

  private static final int RECENT_QUERIES = 512;
  private final EmbeddingModel model;
  private final java.util.Map<String, float[]> recent = java.util.Collections.synchronizedMap(
      new java.util.LinkedHashMap<>(RECENT_QUERIES, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, float[]> eldest) {
          return size() > RECENT_QUERIES;
        }
      });

  private Embedder(EmbeddingModel model) {
    this.model = model;
  }

  static Embedder shared() {
    Embedder e = shared;
    if (e == null) {
      synchronized (Embedder.class) {
        e = shared;
        if (e == null) {
          long start = System.nanoTime();
          LOG.info("Loading embedding model {}", MODEL_ID);
          NativeGate.enter();
          try {
            e = new Embedder(new BgeModel(POOL));
          } finally {
            NativeGate.leave();
          }
          LOG.info("Loaded embedding model {} in {} ms", MODEL_ID, (System.nanoTime() - start) / 1_000_000);
          shared = e;
        }
      }
    }
    return e;
  }

  float[][] passages(List<String> texts) {
    float[][] out = new float[texts.size()][];
    for (int from = 0; from < texts.size(); from += BATCH) {
      List<TextSegment> batch = new ArrayList<>();
      for (String t : texts.subList(from, Math.min(texts.size(), from + BATCH))) {
        batch.add(TextSegment.from(t.isBlank() ? "-" : t));
      }
      List<Embedding> vectors;
      NativeGate.enter();
      try {
        vectors = model.embedAll(batch).content();
      } finally {
        NativeGate.leave();
      }
      for (int i = 0; i < vectors.size(); i++) {
        out[from + i] = normalised(vectors.get(i).vector());
      }
    }
    return out;
  }

  /** The query's vector; recent queries are answered from a small cache (agents repeat and refine searches). */
  float[] query(String text) {
    return cached(text, QUERY_PREFIX + text);
  }

  /** A name from a query ("Sofia Coppola"), embedded like a passage (without the query instruction); cached too. */
  float[] name(String text) {
    return cached("\u0000name:" + text, text);
  }

  private float[] cached(String key, String input) {
    float[] cached = recent.get(key);
    if (cached != null) {
      return cached;
    }
    float[] v;
    NativeGate.enter();
    try {
      v = normalised(model.embed(input).content().vector());
    } finally {
      NativeGate.leave();
    }
    synchronized (recent) {
      recent.put(key, v);
    }
    return v;
  }

  void clearRecentQueries() {
    recent.clear();
  }

  /** Seconds per passage for a sample, to estimate a cold build on a machine too busy for a full one. */
  double secondsPerPassage(List<String> sample) {
    long start = System.nanoTime();
    passages(sample);
    return (System.nanoTime() - start) / 1e9 / Math.max(1, sample.size());
  }

  private static float[] normalised(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += x * x;
    }
    float norm = (float) Math.sqrt(sum);
    if (norm > 0) {
      for (int i = 0; i < v.length; i++) {
        v[i] /= norm;
      }
    }
    return v;
  }
}
