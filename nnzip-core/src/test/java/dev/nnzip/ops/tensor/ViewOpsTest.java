package dev.nnzip.ops.tensor;

import static dev.nnzip.ops.tensor.Op.iota;
import static dev.nnzip.ops.tensor.Op.l;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nnzip.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Flatten, Reshape, Squeeze, Unsqueeze, Identity: shapes, defaults, errors, and that the data is shared, not copied. */
class ViewOpsTest {
    @Test
    void flattenSplitsTheShapeAtAxis() {
        Tensor x = iota(2, 3, 4, 5);
        assertThat(Op.of("Flatten").run(x).shape()).containsExactly(2, 60); // default axis 1
        assertThat(Op.of("Flatten").attr("axis", 0L).run(x).shape()).containsExactly(1, 120);
        assertThat(Op.of("Flatten").attr("axis", 4L).run(x).shape()).containsExactly(120, 1);
        assertThat(Op.of("Flatten").attr("axis", -1L).run(x).shape()).containsExactly(24, 5);
        assertThat(Op.of("Flatten").run(x).data()).isSameAs(x.data());
    }

    @Test
    void flattenRejectsAnAxisPastTheRank() {
        assertThatThrownBy(() -> Op.of("Flatten").attr("axis", 5L).run(iota(2, 3, 4, 5)))
                .hasMessageContaining("axis 5").hasMessageContaining("[-4, 4]");
    }

    @Test
    void reshapeCopiesZeroDimsAndInfersMinusOne() {
        Tensor x = iota(2, 3, 4);
        Tensor y = Op.of("Reshape").run(x, l(0, -1, 2));
        assertThat(y.shape()).containsExactly(2, 6, 2);
        assertThat(y.data()).isSameAs(x.data());
        assertThat(Op.of("Reshape").run(x, l(-1)).shape()).containsExactly(24);
        assertThat(Op.of("Reshape").run(x, l(4, 0, 2)).shape()).containsExactly(4, 3, 2);
    }

    @Test
    void reshapeWithAllowZeroMakesEmptyDimensions() {
        Tensor empty = Tensor.zeros(dev.nnzip.tensor.DType.FLOAT, 0, 3, 4);
        Tensor y = Op.of("Reshape").opset(14).attr("allowzero", 1L).run(empty, l(3, 4, 0));
        assertThat(y.shape()).containsExactly(3, 4, 0);
        // without allowzero the 0 copies the input's dimension 2 (4)
        assertThat(Op.of("Reshape").run(iota(3, 4, 2), l(3, 4, 0)).shape()).containsExactly(3, 4, 2);
    }

    @Test
    void reshapeErrorsNameBothShapes() {
        assertThatThrownBy(() -> Op.of("Reshape").run(iota(2, 3), l(4, -1)))
                .hasMessageContaining("[2, 3]").hasMessageContaining("[4, -1]").hasMessageContaining("multiple of 4");
        assertThatThrownBy(() -> Op.of("Reshape").run(iota(2, 3), l(-1, -1)))
                .hasMessageContaining("more than one dimension is -1");
        assertThatThrownBy(() -> Op.of("Reshape").run(iota(2, 3), l(5)))
                .hasMessageContaining("the input has 6 elements, the target shape 5");
        assertThatThrownBy(() -> Op.of("Reshape").run(iota(2, 3), l(2, 3, 0)))
                .hasMessageContaining("dimension 2 is 0");
    }

    @Test
    void squeezeTakesAxesFromAttributeBeforeOpset13AndFromInputAfter() {
        Tensor x = iota(1, 3, 1, 2);
        assertThat(Op.of("Squeeze").opset(11).ints("axes", -2).run(x).shape()).containsExactly(1, 3, 2);
        assertThat(Op.of("Squeeze").opset(13).run(x, l(0)).shape()).containsExactly(3, 1, 2);
        assertThat(Op.of("Squeeze").opset(13).run(x).shape()).containsExactly(3, 2);
        assertThat(Op.of("Squeeze").opset(13).run(x).data()).isSameAs(x.data());
        assertThatThrownBy(() -> Op.of("Squeeze").run(x, l(1))).hasMessageContaining("its size is 3, not 1");
    }

    @Test
    void unsqueezeInsertsAtOutputPositionsInAnyOrder() {
        Tensor x = iota(3, 4);
        assertThat(Op.of("Unsqueeze").run(x, l(2, 0)).shape()).containsExactly(1, 3, 1, 4);
        assertThat(Op.of("Unsqueeze").run(x, l(-1)).shape()).containsExactly(3, 4, 1);
        assertThat(Op.of("Unsqueeze").opset(11).ints("axes", 1, 3).run(x).shape()).containsExactly(3, 1, 4, 1);
        assertThat(Op.of("Unsqueeze").run(Tensor.scalar(2f), l(0)).shape()).containsExactly(1);
        assertThatThrownBy(() -> Op.of("Unsqueeze").run(x, l(1, -3))).hasMessageContaining("twice");
    }

    @Test
    void identityHandsOnTheSameTensor() {
        Tensor x = iota(2, 2);
        assertThat(Op.of("Identity").run(x)).isSameAs(x);
    }
}
