package dev.nnzip.compress.transform;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.nnzip.Nnz;
import dev.nnzip.TestModels;
import dev.nnzip.onnx.OnnxTensors;
import dev.nnzip.runtime.Model;
import dev.nnzip.runtime.Session;
import dev.nnzip.runtime.SessionOptions;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilterPruneTransformTest {
    static final int C1 = 8;
    static final int C2 = 6;
    static final int CLASSES = 10;
    /** Spatial size after the 2×2 max pool of an 8×8 input: 4×4; features into the Gemm: C2 × 16. */
    static final int S = 16;

    @TempDir
    Path dir;

    private static float[] gaussian(SplittableRandom r, int n, double sigma) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * sigma);
        }
        return v;
    }

    private static AttributeProto ints(String name, long... v) {
        return TestModels.intsAttr(name, v);
    }

    /**
     * Conv(1→8, 3×3) → BatchNorm → Relu → MaxPool → Conv(8→6, 3×3) → Relu → Flatten → Gemm(96→10). The filters in
     * {@code dead1}/{@code dead2} are all zero with zero bias (and a BatchNorm that maps 0 to 0), so their channels are zero
     * everywhere: removing them must not change the output.
     */
    static Path model(Path file, Set1 dead1, Set1 dead2) throws Exception {
        SplittableRandom r = new SplittableRandom(1);
        float[] w1 = gaussian(r, C1 * 9, 0.5);
        float[] b1 = gaussian(r, C1, 0.1);
        float[] gamma = gaussian(r, C1, 1);
        float[] beta = gaussian(r, C1, 0.1);
        float[] mean = gaussian(r, C1, 0.1);
        float[] var = new float[C1];
        Arrays.fill(var, 1.5f);
        float[] w2 = gaussian(r, C2 * C1 * 9, 0.3);
        float[] b2 = gaussian(r, C2, 0.1);
        for (int c : dead1.values()) {
            Arrays.fill(w1, c * 9, c * 9 + 9, 0f);
            b1[c] = 0;
            beta[c] = 0;
            mean[c] = 0;
        }
        for (int c : dead2.values()) {
            Arrays.fill(w2, c * C1 * 9, (c + 1) * C1 * 9, 0f);
            b2[c] = 0;
        }
        float[] w3 = gaussian(r, CLASSES * C2 * S, 0.2);
        return TestModels.create().input("x", DType.FLOAT, -1, 1, 8, 8)
                .weight("w1", Tensor.of(w1, C1, 1, 3, 3)).weight("b1", Tensor.of(b1, C1))
                .weight("gamma", Tensor.of(gamma, C1)).weight("beta", Tensor.of(beta, C1))
                .weight("mean", Tensor.of(mean, C1)).weight("var", Tensor.of(var, C1))
                .weight("w2", Tensor.of(w2, C2, C1, 3, 3)).weight("b2", Tensor.of(b2, C2))
                .weight("w3", Tensor.of(w3, CLASSES, C2 * S)).weight("b3", Tensor.of(new float[CLASSES], CLASSES))
                .node("Conv", "conv1", new String[] {"x", "w1", "b1"}, new String[] {"c1"}, ints("pads", 1, 1, 1, 1))
                .node("BatchNormalization", "bn1", new String[] {"c1", "gamma", "beta", "mean", "var"},
                        new String[] {"n1"})
                .node("Relu", "relu1", new String[] {"n1"}, new String[] {"r1"})
                .node("MaxPool", "pool", new String[] {"r1"}, new String[] {"p1"}, ints("kernel_shape", 2, 2),
                        ints("strides", 2, 2))
                .node("Conv", "conv2", new String[] {"p1", "w2", "b2"}, new String[] {"c2"}, ints("pads", 1, 1, 1, 1))
                .node("Relu", "relu2", new String[] {"c2"}, new String[] {"r2"})
                .node("Flatten", "flat", new String[] {"r2"}, new String[] {"f"})
                .node("Gemm", "fc", new String[] {"f", "w3", "b3"}, new String[] {"y"},
                        TestModels.intAttr("transB", 1))
                .output("y", DType.FLOAT, -1, CLASSES).write(file);
    }

    record Set1(int... values) {
    }

    static float[] run(Path p, Tensor x) {
        try (Model m = Nnz.load(p); Session s = m.newSession(new SessionOptions(1))) {
            Tensor y = s.run(Map.of("x", x)).get("y");
            assertThat(y.shape()).containsExactly(x.dim(0), CLASSES);
            return y.floats();
        }
    }

    static Tensor images(int n) {
        return Tensor.of(gaussian(new SplittableRandom(2), n * 64, 1), n, 1, 8, 8);
    }

    private static Map<String, int[]> initializerShapes(Path p) throws Exception {
        return ModelProto.parseFrom(Files.readAllBytes(p)).getGraph().getInitializerList().stream()
                .collect(Collectors.toMap(TensorProto::getName, OnnxTensors::shapeOf));
    }

    @Test
    void removingDeadFiltersShrinksEveryConsumerAndChangesNothing() throws Exception {
        Path original = model(dir.resolve("m.onnx"), new Set1(1, 4, 5, 6), new Set1(0, 2, 3));
        Path pruned = dir.resolve("p.onnx");
        List<String> log = GraphTransforms.apply("filters:sparsity=0.5", original, pruned);
        assertThat(log).containsExactly("Conv conv1: 4 of 8 filters kept (L1), Conv conv2 shrunk",
                "Conv conv2: 3 of 6 filters kept (L1), Gemm fc shrunk");
        Map<String, int[]> shapes = initializerShapes(pruned);
        assertThat(shapes.get("w1")).containsExactly(4, 1, 3, 3);
        assertThat(shapes.get("b1")).containsExactly(4);
        for (String bn : List.of("gamma", "beta", "mean", "var")) {
            assertThat(shapes.get(bn)).containsExactly(4);
        }
        assertThat(shapes.get("w2")).containsExactly(3, 4, 3, 3);
        assertThat(shapes.get("b2")).containsExactly(3);
        assertThat(shapes.get("w3")).containsExactly(CLASSES, 3 * S);
        assertThat(Files.size(pruned)).isLessThan(Files.size(original) / 2);

        Tensor x = images(3);
        float[] expected = run(original, x);
        float[] actual = run(pruned, x);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    @Test
    void theSmallestL1FiltersGo() {
        float[] w = {1, -1, /* L1 2 */ 0.5f, 0.5f, /* 1 */ -3, 0, /* 3 */ 0.25f, 0 /* 0.25 */};
        assertThat(FilterPruneTransform.strongest(Tensor.of(w, 4, 2), 2)).containsExactly(0, 2);
        Tensor t = Tensor.of(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 2, 6);
        assertThat(FilterPruneTransform.slice(t, 1, new int[] {0, 2}, 2).floats())
                .containsExactly(0, 1, 4, 5, 6, 7, 10, 11);
    }

    @Test
    void convsFeedingAResidualAddAreLeftAlone() throws Exception {
        SplittableRandom r = new SplittableRandom(3);
        Path p = TestModels.create().input("x", DType.FLOAT, 1, 4, 5, 5)
                .weight("w", Tensor.of(gaussian(r, 4 * 4, 1), 4, 4, 1, 1))
                .weight("w2", Tensor.of(gaussian(r, 4 * 4, 1), 4, 4, 1, 1))
                .node("Conv", "a", new String[] {"x", "w"}, new String[] {"h"})
                .node("Add", "res", new String[] {"h", "x"}, new String[] {"s"})
                .node("Conv", "b", new String[] {"s", "w2"}, new String[] {"y"})
                .output("y", DType.FLOAT, 1, 4, 5, 5).write(dir.resolve("res.onnx"));
        assertThat(GraphTransforms.apply("filters:sparsity=0.5", p, dir.resolve("res-p.onnx"))).isEmpty();
    }
}
