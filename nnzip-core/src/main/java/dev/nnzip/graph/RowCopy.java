package dev.nnzip.graph;

import dev.nnzip.tensor.Tensor;
import java.util.Objects;

/** Copies chosen first-axis rows out of a tensor: the reference behaviour of {@link Weight#decodeRows}. */
final class RowCopy {
    private RowCopy() {
    }

    static Tensor rows(Tensor t, int[] rows) {
        int[] shape = t.shape();
        if (shape.length == 0) {
            throw new IllegalArgumentException("a scalar has no rows");
        }
        int rowSize = shape[0] == 0 ? 0 : t.size() / shape[0];
        int[] outShape = shape.clone();
        outShape[0] = rows.length;
        Object src = t.data();
        Object dst = java.lang.reflect.Array.newInstance(src.getClass().getComponentType(), rows.length * rowSize);
        for (int i = 0; i < rows.length; i++) {
            Objects.checkIndex(rows[i], shape[0]);
            System.arraycopy(src, rows[i] * rowSize, dst, i * rowSize, rowSize);
        }
        return Tensor.wrap(t.dtype(), outShape, dst);
    }
}
