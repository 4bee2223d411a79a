package dev.codemode.spec.internal;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.codemode.spec.ApiSpec;
import dev.codemode.spec.SpecLoader;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.util.*;

/** Where cold embedding time goes: tokens per passage, single vs batched inference, threads. */
final class EmbedProbe {
  static long cpu() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  public static void main(String[] args) throws Exception {
    ApiSpec spec = SpecLoader.load("x", args[0]);
    int n = Integer.parseInt(args[1]);
    List<String> passages = spec.operations().stream().map(DocText::passage).limit(n).toList();
    HuggingFaceTokenizer tok;
    try (InputStream in = EmbedProbe.class.getClassLoader().getResourceAsStream("bge-small-en-v15-q-tokenizer.json")) {
      tok = in == null ? null : HuggingFaceTokenizer.newInstance(in, Map.of("padding", "false"));
    }
    if (tok == null) {
      try (InputStream in = EmbedProbe.class.getClassLoader().getResourceAsStream("bge-small-en-v1.5-q-tokenizer.json")) {
        tok = HuggingFaceTokenizer.newInstance(in, Map.of("padding", "false", "truncation", "false"));
      }
    }
    long t0 = System.nanoTime();
    List<long[]> ids = new ArrayList<>();
    int[] lens = new int[passages.size()];
    for (int i = 0; i < passages.size(); i++) {
      Encoding e = tok.encode(passages.get(i));
      ids.add(e.getIds());
      lens[i] = e.getIds().length;
    }
    long tokMs = (System.nanoTime() - t0) / 1_000_000;
    int[] sorted = lens.clone();
    Arrays.sort(sorted);
    System.out.printf("%d passages, tokenize %d ms, tokens p50 %d p90 %d max %d mean %.1f%n", n, tokMs,
        sorted[n / 2], sorted[n * 9 / 10], sorted[n - 1], Arrays.stream(lens).average().orElse(0));
    if (args.length < 3) {
      return;
    }
    byte[] model;
    try (InputStream in = EmbedProbe.class.getClassLoader().getResourceAsStream("bge-small-en-v1.5-q.onnx")) {
      model = in.readAllBytes();
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    for (String cfg : args[2].split(",")) {
      String[] c = cfg.split(":"); // threads:batch:maxTokens:sortByLength
      int threads = Integer.parseInt(c[0]);
      int batch = Integer.parseInt(c[1]);
      int maxTok = Integer.parseInt(c[2]);
      boolean sort = c.length > 3 && c[3].equals("s");
      OrtSession.SessionOptions o = new OrtSession.SessionOptions();
      o.setIntraOpNumThreads(threads);
      o.setInterOpNumThreads(1);
      o.addConfigEntry("session.intra_op.allow_spinning", "0");
      o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      try (OrtSession s = env.createSession(model, o)) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        if (sort) Arrays.sort(order, Comparator.comparingInt(i -> lens[i]));
        long t1 = System.nanoTime();
        long c1 = cpu();
        for (int from = 0; from < n; from += batch) {
          int to = Math.min(n, from + batch);
          int len = 0;
          for (int k = from; k < to; k++) len = Math.max(len, Math.min(maxTok, lens[order[k]]));
          int b = to - from;
          long[] in = new long[b * len], mask = new long[b * len], type = new long[b * len];
          for (int k = from; k < to; k++) {
            long[] t = ids.get(order[k]);
            int l = Math.min(maxTok, t.length);
            System.arraycopy(t, 0, in, (k - from) * len, l);
            if (l < t.length) in[(k - from) * len + l - 1] = t[t.length - 1];
            for (int j = 0; j < l; j++) mask[(k - from) * len + j] = 1;
          }
          long[] shape = {b, len};
          try (OnnxTensor a = OnnxTensor.createTensor(env, LongBuffer.wrap(in), shape);
              OnnxTensor m = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
              OnnxTensor ty = OnnxTensor.createTensor(env, LongBuffer.wrap(type), shape);
              OrtSession.Result r = s.run(Map.of("input_ids", a, "attention_mask", m, "token_type_ids", ty))) {
            float[][][] out = (float[][][]) r.get(0).getValue();
            if (out.length != b) throw new IllegalStateException();
          }
        }
        long ms = (System.nanoTime() - t1) / 1_000_000;
        System.out.printf("threads %d batch %d maxTok %d sort %b: %d ms, %.1f ops/s, cpu %.1f ms/op%n", threads, batch,
            maxTok, sort, ms, n * 1000.0 / ms, (cpu() - c1) / 1e6 / n);
      }
    }
    Embedder.shared();
    long t2 = System.nanoTime();
    long c2 = cpu();
    Embedder.shared().passages(passages);
    System.out.printf("current Embedder.passages: %d ms, cpu %.1f ms/op%n", (System.nanoTime() - t2) / 1_000_000,
        (cpu() - c2) / 1e6 / n);
  }
}
