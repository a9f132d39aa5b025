package dev.nnzip.ops.tensor;

import static dev.nnzip.ops.tensor.Op.iota;
import static dev.nnzip.ops.tensor.Op.l;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** NonZero, OneHot, TopK, Trilu, CumSum. */
class IndexingOpsTest {
    @Test
    void nonZeroListsCoordinatesInRowMajorOrder() {
        Tensor x = Op.f(new float[] {0, 3, 0, 5, 0, Float.NaN}, 2, 3);
        Tensor y = Op.of("NonZero").run(x);
        assertThat(y.shape()).containsExactly(2, 3);
        assertThat(y.longs()).containsExactly(0, 1, 1, /* cols */ 1, 0, 2);
        assertThat(Op.of("NonZero").run(Tensor.of(new boolean[] {false, false}, 2)).shape()).containsExactly(1, 0);
    }

    @Test
    void oneHotInsertsTheDepthAxis() {
        Tensor values = Op.f(new float[] {0, 5}, 2);
        Tensor y = Op.of("OneHot").attr("axis", 0L).run(l(1, -1, 3), Tensor.scalar(3L), values);
        assertThat(y.shape()).containsExactly(3, 3);
        // columns are the indices 1, -1 (= 2), 3 (out of range: all off)
        assertThat(y.floats()).containsExactly(
                0, 0, 0,
                5, 0, 0,
                0, 5, 0);
        // opset 9 does not wrap negative indices
        Tensor old = Op.of("OneHot").opset(9).run(l(-1), Tensor.scalar(2f), values);
        assertThat(old.floats()).containsExactly(0, 0);
    }

    @Test
    void topKBreaksTiesByLowerIndex() {
        Tensor x = Op.f(new float[] {3, 1, 3, 2, 5, 5}, 1, 6);
        Tensor[] r = Op.of("TopK").outputs(2).runAll(x, l(3));
        assertThat(r[0].floats()).containsExactly(5, 5, 3);
        assertThat(r[1].longs()).containsExactly(4, 5, 0);
        Tensor[] small = Op.of("TopK").outputs(2).attr("largest", 0L).runAll(x, l(2));
        assertThat(small[0].floats()).containsExactly(1, 2);
        assertThat(small[1].longs()).containsExactly(1, 3);
    }

    @Test
    void topKAlongAnOuterAxisOfIntegers() {
        Tensor x = Tensor.wrap(DType.INT32, new int[] {3, 2}, new long[] {1, 9, 7, 9, 4, 0});
        Tensor[] r = Op.of("TopK").opset(11).outputs(2).attr("axis", 0L).runAll(x, l(2));
        assertThat(r[0].dtype()).isEqualTo(DType.INT32);
        assertThat(r[0].longs()).containsExactly(7, 9, 4, 9);
        assertThat(r[1].longs()).containsExactly(1, 0, 2, 1);
        Tensor[] attrK = Op.of("TopK").opset(1).outputs(2).attr("k", 1L).runAll(iota(2, 3));
        assertThat(attrK[0].floats()).containsExactly(2, 5);
        assertThatThrownBy(() -> Op.of("TopK").outputs(2).runAll(iota(2, 3), l(4))).hasMessageContaining("k=4");
    }

    @Test
    void triluKeepsTheTriangleAroundTheOffsetDiagonal() {
        Tensor x = Op.f(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 3, 3);
        assertThat(Op.of("Trilu").run(x).floats()).containsExactly(1, 2, 3, 0, 5, 6, 0, 0, 9);
        assertThat(Op.of("Trilu").run(x, Tensor.scalar(1L)).floats()).containsExactly(0, 2, 3, 0, 0, 6, 0, 0, 0);
        assertThat(Op.of("Trilu").attr("upper", 0L).run(x, Tensor.scalar(-1L)).floats())
                .containsExactly(0, 0, 0, 4, 0, 0, 7, 8, 0);
        Tensor b = Tensor.of(new boolean[] {true, true, true, true}, 2, 2);
        assertThat(Op.of("Trilu").attr("upper", 0L).run(b).booleans()).containsExactly(true, false, true, true);
    }

    @Test
    void cumSumExclusiveAndReverse() {
        Tensor x = Op.f(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertThat(Op.of("CumSum").run(x, Tensor.scalar(1L)).floats()).containsExactly(1, 3, 6, 4, 9, 15);
        assertThat(Op.of("CumSum").attr("exclusive", 1L).attr("reverse", 1L).run(x, Tensor.scalar(-1L)).floats())
                .containsExactly(5, 3, 0, 11, 6, 0);
        Tensor ints = Tensor.wrap(DType.INT32, new int[] {2, 2}, new long[] {1, 2, 3, 4});
        Tensor y = Op.of("CumSum").run(ints, Tensor.wrap(DType.INT32, new int[] {}, new long[] {0}));
        assertThat(y.dtype()).isEqualTo(DType.INT32);
        assertThat(y.longs()).containsExactly(1, 2, 4, 6);
    }
}
