package dev.nnzip.ops.tensor;

import static dev.nnzip.ops.tensor.Op.iota;
import static dev.nnzip.ops.tensor.Op.l;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Slice (clamping, negative steps, attribute form), Concat and Split (all three ways of giving the sizes). */
class SliceConcatSplitTest {
    @Test
    void sliceWithNegativeStepWalksBackwardsAndClampsPerSpec() {
        Tensor x = iota(10);
        // start 20 clamps to 9 for a negative step, end -100 clamps to -1: 9, 7, 5, 3, 1
        assertThat(Op.of("Slice").run(x, l(20), l(-100), l(0), l(-2)).floats()).containsExactly(9, 7, 5, 3, 1);
        // end = INT64_MIN means "through the start" for negative steps
        assertThat(Op.of("Slice").run(x, l(-1), l(Long.MIN_VALUE), l(0), l(-4)).floats()).containsExactly(9, 5, 1);
        // ends past the axis clamp to its length; empty when start >= end
        assertThat(Op.of("Slice").run(x, l(7), l(Long.MAX_VALUE)).floats()).containsExactly(7, 8, 9);
        assertThat(Op.of("Slice").run(x, l(5), l(2)).shape()).containsExactly(0);
    }

    @Test
    void sliceOfAMatrixSelectsTheBlock() {
        Tensor x = iota(3, 4);
        Tensor y = Op.of("Slice").run(x, l(1, -3), l(3, -1), l(0, -1), l(1, 2));
        assertThat(y.shape()).containsExactly(2, 1);
        assertThat(y.floats()).containsExactly(5, 9);
        // a step larger than the axis takes only the start
        assertThat(Op.of("Slice").run(x, l(1), l(4), l(1), l(100)).floats()).containsExactly(1, 5, 9);
    }

    @Test
    void sliceBeforeOpset10ReadsAttributes() {
        Tensor y = Op.of("Slice").opset(9).ints("starts", 0, 1).ints("ends", 2, 1000).ints("axes", 0, 1)
                .run(iota(3, 3));
        assertThat(y.floats()).containsExactly(1, 2, 4, 5);
    }

    @Test
    void sliceRejectsZeroStepsAndRepeatedAxes() {
        assertThatThrownBy(() -> Op.of("Slice").run(iota(4), l(0), l(4), l(0), l(0))).hasMessageContaining("step");
        assertThatThrownBy(() -> Op.of("Slice").run(iota(4, 4), l(0, 0), l(1, 1), l(0, -2), l(1, 1)))
                .hasMessageContaining("twice");
    }

    @Test
    void concatJoinsAlongANegativeAxisAndSkipsEmptyInputs() {
        Tensor a = iota(2, 2);
        Tensor b = Op.f(new float[] {9, 8}, 2, 1);
        Tensor empty = Tensor.zeros(DType.FLOAT, 2, 0);
        Tensor y = Op.of("Concat").attr("axis", -1L).run(a, empty, b);
        assertThat(y.shape()).containsExactly(2, 3);
        assertThat(y.floats()).containsExactly(0, 1, 9, 2, 3, 8);
        Tensor rows = Op.of("Concat").attr("axis", 0L).run(a, a);
        assertThat(rows.floats()).containsExactly(0, 1, 2, 3, 0, 1, 2, 3);
    }

    @Test
    void concatOfInt64ShapesKeepsTheType() {
        Tensor y = Op.of("Concat").attr("axis", 0L).run(l(1, 2), l(3));
        assertThat(y.dtype()).isEqualTo(DType.INT64);
        assertThat(y.longs()).containsExactly(1, 2, 3);
    }

    @Test
    void concatRejectsMismatchedShapesNamingThem() {
        assertThatThrownBy(() -> Op.of("Concat").attr("axis", 0L).run(iota(2, 2), iota(2, 3)))
                .hasMessageContaining("FLOAT[2, 2]").hasMessageContaining("FLOAT[2, 3]");
    }

    @Test
    void splitCutsEquallyByDefault() {
        Tensor[] parts = Op.of("Split").outputs(3).attr("axis", 1L).runAll(iota(2, 6));
        assertThat(parts[0].floats()).containsExactly(0, 1, 6, 7);
        assertThat(parts[2].floats()).containsExactly(4, 5, 10, 11);
    }

    @Test
    void splitSizesComeFromTheAttributeBefore13AndTheInputAfter() {
        Tensor x = iota(6);
        Tensor[] old = Op.of("Split").opset(11).outputs(2).ints("split", 2, 4).runAll(x);
        assertThat(old[0].floats()).containsExactly(0, 1);
        assertThat(old[1].floats()).containsExactly(2, 3, 4, 5);
        Tensor[] now = Op.of("Split").opset(13).outputs(3).runAll(x, l(1, 0, 5));
        assertThat(now[1].shape()).containsExactly(0);
        assertThat(now[2].floats()).containsExactly(1, 2, 3, 4, 5);
        assertThatThrownBy(() -> Op.of("Split").opset(13).outputs(2).runAll(x, l(1, 2)))
                .hasMessageContaining("sum to dimension 0");
    }

    @Test
    void splitWithNumOutputsMakesTheLastPartSmaller() {
        Tensor[] parts = Op.of("Split").opset(18).outputs(3).attr("num_outputs", 3L).runAll(iota(7));
        assertThat(parts[0].floats()).containsExactly(0, 1, 2);
        assertThat(parts[1].floats()).containsExactly(3, 4, 5);
        assertThat(parts[2].floats()).containsExactly(6);
        assertThatThrownBy(() -> Op.of("Split").opset(13).outputs(3).runAll(iota(7)))
                .hasMessageContaining("3 equal parts");
    }
}
