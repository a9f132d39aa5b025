package dev.nnzip.ops.math;

/** A float32 function of one argument (the JDK has only the double and long versions). */
@FunctionalInterface
public interface FloatUnaryOperator {
    float apply(float x);
}
