package dev.nnzip.ops.tensor;

import static dev.nnzip.ops.tensor.Op.iota;
import static dev.nnzip.ops.tensor.Op.l;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Shape, Size, ConstantOfShape, Range, EyeLike, Expand, Tile. */
class ShapeAndGeneratorOpsTest {
    @Test
    void shapeWithStartAndEndClampsToTheRank() {
        Tensor x = iota(2, 3, 4, 5);
        assertThat(Op.of("Shape").run(x).longs()).containsExactly(2, 3, 4, 5);
        assertThat(Op.of("Shape").opset(15).attr("start", 1L).attr("end", -1L).run(x).longs()).containsExactly(3, 4);
        assertThat(Op.of("Shape").opset(15).attr("start", -10L).attr("end", 10L).run(x).longs())
                .containsExactly(2, 3, 4, 5);
        assertThat(Op.of("Shape").opset(15).attr("start", 3L).attr("end", 1L).run(x).shape()).containsExactly(0);
    }

    @Test
    void sizeIsAnInt64Scalar() {
        Tensor s = Op.of("Size").run(iota(2, 3));
        assertThat(s.shape()).isEmpty();
        assertThat(s.longs()).containsExactly(6);
    }

    @Test
    void constantOfShapeFillsWithTheValueAttributeType() {
        Tensor v = Tensor.wrap(DType.INT32, new int[] {1}, new long[] {7});
        Tensor y = Op.of("ConstantOfShape").attr("value", v).run(l(2, 2));
        assertThat(y.dtype()).isEqualTo(DType.INT32);
        assertThat(y.longs()).containsExactly(7, 7, 7, 7);
        Tensor zero = Op.of("ConstantOfShape").run(l());
        assertThat(zero.shape()).isEmpty();
        assertThat(zero.floats()).containsExactly(0f);
    }

    @Test
    void rangeCountsExactlyForIntegersAndAccumulatesFloats() {
        Tensor ints = Op.of("Range").run(Tensor.of(new long[] {10}), Tensor.of(new long[] {4}),
                Tensor.of(new long[] {-3}));
        assertThat(ints.longs()).containsExactly(10, 7);
        Tensor floats = Op.of("Range").run(Tensor.scalar(1f), Tensor.scalar(2f), Tensor.scalar(0.25f));
        assertThat(floats.floats()).containsExactly(1f, 1.25f, 1.5f, 1.75f);
        Tensor none = Op.of("Range").run(Tensor.of(new long[] {0}), Tensor.of(new long[] {5}),
                Tensor.of(new long[] {-1}));
        assertThat(none.shape()).containsExactly(0);
        assertThatThrownBy(() -> Op.of("Range").run(Tensor.scalar(0L), Tensor.scalar(1f), Tensor.scalar(1f)))
                .hasMessageContaining("share one type");
    }

    @Test
    void eyeLikeShiftsTheDiagonalAndCastsToDtype() {
        Tensor y = Op.of("EyeLike").attr("k", -1L).attr("dtype", (long) DType.INT64.onnxId()).run(iota(3, 2));
        assertThat(y.dtype()).isEqualTo(DType.INT64);
        assertThat(y.longs()).containsExactly(0, 0, 1, 0, 0, 1);
        assertThat(Op.of("EyeLike").run(iota(2, 3)).floats()).containsExactly(1, 0, 0, 0, 1, 0);
    }

    @Test
    void expandBroadcastsBothWays() {
        Tensor col = Op.f(new float[] {1, 2}, 2, 1);
        Tensor y = Op.of("Expand").run(col, l(2, 1, 3));
        assertThat(y.shape()).containsExactly(2, 2, 3);
        assertThat(y.floats()).containsExactly(1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2);
        // a 1 in the target keeps the input's dimension
        assertThat(Op.of("Expand").run(iota(2, 3), l(1, 1)).shape()).containsExactly(2, 3);
        assertThatThrownBy(() -> Op.of("Expand").run(iota(2, 3), l(4, 3))).hasMessageContaining("cannot be broadcast");
    }

    @Test
    void tileRepeatsEachAxis() {
        Tensor y = Op.of("Tile").run(Op.f(new float[] {1, 2, 3, 4}, 2, 2), l(2, 3));
        assertThat(y.shape()).containsExactly(4, 6);
        assertThat(y.floats()).containsExactly(
                1, 2, 1, 2, 1, 2,
                3, 4, 3, 4, 3, 4,
                1, 2, 1, 2, 1, 2,
                3, 4, 3, 4, 3, 4);
        assertThat(Op.of("Tile").run(iota(2), l(0)).shape()).containsExactly(0);
        assertThatThrownBy(() -> Op.of("Tile").run(iota(2), l(1, 1))).hasMessageContaining("one entry per axis");
    }
}
