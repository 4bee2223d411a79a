package dev.codemode.spec.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.IntPredicate;

/**
 * Exact nearest-neighbour search by dot product over L2-normalised vectors (a few thousand operations: a linear scan
 * takes well under a millisecond, and is exact). Immutable and thread-safe.
 */
final class VectorIndex {
  private final float[][] vectors;

  VectorIndex(float[][] vectors) {
    this.vectors = vectors;
  }

  double dot(int i, float[] query) {
    float[] v = vectors[i];
    float dot = 0;
    for (int d = 0; d < v.length; d++) {
      dot += v[d] * query[d];
    }
    return dot;
  }

  int size() {
    return vectors.length;
  }

  List<LexicalIndex.Hit> search(float[] query, int max, IntPredicate accept) {
    PriorityQueue<LexicalIndex.Hit> best = new PriorityQueue<>(max + 1, (a, b) -> Float.compare(a.score(), b.score()));
    for (int i = 0; i < vectors.length; i++) {
      if (!accept.test(i)) {
        continue;
      }
      float[] v = vectors[i];
      float dot = 0;
      for (int d = 0; d < v.length; d++) {
        dot += v[d] * query[d];
      }
      if (best.size() < max) {
        best.add(new LexicalIndex.Hit(i, dot));
      } else if (dot > best.peek().score()) {
        best.poll();
        best.add(new LexicalIndex.Hit(i, dot));
      }
    }
    List<LexicalIndex.Hit> out = new ArrayList<>(best);
    out.sort((a, b) -> Float.compare(b.score(), a.score()));
    return out;
  }
}
