package dev.nnzip.compress.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.nnzip.Nnz;
import dev.nnzip.TestModels;
import dev.nnzip.graph.Graph;
import dev.nnzip.onnx.OnnxImporter;
import dev.nnzip.onnx.OnnxTensors;
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

class ActivationScalingTransformTest {
    private static final int C = 8;

    @TempDir
    Path dir;

    /**
     * x → Relu → h; h feeds MatMul(wq), MatMul(wv), Gemm(wg, transB = 1) and, as a residual would, Add(h, h).
     */
    private Path model() throws Exception {
        return TestModels.create().input("x", DType.FLOAT, 3, C)
                .weight("wq", Tensor.of(gaussian(C * 4, 1), C, 4))
                .weight("wv", Tensor.of(gaussian(C * 4, 2), C, 4))
                .weight("wg", Tensor.of(gaussian(4 * C, 3), 4, C))
                .node("Relu", "relu", new String[] {"x"}, new String[] {"h"})
                .node("MatMul", "q", new String[] {"h", "wq"}, new String[] {"q"})
                .node("MatMul", "v", new String[] {"h", "wv"}, new String[] {"v"})
                .node("Gemm", "g", new String[] {"h", "wg"}, new String[] {"g"}, TestModels.intAttr("transB", 1))
                .node("Add", "qv", new String[] {"q", "v"}, new String[] {"qv"})
                .node("Add", "residual", new String[] {"h", "h"}, new String[] {"res"})
                .output("qv", DType.FLOAT, 3, 4).output("g", DType.FLOAT, 3, 4).output("res", DType.FLOAT, 3, C)
                .write(dir.resolve("m.onnx"));
    }

    /** Positive inputs whose channel k is about (k + 1)² times larger than channel 0: the Relu passes them. */
    private static List<Map<String, Tensor>> feeds(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Map<String, Tensor>> out = new java.util.ArrayList<>();
        for (int f = 0; f < n; f++) {
            float[] x = new float[3 * C];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) ((i % C + 1) * (i % C + 1) * r.nextDouble(0.5, 1.5));
            }
            out.add(Map.of("x", Tensor.of(x, 3, C)));
        }
        return out;
    }

    @Test
    void statisticsAreTheMeanSquareOfEachChannelOfTheLayerInputs() throws Exception {
        try (OnnxImporter.Imported m = OnnxImporter.read(model())) {
            checkStatistics(m.graph());
        }
    }

    private static void checkStatistics(Graph graph) {
        assertThat(ActivationStatistics.layerInputs(graph)).containsExactly("h");
        List<Map<String, Tensor>> feeds = feeds(4, 7);
        double[] expected = new double[C];
        for (Map<String, Tensor> f : feeds) {
            float[] x = f.get("x").floats();
            for (int i = 0; i < x.length; i++) {
                expected[i % C] += (double) x[i] * x[i] / (3 * feeds.size());
            }
        }
        double[] ms = ActivationStatistics.meanSquares(graph, java.util.Set.of("h"), feeds, 1).get("h");
        for (int k = 0; k < C; k++) {
            assertThat(ms[k]).isCloseTo(expected[k], within(1e-9 * expected[k]));
        }
    }

    @Test
    void rewritesIntoOneSharedMulAndRowScaledWeightsThatComputeTheSame() throws Exception {
        Path original = model();
        Path scaled = dir.resolve("scaled.onnx");
        List<String> log = GraphTransforms.apply("actscale", original, scaled, g -> feeds(4, 7), 1);
        assertThat(log).singleElement().asString().startsWith("h: 8 channels, 3 layer(s)");

        ModelProto proto = ModelProto.parseFrom(Files.readAllBytes(scaled));
        List<NodeProto> nodes = proto.getGraph().getNodeList();
        assertThat(nodes).filteredOn(n -> n.getOpType().equals("Mul")).singleElement()
                .satisfies(n -> assertThat(n.getInputList()).containsExactly("h", "h_actscale_inv"));
        assertThat(nodes).filteredOn(n -> List.of("MatMul", "Gemm").contains(n.getOpType()))
                .allSatisfy(n -> assertThat(n.getInput(0)).isEqualTo("h_actscaled"));
        assertThat(nodes).filteredOn(n -> n.getName().equals("residual")).singleElement()
                .satisfies(n -> assertThat(n.getInputList()).containsExactly("h", "h"));

        // s_k = sqrt(E[h_k²]) / geometric mean: row k relative to row 0 grows by sqrt(E[h_k²] / E[h_0²]).
        double[] ms;
        try (OnnxImporter.Imported m = OnnxImporter.read(original)) {
            ms = ActivationStatistics.meanSquares(m.graph(), java.util.Set.of("h"), feeds(4, 7), 1).get("h");
        }
        float[] before = weight(ModelProto.parseFrom(Files.readAllBytes(original)), "wq");
        float[] after = weight(proto, "wq");
        float[] gBefore = weight(ModelProto.parseFrom(Files.readAllBytes(original)), "wg");
        float[] gAfter = weight(proto, "wg");
        double s0 = after[0] / before[0];
        for (int k = 1; k < C; k++) {
            double sk = after[k * 4] / before[k * 4];
            double want = Math.sqrt(ms[k] / ms[0]);
            assertThat(sk / s0).isCloseTo(want, within(1e-5 * want));
            // transB = 1: the Gemm's columns carry the input channels
            assertThat((double) gAfter[k] / gBefore[k]).isCloseTo(sk, within(1e-5 * sk));
        }

        for (Map<String, Tensor> in : feeds(2, 99)) {
            Map<String, Tensor> want = run(original, in);
            Map<String, Tensor> got = run(scaled, in);
            for (String out : List.of("qv", "g", "res")) {
                float[] a = got.get(out).floats();
                float[] e = want.get(out).floats();
                for (int i = 0; i < e.length; i++) {
                    assertThat((double) a[i]).as("%s[%d]", out, i).isCloseTo(e[i], within(1e-5 * (1 + Math.abs(e[i]))));
                }
            }
        }
    }

    @Test
    void alphaZeroLeavesTheWeightsAsTheyWere() throws Exception {
        Path original = model();
        Path scaled = dir.resolve("a0.onnx");
        GraphTransforms.apply("actscale:alpha=0", original, scaled, g -> feeds(2, 7), 1);
        assertThat(weight(ModelProto.parseFrom(Files.readAllBytes(scaled)), "wv"))
                .containsExactly(weight(ModelProto.parseFrom(Files.readAllBytes(original)), "wv"));
    }

    @Test
    void withoutCalibrationDataItSaysWhatToGive() {
        assertThatThrownBy(() -> GraphTransforms.parse("actscale")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("calibration inputs").hasMessageContaining("--text")
                .hasMessageContaining("--dataset");
        assertThatThrownBy(() -> GraphTransforms.parse("actscale:alpha=2", g -> List.of(), 1))
                .hasMessageContaining("alpha");
    }

    private static float[] weight(ModelProto proto, String name) {
        for (TensorProto t : proto.getGraph().getInitializerList()) {
            if (t.getName().equals(name)) {
                return OnnxTensors.toTensor(t, null).floats();
            }
        }
        throw new AssertionError("no initializer " + name);
    }

    private static Map<String, Tensor> run(Path p, Map<String, Tensor> in) {
        try (Model m = Nnz.load(p); Session s = m.newSession(new SessionOptions(1))) {
            return s.run(in);
        }
    }

    private static float[] gaussian(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) r.nextGaussian();
        }
        return out;
    }
}
