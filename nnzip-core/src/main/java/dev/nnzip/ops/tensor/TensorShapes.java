package dev.nnzip.ops.tensor;

/**
 * Output shapes of tensor operators whose rule needs the kernel's own reading of the spec, for shape inference before
 * running (the same code the kernels run).
 */
public final class TensorShapes {
    private TensorShapes() {
    }

    /** Reshape's target: 0 copies the input's dimension (unless {@code allowZero}), one -1 takes what is left. */
    public static int[] reshape(int[] input, long[] target, boolean allowZero) {
        return Reshape.outputShape(input, target, allowZero);
    }

    /**
     * Split's part sizes along {@code axis}: {@code split} when given, else {@code outputs} equal parts (from opset 18,
     * {@code unevenAllowed}: parts of ceil(dim / outputs) with a smaller last one).
     */
    public static int[] split(int[] shape, int axis, long[] split, int outputs, boolean unevenAllowed) {
        return Split.sizes(shape, axis, split, outputs, unevenAllowed);
    }
}
