package dev.nnzip.graph;

import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Shapes;
import dev.nnzip.tensor.Tensor;

/**
 * A reference to a constant tensor (an initializer or a Constant node's value) that is materialized only on demand.
 *
 * <p>The graph never holds weight arrays itself: whether decoded weights exist, and for how long, is the runtime's
 * decision (DESIGN.md, WeightStore). Implementations must be safe to {@link #decode()} from several threads.
 */
public interface Weight {
    String name();

    DType dtype();

    /** A copy of the shape. */
    int[] shape();

    /** Bytes of the stored (possibly compressed) form. */
    long storedBytes();

    /** Bytes of the decoded tensor on the heap. */
    default long decodedBytes() {
        long n = Shapes.size(shape());
        return switch (dtype().storage()) {
            case FLOAT -> 4 * n;
            case DOUBLE, LONG, STRING -> 8 * n;
            case BOOL -> n;
        };
    }

    /** Materializes a fresh tensor the caller owns. */
    Tensor decode();

    /** A weight that is already a tensor in memory (built in code, or produced by a graph transform). */
    static Weight of(String name, Tensor tensor) {
        return new InMemoryWeight(name, tensor);
    }

    /** The in-memory case; {@link #decode()} hands out copies so no caller can mutate the original. */
    record InMemoryWeight(String name, Tensor tensor) implements Weight {
        @Override
        public DType dtype() {
            return tensor.dtype();
        }

        @Override
        public int[] shape() {
            return tensor.shape();
        }

        @Override
        public long storedBytes() {
            return tensor.heapBytes();
        }

        @Override
        public Tensor decode() {
            return tensor.copy();
        }
    }
}
