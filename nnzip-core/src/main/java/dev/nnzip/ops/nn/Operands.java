package dev.nnzip.ops.nn;

import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;

/** Input checks shared by the ops of this package; failures name the input and say what was expected. */
final class Operands {
    private Operands() {
    }

    /** The tensor's float storage (float32, float16, bfloat16); other types are an error naming the input. */
    static float[] floats(Tensor t, String op, String input) {
        if (t == null) {
            throw new IllegalArgumentException(op + ": input '" + input + "' is required but absent");
        }
        if (t.dtype().storage() != DType.Storage.FLOAT) {
            throw new IllegalArgumentException(op + ": input '" + input + "' has element type " + t.dtype()
                    + ", expected float32, float16 or bfloat16");
        }
        return t.floats();
    }

    static void rank(Tensor t, int rank, String op, String input) {
        if (t.rank() != rank) {
            throw new IllegalArgumentException(op + ": input '" + input + "' must have rank " + rank + ", got shape "
                    + Arrays.toString(t.shape()));
        }
    }

    static Tensor require(Tensor t, String op, String input) {
        if (t == null) {
            throw new IllegalArgumentException(op + ": input '" + input + "' is required but absent");
        }
        return t;
    }

    static void sameType(Tensor a, Tensor b, String op) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op + ": inputs have element types " + a.dtype() + " and " + b.dtype()
                    + ", expected the same type");
        }
    }
}
