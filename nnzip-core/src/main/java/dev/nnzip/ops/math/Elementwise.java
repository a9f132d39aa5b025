package dev.nnzip.ops.math;

import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;

/** Checks and constants shared by the elementwise ops. */
public final class Elementwise {
    /**
     * Fewest elements worth handing to another thread: below ~64 K floats (~10 µs of vector arithmetic) the hand-off
     * to a parked worker and the join cost about as much as the arithmetic they save (16 K made batch-1 models slower
     * on two threads than on one).
     */
    public static final int MIN_CHUNK = 65_536;

    /** Smaller chunks for ops that spend tens of nanoseconds per element (exp, erf, tanh, ...). */
    public static final int MIN_CHUNK_TRANSCENDENTAL = 2_048;

    private Elementwise() {
    }

    /** ONNX binary ops take one type {@code T} for both operands; mixing is a model error, not something to coerce. */
    public static void requireSameType(String op, Tensor a, Tensor b) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op + " needs both inputs of the same element type, got " + a.dtype()
                    + " and " + b.dtype());
        }
    }

    public static void requireFloatingPoint(String op, DType type) {
        if (!type.isFloatingPoint()) {
            throw new IllegalArgumentException(op + " is defined for float, float16, bfloat16 and double tensors, got "
                    + type);
        }
    }

    public static Tensor requireInput(String op, Tensor[] inputs, int index, String name) {
        if (index >= inputs.length || inputs[index] == null) {
            throw new IllegalArgumentException(op + " is missing its required input " + index + " (" + name + ")");
        }
        return inputs[index];
    }
}
