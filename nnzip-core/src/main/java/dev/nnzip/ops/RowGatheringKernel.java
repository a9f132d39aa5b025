package dev.nnzip.ops;

import dev.nnzip.tensor.Tensor;

/**
 * A kernel that reads only some first-axis rows of one of its inputs (Gather on axis 0). When that input is a weight
 * stored in blocks, the session calls {@link #runWithRows} instead of {@link #run}, so that only the rows the node
 * needs are decoded: a sentence looks up a few dozen rows of a 30,522-row embedding table, which must not be decoded
 * whole (Smart-DNN+'s partial decompression, issue 4).
 */
public interface RowGatheringKernel extends OpKernel {
    /** Where a kernel gets rows of its row input from. */
    interface Rows {
        /** The full shape of the row input. */
        int[] shape();

        /** Rows {@code rows[i]} (already in range) as a tensor {@code [rows.length, shape[1:]…]}. */
        Tensor rows(int[] rows);

        /** The whole input, for the cases the kernel cannot serve row by row. */
        Tensor all();
    }

    /** The index of the input read by rows. */
    int rowInput();

    /**
     * Runs the node with input {@link #rowInput()} given as {@code rows} ({@code inputs[rowInput()]} is null). Must
     * give the same result as {@link #run} on the whole input.
     */
    Tensor[] runWithRows(Tensor[] inputs, Rows rows, ExecContext ctx);
}
