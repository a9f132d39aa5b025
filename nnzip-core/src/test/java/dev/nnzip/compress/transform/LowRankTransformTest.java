package dev.nnzip.compress.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.nnzip.Nnz;
import dev.nnzip.TestModels;
import dev.nnzip.runtime.Model;
import dev.nnzip.runtime.Session;
import dev.nnzip.runtime.SessionOptions;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LowRankTransformTest {
    @TempDir
    Path dir;

    /** A rows × cols matrix of exact rank {@code rank} (a sum of random outer products) plus optional noise. */
    static float[] lowRank(int rows, int cols, int rank, double noise, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] w = new double[rows * cols];
        for (int k = 0; k < rank; k++) {
            double[] u = r.doubles(rows, -1, 1).toArray();
            double[] v = r.doubles(cols, -1, 1).toArray();
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    w[i * cols + j] += u[i] * v[j] / (k + 1);
                }
            }
        }
        float[] f = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            f[i] = (float) (w[i] * 0.1 + noise * r.nextGaussian());
        }
        return f;
    }

    @Test
    void singularValuesOfAKnownMatrix() {
        // [[3, 0], [0, -2], [0, 0]]: σ = 3, 2
        double[] s = TruncatedSvd.singularValues(new float[] {3, 0, 0, -2, 0, 0}, 3, 2);
        assertThat(s[0]).isCloseTo(3, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(s[1]).isCloseTo(2, org.assertj.core.data.Offset.offset(1e-12));
        // wide matrices go through the transpose: same values
        double[] t = TruncatedSvd.singularValues(new float[] {3, 0, 0, 0, -2, 0}, 2, 3);
        assertThat(t).containsExactly(s);
    }

    @Test
    void fullRankFactorsReconstructTheMatrixAndEnergyPicksTheNumericalRank() {
        float[] w = lowRank(40, 70, 6, 0, 1);
        double[] sigma = TruncatedSvd.singularValues(w, 40, 70);
        assertThat(TruncatedSvd.rankFor(sigma, 1.0)).isEqualTo(6);
        assertThat(TruncatedSvd.rankFor(sigma, 0.5)).isBetween(1, 3);
        TruncatedSvd.Factors f = TruncatedSvd.truncate(w, 40, 70, 6);
        double maxW = 0;
        double maxErr = 0;
        for (int i = 0; i < 40; i++) {
            for (int j = 0; j < 70; j++) {
                double s = 0;
                for (int k = 0; k < 6; k++) {
                    s += (double) f.left()[i * 6 + k] * f.right()[k * 70 + j];
                }
                maxErr = Math.max(maxErr, Math.abs(s - w[i * 70 + j]));
                maxW = Math.max(maxW, Math.abs(w[i * 70 + j]));
            }
        }
        assertThat(maxErr).isLessThan(1e-5 * maxW);
    }

    private Path model(String op, int in, int out, float[] w, boolean transB) throws Exception {
        TestModels m = TestModels.create().input("x", DType.FLOAT, -1, in);
        switch (op) {
            case "Gemm" -> m.weight("w", transB ? Tensor.of(transpose(w, in, out), out, in) : Tensor.of(w, in, out))
                    .weight("b", Tensor.of(bias(out), out))
                    .node("Gemm", "fc", new String[] {"x", "w", "b"}, new String[] {"y"},
                            TestModels.intAttr("transB", transB ? 1 : 0));
            case "MatMul" -> m.weight("w", Tensor.of(w, in, out))
                    .node("MatMul", "fc", new String[] {"x", "w"}, new String[] {"y"});
            default -> throw new IllegalArgumentException(op);
        }
        return m.output("y", DType.FLOAT, -1, out).write(dir.resolve(op + transB + ".onnx"));
    }

    private static float[] bias(int n) {
        float[] b = new float[n];
        for (int i = 0; i < n; i++) {
            b[i] = 0.01f * i;
        }
        return b;
    }

    private static float[] transpose(float[] x, int rows, int cols) {
        float[] t = new float[x.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = x[i * cols + j];
            }
        }
        return t;
    }

    private static float[] run(Path p, Map<String, Tensor> in) {
        try (Model m = Nnz.load(p); Session s = m.newSession(new SessionOptions(1))) {
            return s.run(in).values().iterator().next().floats();
        }
    }

    private static Map<String, Tensor> input(int batch, int features) {
        SplittableRandom r = new SplittableRandom(3);
        float[] x = new float[batch * features];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return Map.of("x", Tensor.of(x, batch, features));
    }

    private static void assertClose(float[] actual, float[] expected, double relative) {
        double scale = 0;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            assertThat(Math.abs((double) actual[i] - expected[i])).as("output %d", i).isLessThanOrEqualTo(relative
                    * scale);
        }
    }

    @Test
    void gemmAndMatMulOfLowRankWeightsAreSplitAndComputeTheSameAtEnergyOne() throws Exception {
        float[] w = lowRank(64, 48, 5, 0, 2);
        for (String op : List.of("Gemm:false", "Gemm:true", "MatMul:false")) {
            String[] p = op.split(":");
            Path original = model(p[0], 64, 48, w, Boolean.parseBoolean(p[1]));
            Path factored = dir.resolve("f-" + p[0] + p[1] + ".onnx");
            List<String> log = GraphTransforms.apply("lowrank:energy=1.0", original, factored);
            assertThat(log).singleElement().asString().contains("rank 5").contains("3072 -> 560 values");
            ModelProto proto = ModelProto.parseFrom(Files.readAllBytes(factored));
            assertThat(proto.getGraph().getNodeList()).extracting(NodeProto::getOpType)
                    .containsExactly("MatMul", p[0]);
            assertThat(proto.getGraph().getInitializerList()).noneMatch(t -> t.getName().equals("w"));
            Map<String, Tensor> in = input(5, 64);
            assertClose(run(factored, in), run(original, in), 1e-5);
        }
    }

    @Test
    void oneByOneConvIsSplitIntoTwoConvsWithTheStridesOnTheFirst() throws Exception {
        int inC = 32;
        int outC = 40;
        float[] w = lowRank(outC, inC, 3, 0, 4);
        Path original = TestModels.create().input("x", DType.FLOAT, 1, inC, 6, 6)
                .weight("w", Tensor.of(w, outC, inC, 1, 1)).weight("b", Tensor.of(bias(outC), outC))
                .node("Conv", "conv", new String[] {"x", "w", "b"}, new String[] {"y"},
                        ai.onnx.proto.OnnxMl.AttributeProto.newBuilder().setName("strides")
                                .setType(ai.onnx.proto.OnnxMl.AttributeProto.AttributeType.INTS).addInts(2).addInts(2)
                                .build(),
                        ai.onnx.proto.OnnxMl.AttributeProto.newBuilder().setName("pads")
                                .setType(ai.onnx.proto.OnnxMl.AttributeProto.AttributeType.INTS).addInts(1).addInts(1)
                                .addInts(1).addInts(1).build())
                .output("y", DType.FLOAT, 1, outC, 4, 4).write(dir.resolve("conv.onnx"));
        Path factored = dir.resolve("conv-f.onnx");
        assertThat(GraphTransforms.apply("lowrank:energy=1", original, factored)).singleElement().asString()
                .contains("rank 3");
        SplittableRandom r = new SplittableRandom(8);
        float[] x = new float[inC * 36];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        Map<String, Tensor> in = Map.of("x", Tensor.of(x, 1, inC, 6, 6));
        assertClose(run(factored, in), run(original, in), 1e-5);
    }

    @Test
    void fullRankWeightsAreKeptAndLowerEnergyLosesAccuracyGradually() throws Exception {
        float[] w = lowRank(64, 48, 48, 0.0, 5); // full rank, decaying spectrum
        Path original = model("MatMul", 64, 48, w, false);
        Path kept = dir.resolve("kept.onnx");
        assertThat(GraphTransforms.apply("lowrank:energy=1.0", original, kept)).singleElement().asString()
                .contains("not smaller: kept");
        assertThat(ModelProto.parseFrom(Files.readAllBytes(kept)).getGraph().getNodeCount()).isEqualTo(1);
        Path cut = dir.resolve("cut.onnx");
        assertThat(GraphTransforms.apply("lowrank:energy=0.9", original, cut)).singleElement().asString()
                .doesNotContain("kept");
        Map<String, Tensor> in = input(4, 64);
        assertClose(run(cut, in), run(original, in), 0.5); // close, not equal: 10 % of the energy is gone
    }

    @Test
    void badSpecsListTheValidChoices() {
        assertThatThrownBy(() -> GraphTransforms.parse("svd")).hasMessageContaining("expected one of [lowrank, filters, actscale]");
        assertThatThrownBy(() -> GraphTransforms.parse("lowrank:rank=4")).hasMessageContaining("valid: energy");
        assertThatThrownBy(() -> GraphTransforms.parse("lowrank:energy=1.5")).hasMessageContaining("energy");
    }
}
