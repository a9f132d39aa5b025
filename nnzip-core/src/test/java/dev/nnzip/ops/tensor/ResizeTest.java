package dev.nnzip.ops.tensor;

import static dev.nnzip.ops.tensor.Op.iota;
import static dev.nnzip.ops.tensor.Op.l;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Resize and Upsample: hand-checked values, and opset 18/19 behaviour checked against ONNX Runtime. */
class ResizeTest {
    @TempDir
    Path dir;

    private static Tensor scales(float... s) {
        return Tensor.of(s, s.length);
    }

    @Test
    void nearestHalfPixelUpsampleRepeatsElements() {
        Tensor y = Op.of("Resize").opset(13).run(Op.f(new float[] {1, 2}, 2), null, scales(2));
        assertThat(y.floats()).containsExactly(1, 1, 2, 2);
    }

    @Test
    void linearHalfPixelClampsAtTheEdges() {
        // x_in = (x + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25
        Tensor y = Op.of("Resize").opset(13).attr("mode", "linear").run(Op.f(new float[] {0, 10}, 2), null,
                scales(2));
        assertThat(y.floats()).containsExactly(0f, 2.5f, 7.5f, 10f);
    }

    @Test
    void bilinearAlignCornersOnSizes() {
        Tensor x = Op.f(new float[] {0, 3, 6, 9}, 1, 1, 2, 2);
        Tensor y = Op.of("Resize").opset(13).attr("mode", "linear").attr("coordinate_transformation_mode",
                "align_corners").run(x, null, null, l(1, 1, 3, 4));
        assertThat(y.shape()).containsExactly(1, 1, 3, 4);
        assertThat(y.floats()).containsExactly(
                0, 1, 2, 3,
                3, 4, 5, 6,
                6, 7, 8, 9);
    }

    @Test
    void nearestWorksOnIntegerTensorsAndKeepsTheType() {
        Tensor x = Tensor.wrap(DType.UINT8, new int[] {1, 2}, new long[] {7, 200});
        Tensor y = Op.of("Resize").opset(13).attr("nearest_mode", "floor").run(x, null, scales(1, 1.5f));
        assertThat(y.dtype()).isEqualTo(DType.UINT8);
        assertThat(y.longs()).containsExactly(7, 7, 200);
    }

    @Test
    void cropAndResizeWritesTheExtrapolationValueOutsideTheRoi() {
        Tensor x = Op.f(new float[] {0, 10}, 2);
        Tensor roi = Op.f(new float[] {0.5f, 1.5f}, 2);
        Tensor y = Op.of("Resize").opset(13).attr("mode", "linear")
                .attr("coordinate_transformation_mode", "tf_crop_and_resize").attr("extrapolation_value", -1f)
                .run(x, roi, null, l(3));
        // x_in = 0.5, 1.0, 1.5 (outside [0, 1])
        assertThat(y.floats()).containsExactly(5f, 10f, -1f);
    }

    @Test
    void upsampleAndResize10UseAsymmetricCoordinates() {
        Tensor x = iota(1, 1, 2, 2);
        Tensor up = Op.of("Upsample").opset(9).run(x, scales(1, 1, 2, 2));
        assertThat(up.floats()).containsExactly(0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3);
        Tensor up7 = Op.of("Upsample").opset(7).floats("scales", 1, 1, 1, 2).attr("mode", "linear").run(x);
        assertThat(up7.floats()).containsExactly(0, 0.5f, 1, 1, 2, 2.5f, 3, 3);
        Tensor down = Op.of("Resize").opset(10).run(iota(4), scales(0.5f));
        assertThat(down.floats()).containsExactly(0, 2);
    }

    @Test
    void keepAspectRatioUsesOneScale() {
        Tensor y = Op.of("Resize").opset(18).attr("keep_aspect_ratio_policy", "not_larger")
                .run(iota(2, 4), null, null, l(3, 5));
        // scale = min(3/2, 5/4) = 1.25: output [round(2.5), round(5)] = [3, 5]
        assertThat(y.shape()).containsExactly(3, 5);
        Tensor z = Op.of("Resize").opset(18).attr("keep_aspect_ratio_policy", "not_smaller")
                .run(iota(2, 4), null, null, l(3, 5));
        assertThat(z.shape()).containsExactly(3, 6);
    }

    @Test
    void axesRestrictScalesToTheListedAxes() {
        Tensor y = Op.of("Resize").opset(18).ints("axes", -1).run(iota(2, 2), null, scales(2));
        assertThat(y.shape()).containsExactly(2, 4);
        assertThat(y.floats()).containsExactly(0, 0, 1, 1, 2, 2, 3, 3);
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> Op.of("Resize").opset(13).run(iota(2), null, scales(2), l(4)))
                .hasMessageContaining("exactly one of 'scales' and 'sizes'");
        assertThatThrownBy(() -> Op.of("Resize").opset(18).attr("coordinate_transformation_mode",
                "half_pixel_symmetric").compile(3)).hasMessageContaining("needs opset 19");
        assertThatThrownBy(() -> Op.of("Resize").attr("mode", "area").compile(3))
                .hasMessageContaining("[nearest, linear, cubic]");
        assertThatThrownBy(() -> Op.of("Resize").opset(13).run(iota(2, 2), null, scales(2)))
                .hasMessageContaining("must have 2 entries");
    }

    static Stream<Arguments> ortCases() {
        return Stream.of(
                // mode, coordinate mode, antialias, exclude_outside, nearest mode, scales (null = sizes), sizes
                Arguments.of("linear", "half_pixel", 1L, 0L, "round_prefer_floor", new float[] {1, 1, 0.6f, 0.35f}, null),
                Arguments.of("cubic", "half_pixel", 1L, 0L, "round_prefer_floor", new float[] {1, 1, 0.5f, 0.3f}, null),
                Arguments.of("cubic", "pytorch_half_pixel", 1L, 1L, "round_prefer_floor", null, new long[] {1, 2, 3, 4}),
                Arguments.of("linear", "half_pixel_symmetric", 0L, 0L, "round_prefer_floor",
                        new float[] {1, 1, 1.7f, 0.8f}, null),
                Arguments.of("cubic", "align_corners", 0L, 1L, "round_prefer_floor", new float[] {1, 1, 2, 1.5f}, null),
                Arguments.of("nearest", "asymmetric", 0L, 0L, "ceil", new float[] {1, 1, 1.5f, 0.7f}, null),
                Arguments.of("nearest", "tf_half_pixel_for_nn", 0L, 0L, "round_prefer_ceil", null,
                        new long[] {1, 2, 8, 5}), // 9 rows would hit x = 3.5, a tie float32 and float64 round apart
                Arguments.of("linear", "asymmetric", 0L, 0L, "round_prefer_floor", new float[] {1, 1, 1, 3}, null));
    }

    @ParameterizedTest(name = "{0} {1} antialias={2} exclude_outside={3} {4}")
    @MethodSource("ortCases")
    void matchesOnnxRuntime(String mode, String coordinates, long antialias, long excludeOutside, String nearest,
                            float[] scales, long[] sizes) throws Exception {
        int opset = coordinates.equals("tf_half_pixel_for_nn") ? 13 : 19;
        OrtReference ref = new OrtReference("Resize", opset).attr("mode", mode)
                .attr("coordinate_transformation_mode", coordinates).attr("exclude_outside", excludeOutside)
                .attr("nearest_mode", nearest);
        if (opset >= 18) {
            ref.attr("antialias", antialias);
        }
        Tensor x = random(1, 2, 7, 10);
        Tensor[] r = ref.run(dir, x, null, scales == null ? null : scales(scales), sizes == null ? null : l(sizes));
        assertClose(r[1], r[0]);
    }

    @Test
    void resize10AndUpsampleNearestMatchOnnxRuntime() throws Exception {
        Tensor x = random(1, 2, 7, 10);
        Tensor[] down = new OrtReference("Resize", 10).attr("mode", "nearest").run(dir, x, scales(1, 1, 0.6f, 0.45f));
        assertClose(down[1], down[0]);
        Tensor[] up = new OrtReference("Upsample", 9).attr("mode", "linear").run(dir, x, scales(1, 1, 2.5f, 1.5f));
        assertClose(up[1], up[0]);
    }

    @Test
    void axesAndKeepAspectRatioMatchOnnxRuntime() throws Exception {
        Tensor x = random(2, 6, 9);
        Tensor[] r = new OrtReference("Resize", 19).attr("mode", "linear").ints("axes", 2, 1)
                .attr("keep_aspect_ratio_policy", "not_smaller").run(dir, x, null, null, l(4, 4));
        assertClose(r[1], r[0]);
    }

    private static Tensor random(int... shape) {
        Random rnd = new Random(7);
        Tensor t = iota(shape);
        float[] v = t.floats();
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextFloat() * 10 - 5;
        }
        return t;
    }

    private static void assertClose(Tensor actual, Tensor expected) {
        assertThat(actual.shape()).containsExactly(expected.shape());
        float[] a = actual.floats();
        float[] e = expected.floats();
        for (int i = 0; i < e.length; i++) {
            assertThat(a[i]).as("element %d", i).isCloseTo(e[i], within(1e-4f + 1e-4f * Math.abs(e[i])));
        }
    }
}
