package dev.nnzip.ops.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;

/** Assertions on a tensor's type, shape and values. */
public final class TensorAssert {
    private TensorAssert() {
    }

    public static void assertFloatsWithin(Tensor t, int[] shape, float tolerance, float... expected) {
        assertThat(t.shape()).as("shape").containsExactly(shape);
        assertThat(t.floats()).as("values of %s", t).containsExactly(expected, within(tolerance));
    }

    public static void assertFloats(Tensor t, int[] shape, float... expected) {
        assertFloatsWithin(t, shape, 1e-6f, expected);
    }

    public static void assertLongs(Tensor t, DType type, int[] shape, long... expected) {
        assertThat(t.dtype()).as("dtype").isEqualTo(type);
        assertThat(t.shape()).as("shape").containsExactly(shape);
        assertThat(t.longs()).as("values").containsExactly(expected);
    }

    public static void assertBooleans(Tensor t, int[] shape, boolean... expected) {
        assertThat(t.dtype()).isEqualTo(DType.BOOL);
        assertThat(t.shape()).as("shape").containsExactly(shape);
        assertThat(t.booleans()).as("values").containsExactly(expected);
    }

    public static int[] shape(int... dims) {
        return dims;
    }

    public static Tensor ints(DType type, long[] values, int... shape) {
        return Tensor.wrap(type, shape, values);
    }
}
