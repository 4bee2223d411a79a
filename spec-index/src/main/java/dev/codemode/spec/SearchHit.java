package dev.codemode.spec;

/** One ranked result: the operation and its fused score (higher is better; comparable only within one answer). */
public record SearchHit(Operation operation, double score) {}
