package dev.nnzip.ops.math;

/** A float32 function of two arguments (the JDK has only the double and long versions). */
@FunctionalInterface
public interface FloatBinaryOperator {
    float apply(float a, float b);
}
