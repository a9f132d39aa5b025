package dev.nnzip.ops;

import dev.nnzip.tensor.DType;

/**
 * A kernel that may write its output over one of its inputs when {@link ExecContext#mayOverwrite} allows it (the
 * element-wise ops). It says which input it would take for given operand types and shapes, so the runtime can plan
 * activation memory before running from the kernel's own rule rather than from a copy of it.
 */
public interface InPlaceKernel extends OpKernel {
    /**
     * The input whose array output 0 will be, or -1 for a new array.
     *
     * @param types        the inputs' element types (null for an absent input)
     * @param shapes       the inputs' shapes (null for an absent input)
     * @param output       output 0's shape
     * @param overwritable bit i: {@link ExecContext#mayOverwrite mayOverwrite(i)}
     */
    int overwrittenInput(DType[] types, int[][] shapes, int[] output, long overwritable);
}
