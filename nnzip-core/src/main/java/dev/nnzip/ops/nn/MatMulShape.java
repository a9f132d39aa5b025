package dev.nnzip.ops.nn;

import dev.nnzip.tensor.Shapes;
import java.util.Arrays;

/**
 * The shapes of one ONNX MatMul (numpy.matmul semantics), resolved from its operands' shapes: a 1-D A is a row whose
 * M axis is dropped from the result, a 1-D B a column whose N axis is dropped, and the leading (batch) dims broadcast.
 * The kernel and shape inference both use it, so the inferred shape is the one the kernel produces.
 *
 * @param aBatch   A's batch dims (the broadcast takes them to {@code batch})
 * @param outShape the result's shape
 * @param bColumn  B was 1-D
 */
public record MatMulShape(int m, int n, int k, int[] batch, int[] aBatch, int[] bBatch, int[] outShape,
                          boolean bColumn) {
    /**
     * @throws IllegalArgumentException when an operand is a scalar, the inner dimensions differ or the batch dims do
     *     not broadcast
     */
    public static MatMulShape of(int[] as, int[] bs) {
        if (as.length == 0 || bs.length == 0) {
            throw new IllegalArgumentException("operands must have rank >= 1, got " + Arrays.toString(as) + " and "
                    + Arrays.toString(bs));
        }
        int[] a2 = as.length == 1 ? new int[] {1, as[0]} : as;
        int[] b2 = bs.length == 1 ? new int[] {bs[0], 1} : bs;
        int m = a2[a2.length - 2];
        int k = a2[a2.length - 1];
        int n = b2[b2.length - 1];
        if (b2[b2.length - 2] != k) {
            throw new IllegalArgumentException("inner dimensions differ: A " + Arrays.toString(as) + " has K = " + k
                    + " but B " + Arrays.toString(bs) + " has " + b2[b2.length - 2]);
        }
        int[] aBatch = Arrays.copyOf(a2, a2.length - 2);
        int[] bBatch = Arrays.copyOf(b2, b2.length - 2);
        int[] batch = Shapes.broadcast(aBatch, bBatch);
        int[] out = Arrays.copyOf(batch, batch.length + 2);
        out[batch.length] = m;
        out[batch.length + 1] = n;
        if (bs.length == 1) {
            out = Arrays.copyOf(out, out.length - 1);
        }
        if (as.length == 1) {
            int[] o = new int[out.length - 1];
            System.arraycopy(out, 0, o, 0, batch.length);
            System.arraycopy(out, batch.length + 1, o, batch.length, out.length - batch.length - 1);
            out = o;
        }
        return new MatMulShape(m, n, k, batch, aBatch, bBatch, out, bs.length == 1);
    }

    int batches() {
        return Shapes.size(batch);
    }
}
