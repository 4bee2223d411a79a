package dev.codemode.spec;

import java.util.List;
import java.util.Objects;

/**
 * One ranked result: the operation, its fused score (higher is better; comparable only within one answer) and the
 * other members of its family (the same operation at another level, such as account or organisation, or a deprecated
 * copy), which are not listed as results of their own.
 */
public record SearchHit(Operation operation, double score, List<Operation> variants) {
  public SearchHit {
    Objects.requireNonNull(operation, "operation");
    variants = variants == null ? List.of() : List.copyOf(variants);
  }

  public SearchHit(Operation operation, double score) {
    this(operation, score, List.of());
  }
}
