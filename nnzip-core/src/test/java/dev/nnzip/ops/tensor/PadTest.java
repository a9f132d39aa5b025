package dev.nnzip.ops.tensor;

import static dev.nnzip.ops.tensor.Op.iota;
import static dev.nnzip.ops.tensor.Op.l;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Pad in every mode, with expected values from numpy.pad; attribute and input forms; negative pads; axes. */
class PadTest {
    @TempDir
    Path dir;

    private static final Tensor X = Op.f(new float[] {1, 2, 3}, 3);

    private static float[] pad(String mode, long... pads) {
        return Op.of("Pad").opset(19).attr("mode", mode).run(X, l(pads)).floats();
    }

    @Test
    void everyModeMatchesNumpy() {
        assertThat(pad("constant", 2, 3)).containsExactly(0, 0, 1, 2, 3, 0, 0, 0);
        assertThat(pad("reflect", 2, 3)).containsExactly(3, 2, 1, 2, 3, 2, 1, 2);
        assertThat(pad("edge", 2, 3)).containsExactly(1, 1, 1, 2, 3, 3, 3, 3);
        assertThat(pad("wrap", 2, 3)).containsExactly(2, 3, 1, 2, 3, 1, 2, 3);
        // reflect further than the axis keeps mirroring, as numpy does
        assertThat(pad("reflect", 5, 0)).containsExactly(2, 1, 2, 3, 2, 1, 2, 3);
    }

    @Test
    void reflectsAMatrixOnTwoAxes() {
        Tensor y = Op.of("Pad").attr("mode", "reflect").run(iota(2, 3), l(1, 0, 0, 2));
        assertThat(y.shape()).containsExactly(3, 5);
        assertThat(y.floats()).containsExactly(3, 4, 5, 4, 3, 0, 1, 2, 1, 0, 3, 4, 5, 4, 3);
    }

    @Test
    void negativePadsCrop() {
        assertThat(pad("constant", -1, 1)).containsExactly(2, 3, 0);
        assertThat(pad("edge", 1, -2)).containsExactly(1, 1);
        assertThat(pad("constant", -3, 0)).isEmpty();
    }

    @Test
    void constantValueInputAndAxesInput() {
        Tensor y = Op.of("Pad").opset(18).run(iota(2, 2), l(1, 0), Tensor.scalar(9f), l(-1));
        assertThat(y.shape()).containsExactly(2, 3);
        assertThat(y.floats()).containsExactly(9, 0, 1, 9, 2, 3);
        Tensor ints = Op.of("Pad").run(l(4, 5), l(1, 1), Tensor.of(new long[] {-7}));
        assertThat(ints.longs()).containsExactly(-7, 4, 5, -7);
    }

    @Test
    void attributeFormBeforeOpset11() {
        Tensor y = Op.of("Pad").opset(2).ints("pads", 0, 1, 0, 1).attr("value", 1.5f).run(iota(1, 2));
        assertThat(y.floats()).containsExactly(1.5f, 0, 1, 1.5f);
    }

    @Test
    void padsBoolTensors() {
        Tensor b = Tensor.of(new boolean[] {true}, 1);
        Tensor y = Op.of("Pad").run(b, l(1, 1));
        assertThat(y.dtype()).isEqualTo(DType.BOOL);
        assertThat(y.booleans()).containsExactly(false, true, false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"constant", "reflect", "edge", "wrap"})
    void everyModeWithAxesAndCroppingMatchesOnnxRuntime(String mode) throws Exception {
        Tensor x = iota(2, 3, 4, 5);
        Tensor[] r = new OrtReference("Pad", 19).attr("mode", mode)
                .run(dir, x, l(2, -1, 0, 3), Tensor.scalar(-2f), l(1, -1));
        assertThat(r[1].shape()).containsExactly(r[0].shape());
        assertThat(r[1].floats()).containsExactly(r[0].floats());
    }

    @Test
    void rejectsWrongPadCountsAndUnknownModes() {
        assertThatThrownBy(() -> Op.of("Pad").run(iota(2, 2), l(1, 1))).hasMessageContaining("2 × 2 entries");
        assertThatThrownBy(() -> Op.of("Pad").attr("mode", "mirror").compile(2))
                .hasMessageContaining("[constant, reflect, edge, wrap]");
    }
}
