package dev.nnzip.ops.tensor;

import static dev.nnzip.ops.tensor.Op.i32;
import static dev.nnzip.ops.tensor.Op.iota;
import static dev.nnzip.ops.tensor.Op.l;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nnzip.kernels.Parallel;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Gather, GatherElements, GatherND, ScatterND, ScatterElements/Scatter. */
class GatherScatterTest {
    @Test
    void gatherRowsWithNegativeInt32Indices() {
        Tensor emb = iota(4, 3);
        Tensor y = Op.of("Gather").run(emb, i32(new long[] {3, -4, 1, 1}, 2, 2));
        assertThat(y.shape()).containsExactly(2, 2, 3);
        assertThat(y.floats()).containsExactly(9, 10, 11, 0, 1, 2, 3, 4, 5, 3, 4, 5);
    }

    @Test
    void gatherAlongAnInnerAxisWithAScalarIndexDropsTheAxis() {
        Tensor y = Op.of("Gather").attr("axis", -1L).run(iota(2, 3), Tensor.scalar(2L));
        assertThat(y.shape()).containsExactly(2);
        assertThat(y.floats()).containsExactly(2, 5);
    }

    @Test
    void gatherWorksOnShapesBoolsAndStrings() {
        assertThat(Op.of("Gather").run(l(5, 6, 7), l(2, 0)).longs()).containsExactly(7, 5);
        Tensor b = Tensor.of(new boolean[] {true, false}, 2);
        assertThat(Op.of("Gather").run(b, l(1, 1, 0)).booleans()).containsExactly(false, false, true);
        Tensor s = Tensor.wrap(DType.STRING, new int[] {3}, new String[] {"x", "y", "z"});
        assertThat(Op.of("Gather").run(s, l(2, 1)).strings()).containsExactly("z", "y");
    }

    @Test
    void gatherOfLargeRowsSplitsOverThreads() {
        Tensor emb = iota(64, 2048);
        try (Parallel p = new Parallel(2)) {
            Tensor y = Op.of("Gather").threads(p).run(emb, l(63, 0, 5, 63, 17, 17, 2, 40, 1, 9, 8, 7, 6, 5, 4, 3, 2,
                    1, 0, 10, 11, 12, 13, 14, 15, 16, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27));
            assertThat(y.floats()[0]).isEqualTo(63 * 2048);
            assertThat(y.floats()[2048 * 4 + 5]).isEqualTo(17 * 2048 + 5);
            assertThat(y.floats()[2048 * 36 - 1]).isEqualTo(27 * 2048 + 2047);
        }
    }

    @Test
    void gatherAlongTheLastAxisOfALargeMatrixOnTwoThreads() {
        Tensor x = iota(400, 300);
        long[] idx = new long[200];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = 299 - i;
        }
        try (Parallel p = new Parallel(2)) {
            Tensor y = Op.of("Gather").attr("axis", 1L).threads(p).run(x, l(idx));
            assertThat(y.shape()).containsExactly(400, 200);
            for (int r = 0; r < 400; r += 37) {
                for (int c = 0; c < 200; c += 13) {
                    assertThat(y.floats()[r * 200 + c]).isEqualTo(r * 300 + 299 - c);
                }
            }
        }
    }

    @Test
    void gatherRejectsOutOfRangeIndices() {
        assertThatThrownBy(() -> Op.of("Gather").run(iota(3), l(3))).hasMessageContaining("index 3 is out of range")
                .hasMessageContaining("[-3, 2]");
    }

    @Test
    void gatherElementsPicksOnePerPosition() {
        Tensor data = Op.f(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor y = Op.of("GatherElements").attr("axis", 1L).run(data, Tensor.of(new long[] {0, 0, 1, 0}, 2, 2));
        assertThat(y.floats()).containsExactly(1, 1, 4, 3);
        // indices may be smaller than data in the other axes
        Tensor z = Op.of("GatherElements").attr("axis", 0L).run(iota(3, 3), Tensor.of(new long[] {-1, 0}, 1, 2));
        assertThat(z.floats()).containsExactly(6, 1);
    }

    @Test
    void gatherNdWithBatchDims() {
        Tensor data = iota(2, 2, 2);
        Tensor idx = Tensor.of(new long[] {1, 0}, 2, 1);
        Tensor y = Op.of("GatherND").attr("batch_dims", 1L).run(data, idx);
        assertThat(y.shape()).containsExactly(2, 2);
        assertThat(y.floats()).containsExactly(2, 3, 4, 5);
        Tensor full = Op.of("GatherND").run(data, Tensor.of(new long[] {1, 0, 1, 0, 1, -1}, 2, 3));
        assertThat(full.floats()).containsExactly(5, 3);
    }

    @Test
    void scatterNdOverwritesSlicesOrReducesIntoThem() {
        Tensor data = iota(4, 2);
        Tensor idx = Tensor.of(new long[] {2, 0, 2}, 3, 1);
        Tensor upd = Op.f(new float[] {10, 20, 30, 40, 50, 60}, 3, 2);
        assertThat(Op.of("ScatterND").run(data, idx, upd).floats()).containsExactly(30, 40, 2, 3, 50, 60, 6, 7);
        assertThat(Op.of("ScatterND").attr("reduction", "add").run(data, idx, upd).floats())
                .containsExactly(30, 41, 2, 3, 64, 85, 6, 7);
        assertThat(Op.of("ScatterND").attr("reduction", "max").run(data, idx, upd).floats())
                .containsExactly(30, 40, 2, 3, 50, 60, 6, 7);
        assertThat(data.floats()[0]).as("the input is untouched").isEqualTo(0);
    }

    @Test
    void scatterReductionsNeedTheirOpset() {
        assertThatThrownBy(() -> Op.of("ScatterND").opset(13).attr("reduction", "add").compile(3))
                .hasMessageContaining("needs opset 16");
        assertThatThrownBy(() -> Op.of("ScatterElements").opset(16).attr("reduction", "min").compile(3))
                .hasMessageContaining("needs opset 18");
        assertThatThrownBy(() -> Op.of("ScatterElements").attr("reduction", "avg").compile(3))
                .hasMessageContaining("[none, add, mul, max, min]");
    }

    @Test
    void scatterElementsAlongAxisOneWithMul() {
        Tensor data = Op.f(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor idx = Tensor.of(new long[] {2, 2, -3, 0}, 2, 2);
        Tensor upd = Op.f(new float[] {10, 2, 3, 4}, 2, 2);
        assertThat(Op.of("ScatterElements").attr("axis", 1L).run(data, idx, upd).floats())
                .containsExactly(1, 2, 2, 4, 5, 6); // none: the last write of a repeated index wins
        assertThat(Op.of("ScatterElements").attr("axis", 1L).attr("reduction", "mul").run(data, idx, upd).floats())
                .containsExactly(1, 2, 60, 48, 5, 6);
        assertThat(Op.of("Scatter").opset(10).attr("axis", 1L).run(data, idx, upd).floats())
                .containsExactly(1, 2, 2, 4, 5, 6);
    }
}
