package dev.nnzip.runtime.weights;

import dev.nnzip.format.NnzWeight;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;

/**
 * Gather (axis 0) on a compressed table without decoding the table: only the codec blocks holding the requested rows
 * are decoded, one block at a time, and the rows are copied into a compact table of the distinct rows asked for. The
 * Gather kernel then runs on that compact table with indices renumbered into it, so ONNX Gather semantics (negative
 * indices, any index rank, output shape) stay the kernel's. This is what keeps a 30522 x 384 word embedding (47 MB
 * decoded) from being decoded whole to embed one sentence.
 *
 * <p>Resident while it runs: one block of scratch plus the compact rows, both counted in the model's
 * {@link WeightAccounting} until {@link Rows#close()}.
 */
public final class RowGather {
    private RowGather() {
    }

    /** A compact table of the requested rows and the indices renumbered into it; counted until closed. */
    public record Rows(Tensor table, Tensor indices, WeightAccounting accounting) implements AutoCloseable {
        @Override
        public void close() {
            accounting.remove(table.heapBytes());
        }
    }

    /**
     * The rows of {@code table} that {@code indices} (int32/int64, negative counted from the end) name.
     *
     * @throws IllegalArgumentException if an index is outside {@code [-rows, rows)} or not an integer tensor
     */
    public static Rows gather(NnzWeight table, Tensor indices, WeightAccounting accounting) {
        if (!indices.dtype().isInteger()) {
            throw new IllegalArgumentException("Gather indices must be int32 or int64, got " + indices.dtype());
        }
        int[] shape = table.shape();
        int rows = shape[0];
        int inner = 1;
        for (int d = 1; d < shape.length; d++) {
            inner = Math.multiplyExact(inner, shape[d]);
        }
        long[] raw = indices.longs();
        int[] wanted = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
            long r = raw[i] < 0 ? raw[i] + rows : raw[i];
            if (r < 0 || r >= rows) {
                throw new IllegalArgumentException("Gather index " + raw[i] + " is out of range [-" + rows + ", "
                        + rows + ") for table '" + table.name() + "' of shape " + Arrays.toString(shape));
            }
            wanted[i] = (int) r;
        }
        int[] distinct = Arrays.stream(wanted).sorted().distinct().toArray();
        long[] renumbered = new long[wanted.length];
        for (int i = 0; i < wanted.length; i++) {
            renumbered[i] = Arrays.binarySearch(distinct, wanted[i]);
        }
        int[] compactShape = shape.clone();
        compactShape[0] = distinct.length;
        float[] compact = new float[Math.multiplyExact(distinct.length, inner)];
        int per = table.blockValues();
        int[] blocks = blocksOf(distinct, inner, per);
        float[] scratch = new float[per];
        long scratchBytes = 4L * per;
        Tensor out = Tensor.wrap(table.dtype(), compactShape, compact);
        accounting.add(out.heapBytes() + scratchBytes);
        try {
            copyRows(table, blocks, scratch, distinct, inner, compact);
        } catch (RuntimeException e) {
            accounting.remove(out.heapBytes());
            throw e;
        } finally {
            accounting.remove(scratchBytes);
        }
        Tensor idx = Tensor.wrap(DType.INT64, indices.shape(), renumbered);
        return new Rows(out, idx, accounting);
    }

    /** The distinct blocks, ascending, that hold any value of the sorted distinct {@code rows}. */
    private static int[] blocksOf(int[] rows, int inner, int per) {
        int[] blocks = new int[rows.length * 2 + (int) ((long) inner * rows.length / per) + 1];
        int n = 0;
        for (int r : rows) {
            long start = (long) r * inner;
            int first = (int) (start / per);
            int last = (int) ((start + inner - 1) / per);
            for (int b = Math.max(first, n == 0 ? first : blocks[n - 1] + 1); b <= last; b++) {
                if (n == blocks.length) {
                    blocks = Arrays.copyOf(blocks, n * 2);
                }
                blocks[n++] = b;
            }
        }
        return Arrays.copyOf(blocks, n);
    }

    /** Decodes {@code blocks} one by one and copies the parts of {@code rows} each holds into {@code compact}. */
    private static void copyRows(NnzWeight table, int[] blocks, float[] scratch, int[] rows, int inner,
                                 float[] compact) {
        int[] firstRow = {0}; // rows are sorted and blocks ascend: rows ending before this block are done
        table.decodeBlocks(blocks, scratch, (block, start, values, count) -> {
            long end = start + count;
            int i = firstRow[0];
            while (i < rows.length && (long) rows[i] * inner + inner <= start) {
                i++;
            }
            firstRow[0] = i;
            for (; i < rows.length && (long) rows[i] * inner < end; i++) {
                long rowStart = (long) rows[i] * inner;
                long from = Math.max(rowStart, start);
                long to = Math.min(rowStart + inner, end);
                System.arraycopy(values, (int) (from - start), compact, (int) ((long) i * inner + (from - rowStart)),
                        (int) (to - from));
            }
        });
    }
}
