package dev.nnzip.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nnzip.Nnz;
import dev.nnzip.TestModels;
import dev.nnzip.codec.ErrorBound;
import dev.nnzip.compress.CompressionPolicy;
import dev.nnzip.compress.ModelCompressor;
import dev.nnzip.kernels.Parallel;
import dev.nnzip.runtime.weights.MemoryMode;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Gather on a compressed embedding table decodes only the codec blocks of the rows it reads (issue 4): the engine's
 * accounting shows far less than the table decoded, and the rows are bit-identical to those of the whole decoded table.
 */
class RowGatherTest {
    @TempDir
    static Path dir;
    static Path nnz;
    static final int ROWS = 8192;
    static final int DIM = 64;
    static final long TABLE_BYTES = 4L * ROWS * DIM; // 2 MiB, 8 codec blocks of 65536 values

    /** ids [1, n] -> Gather(table) -> [1, n, DIM]: the shape of a BERT word-embedding lookup. */
    @BeforeAll
    static void buildModel() throws Exception {
        SplittableRandom rnd = new SplittableRandom(9);
        float[] table = new float[ROWS * DIM];
        for (int i = 0; i < table.length; i++) {
            table[i] = (float) rnd.nextGaussian(0, 0.05);
        }
        Path onnx = TestModels.create().input("ids", DType.INT64, 1, -1)
                .weight("table", Tensor.of(table, ROWS, DIM))
                .node("Gather", "embed", new String[] {"table", "ids"}, new String[] {"y"})
                .output("y", DType.FLOAT, 1, -1, DIM).write(dir.resolve("embed.onnx"));
        nnz = dir.resolve("embed.nnz");
        try (Parallel p = new Parallel(2)) {
            ModelCompressor.compress(onnx, nnz, CompressionPolicy.of("smartdnn", ErrorBound.relative(1e-3)), p,
                    ModelCompressor.Progress.NONE);
        }
    }

    static Map<String, Tensor> ids(long... ids) {
        return Map.of("ids", Tensor.of(ids, 1, ids.length));
    }

    static float[] run(Model m, MemoryMode mode, Map<String, Tensor> in) {
        try (Session s = m.newSession(new SessionOptions(1, mode))) {
            return s.run(in).get("y").floats();
        }
    }

    @Test
    void rowsMatchTheWholeDecodedTableInEveryMode() {
        // repeated, negative, first and last rows, rows that straddle no block and rows in different blocks
        Map<String, Tensor> in = ids(101, 2023, 7, -1, 0, 2023, 5000, ROWS - 1024);
        float[] reference;
        try (Model m = Nnz.load(nnz, MemoryMode.EAGER)) {
            reference = run(m, MemoryMode.EAGER, in);
        }
        for (MemoryMode mode : List.of(MemoryMode.LAYERWISE, MemoryMode.PREFETCH, MemoryMode.budget(0),
                MemoryMode.budget(TABLE_BYTES))) {
            try (Model m = Nnz.load(nnz, mode)) {
                assertThat(run(m, mode, in)).as("%s", mode).containsExactly(reference);
                assertThat(m.residentWeightBytes()).as("nothing left decoded in %s", mode).isZero();
            }
        }
    }

    @Test
    void oneSentenceDecodesAFewBlocksNotTheTable() {
        try (Model m = Nnz.load(nnz, MemoryMode.LAYERWISE)) {
            run(m, MemoryMode.LAYERWISE, ids(101, 2023, 2003, 1037, 102)); // all in the first block
            long peak = m.weightAccounting().peakBytes();
            // one block of scratch (65536 values) plus the 5 distinct rows
            assertThat(peak).isPositive().isEqualTo(4L * 65536 + 5L * 4 * DIM).isLessThan(TABLE_BYTES / 4);
        }
    }

    @Test
    void outOfRangeIndexIsReported() {
        try (Model m = Nnz.load(nnz, MemoryMode.LAYERWISE)) {
            assertThatThrownBy(() -> run(m, MemoryMode.LAYERWISE, ids(3, ROWS)))
                    .hasMessageContaining("out of range").hasMessageContaining("table");
            assertThat(m.residentWeightBytes()).isZero();
        }
    }
}
