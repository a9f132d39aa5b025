package dev.nnzip.ops.tensor;

import dev.nnzip.graph.Node;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;

/**
 * ONNX GatherND (opsets 11, 12, 13): each row of the last axis of {@code indices} (length {@code m}) addresses a slice
 * {@code data[b…, i0, …, i(m-1), :…]}; the first {@code batch_dims} axes (opset 12+) are shared by data and indices.
 * Output shape: {@code indices.shape[:-1] + data.shape[batch_dims + m:]}. Each tuple copies one contiguous slice.
 */
final class GatherND {
    private GatherND() {
    }

    static OpKernel create(Node node, int opset) {
        int batchDims = (int) node.attributes().getInt("batch_dims", 0);
        return (in, ctx) -> {
            Tensor data = Args.required(in, 0, "data");
            Tensor indices = Args.required(in, 1, "indices");
            NdIndex nd = NdIndex.of(data.shape(), indices, batchDims, "GatherND");
            int[] dshape = data.shape();
            int[] ishape = indices.shape();
            int q = ishape.length;
            int[] outShape = new int[q - 1 + dshape.length - batchDims - nd.m()];
            System.arraycopy(ishape, 0, outShape, 0, q - 1);
            System.arraycopy(dshape, batchDims + nd.m(), outShape, q - 1, dshape.length - batchDims - nd.m());
            Tensor out = Tensor.zeros(data.dtype(), outShape);
            int[] offsets = nd.offsets();
            for (int t = 0; t < offsets.length; t++) {
                System.arraycopy(data.data(), offsets[t], out.data(), t * nd.slice(), nd.slice());
            }
            return new Tensor[] {out};
        };
    }

    /**
     * The data offsets of the slices that an ND index tensor addresses (GatherND, ScatterND), one per index tuple in
     * order, each slice {@code slice} elements long.
     */
    record NdIndex(int[] offsets, int m, int slice) {
        static NdIndex of(int[] dshape, Tensor indices, int batchDims, String op) {
            int[] ishape = indices.shape();
            int q = ishape.length;
            int r = dshape.length;
            if (!indices.dtype().isInteger() || q < 1) {
                throw new IllegalArgumentException(op + " indices must be an integer tensor of rank >= 1, got "
                        + indices.dtype() + Arrays.toString(ishape));
            }
            int m = ishape[q - 1];
            if (batchDims < 0 || batchDims >= Math.min(q, r) || m + batchDims > r) {
                throw new IllegalArgumentException(op + " cannot index data " + Arrays.toString(dshape)
                        + " with indices " + Arrays.toString(ishape) + " and batch_dims " + batchDims
                        + ": expected batch_dims < rank and indices.shape[-1] <= data rank - batch_dims");
            }
            for (int d = 0; d < batchDims; d++) {
                if (dshape[d] != ishape[d]) {
                    throw new IllegalArgumentException(op + " batch dimension " + d + " differs: data "
                            + Arrays.toString(dshape) + ", indices " + Arrays.toString(ishape));
                }
            }
            int[] strides = StridedCopy.rowMajorStrides(dshape);
            int batches = Args.product(ishape, 0, batchDims);
            int perBatch = Args.product(ishape, batchDims, q - 1);
            int batchStride = Args.product(dshape, batchDims, r);
            int slice = Args.product(dshape, batchDims + m, r);
            long[] raw = indices.longs();
            int[] offsets = new int[batches * perBatch];
            for (int b = 0, t = 0; b < batches; b++) {
                for (int j = 0; j < perBatch; j++, t++) {
                    int off = b * batchStride;
                    for (int k = 0; k < m; k++) {
                        off += Args.index(raw[t * m + k], dshape[batchDims + k], op + " index") * strides[batchDims + k];
                    }
                    offsets[t] = off;
                }
            }
            return new NdIndex(offsets, m, slice);
        }
    }
}
