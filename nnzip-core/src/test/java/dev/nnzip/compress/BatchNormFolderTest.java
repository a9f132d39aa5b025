package dev.nnzip.compress;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.nnzip.Nnz;
import dev.nnzip.TestModels;
import dev.nnzip.graph.Weight;
import dev.nnzip.onnx.OnnxImporter;
import dev.nnzip.runtime.Model;
import dev.nnzip.runtime.Session;
import dev.nnzip.runtime.SessionOptions;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchNormFolderTest {
    @TempDir
    Path dir;

    private static Tensor random(Random r, float scale, float offset, int... shape) {
        return TestModels.gaussian(r, scale, offset, shape);
    }

    /** conv1 (no bias) → bn1 → Relu → conv2 (bias) → bn2 → y, plus conv3 whose output is also a graph output. */
    private static ModelProto model() {
        Random r = new Random(7);
        float[] var1 = random(r, 0.5f, 0, 4).floats();
        for (int i = 0; i < var1.length; i++) {
            var1[i] = Math.abs(var1[i]) + 0.01f; // variances span two orders of magnitude
        }
        return TestModels.create()
                .input("x", DType.FLOAT, 1, 3, 6, 6)
                .output("y", DType.FLOAT, 1, 5, 6, 6)
                .output("c3", DType.FLOAT, 1, 2, 6, 6)
                .weight("w1", random(r, 0.3f, 0, 4, 3, 3, 3))
                .weight("g1", random(r, 0.2f, 1, 4)).weight("b1", random(r, 0.1f, 0, 4))
                .weight("m1", random(r, 0.1f, 0, 4)).weight("v1", Tensor.of(var1, 4))
                .weight("w2", random(r, 0.3f, 0, 5, 4, 1, 1)).weight("cb2", random(r, 0.1f, 0, 5))
                .weight("g2", random(r, 0.2f, 1, 5)).weight("b2", random(r, 0.1f, 0, 5))
                .weight("m2", random(r, 0.1f, 0, 5)).weight("v2", random(r, 0.1f, 1, 5))
                .weight("w3", random(r, 0.3f, 0, 2, 3, 1, 1))
                .node("Conv", "conv1", new String[] {"x", "w1"}, new String[] {"c1"}, TestModels.intAttr("group", 1))
                .node("BatchNormalization", "bn1", new String[] {"c1", "g1", "b1", "m1", "v1"}, new String[] {"n1"})
                .node("Relu", "relu", new String[] {"n1"}, new String[] {"r1"})
                .node("Conv", "conv2", new String[] {"r1", "w2", "cb2"}, new String[] {"c2"})
                .node("BatchNormalization", "bn2", new String[] {"c2", "g2", "b2", "m2", "v2"}, new String[] {"y"})
                .node("Conv", "conv3", new String[] {"x", "w3"}, new String[] {"c3"})
                .build();
    }

    private Map<String, Tensor> run(ModelProto proto, String file, Tensor x) throws Exception {
        Path p = dir.resolve(file);
        Files.write(p, proto.toByteArray());
        try (Model m = Nnz.load(p); Session s = m.newSession(new SessionOptions(1))) {
            return s.run(Map.of("x", x));
        }
    }

    @Test
    void foldsConvBatchNormPairsAndKeepsOutputs() throws Exception {
        ModelProto original = model();
        Map<String, Weight> weights = OnnxImporter.convert(original).weights();
        BatchNormFolder.Folded folded = BatchNormFolder.fold(original, weights);

        assertThat(folded.pairs()).isEqualTo(2);
        assertThat(folded.model().getGraph().getNodeList()).extracting(NodeProto::getOpType)
                .containsExactly("Conv", "Relu", "Conv", "Conv");
        assertThat(folded.model().getGraph().getInitializerList()).extracting(TensorProto::getName)
                .doesNotContain("g1", "b1", "m1", "v1", "g2", "b2", "m2", "v2")
                .contains("w1", "w1.folded_bias", "w2", "cb2", "w3");
        assertThat(folded.rewritten()).containsExactlyInAnyOrder("w1", "w1.folded_bias", "w2", "cb2");
        // Each folded bias's output channels spread by |γ|·σ/√(σ² + ε), what the BatchNormalization normalised them to.
        assertThat(folded.biasOutputScales()).containsOnlyKeys("w1.folded_bias", "cb2");
        for (String[] pair : new String[][] {{"w1.folded_bias", "g1", "v1"}, {"cb2", "g2", "v2"}}) {
            float[] gamma = weights.get(pair[1]).decode().floats();
            float[] var = weights.get(pair[2]).decode().floats();
            float[] scales = folded.biasOutputScales().get(pair[0]);
            assertThat(scales).hasSameSizeAs(gamma);
            for (int c = 0; c < gamma.length; c++) {
                double expected = Math.abs(gamma[c]) * Math.sqrt(var[c] / (var[c] + 1e-5));
                assertThat((double) scales[c]).as("%s[%d]", pair[0], c).isCloseTo(expected,
                        org.assertj.core.data.Offset.offset(1e-6 * expected));
            }
        }

        Tensor x = random(new Random(3), 1, 0, 1, 3, 6, 6);
        Map<String, Tensor> expected = run(original, "original.onnx", x);
        Map<String, Tensor> actual = run(folded.model(), "folded.onnx", x);
        for (String out : new String[] {"y", "c3"}) {
            float[] e = expected.get(out).floats();
            float[] a = actual.get(out).floats();
            assertThat(a).hasSameSizeAs(e);
            for (int i = 0; i < e.length; i++) {
                assertThat(a[i]).as("%s[%d]", out, i).isCloseTo(e[i], org.assertj.core.data.Offset.offset(
                        1e-4f * Math.max(1, Math.abs(e[i]))));
            }
        }
    }

    @Test
    void leavesPairAloneWhenConvOutputIsAlsoUsedElsewhere() {
        ModelProto m = TestModels.create()
                .input("x", DType.FLOAT, 1, 2, 4, 4).output("y", DType.FLOAT, 1, 2, 4, 4)
                .output("c", DType.FLOAT, 1, 2, 4, 4)
                .weight("w", Tensor.of(new float[] {1, 2, 3, 4}, 2, 2, 1, 1))
                .weight("g", Tensor.of(new float[] {1, 2}, 2)).weight("b", Tensor.of(new float[] {0, 1}, 2))
                .weight("m", Tensor.of(new float[] {0, 1}, 2)).weight("v", Tensor.of(new float[] {1, 4}, 2))
                .node("Conv", "conv", new String[] {"x", "w"}, new String[] {"c"})
                .node("BatchNormalization", "bn", new String[] {"c", "g", "b", "m", "v"}, new String[] {"y"})
                .build();
        BatchNormFolder.Folded folded = BatchNormFolder.fold(m, OnnxImporter.convert(m).weights());
        assertThat(folded.pairs()).isZero();
        assertThat(folded.model()).isSameAs(m);
    }
}
