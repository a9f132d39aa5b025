package dev.nnzip.compress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnzip.TestModels;
import dev.nnzip.codec.Codecs;
import dev.nnzip.format.NnzFile;
import dev.nnzip.format.NnzTensor;
import dev.nnzip.kernels.Parallel;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which tensors the default policy gives per-row widths, end to end through {@link ModelCompressor} (where BatchNorm
 * folding happens): the filters of grouped convolutions, folded or not, and nothing else.
 */
class DefaultRowStepsTest {
    @TempDir
    Path dir;

    private static Tensor positive(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = 0.5f + r.nextFloat();
        }
        return Tensor.of(v, n);
    }

    /**
     * x → dw1 (depthwise, then BatchNormalization) → pw (1×1, then BatchNormalization) → dw2 (depthwise, no
     * BatchNormalization) → Flatten → Gemm fc.
     */
    private Path model() throws Exception {
        Random r = new Random(11);
        TestModels m = TestModels.create()
                .input("x", DType.FLOAT, 1, 32, 4, 4).output("y", DType.FLOAT, 1, 10)
                .weight("dw1", TestModels.gaussian(r, 0.3f, 0, 32, 1, 3, 3))   // 288 values
                .weight("pw", TestModels.gaussian(r, 0.3f, 0, 32, 32, 1, 1))   // 1,024 values
                .weight("dw2", TestModels.gaussian(r, 0.3f, 0, 32, 1, 3, 3))
                .weight("fc", TestModels.gaussian(r, 0.1f, 0, 512, 10))
                .weight("fc_b", TestModels.gaussian(r, 0.1f, 0, 10));
        for (String bn : new String[] {"bn1", "bn2"}) {
            m.weight(bn + "_g", positive(r, 32)).weight(bn + "_b", TestModels.gaussian(r, 0.1f, 0, 32))
                    .weight(bn + "_m", TestModels.gaussian(r, 0.1f, 0, 32)).weight(bn + "_v", positive(r, 32));
        }
        return m.node("Conv", "dwconv1", new String[] {"x", "dw1"}, new String[] {"c1"},
                        TestModels.intAttr("group", 32), TestModels.intsAttr("pads", 1, 1, 1, 1))
                .node("BatchNormalization", "bn1", new String[] {"c1", "bn1_g", "bn1_b", "bn1_m", "bn1_v"},
                        new String[] {"n1"})
                .node("Conv", "pwconv", new String[] {"n1", "pw"}, new String[] {"c2"})
                .node("BatchNormalization", "bn2", new String[] {"c2", "bn2_g", "bn2_b", "bn2_m", "bn2_v"},
                        new String[] {"n2"})
                .node("Conv", "dwconv2", new String[] {"n2", "dw2"}, new String[] {"c3"},
                        TestModels.intAttr("group", 32), TestModels.intsAttr("pads", 1, 1, 1, 1))
                .node("Flatten", "flat", new String[] {"c3"}, new String[] {"f"})
                .node("Gemm", "gemm", new String[] {"f", "fc", "fc_b"}, new String[] {"y"})
                .write(dir.resolve("separable.onnx"));
    }

    /** The codec spec a tensor of the .nnz records, e.g. {@code smartdnn:rowsteps=true}. */
    private static String recorded(NnzFile file, String name) {
        NnzTensor t = file.tensors().get(name);
        return Codecs.byName(t.codec()).describe(t.params());
    }

    @Test
    void defaultGivesPerRowWidthsToGroupedConvolutionFiltersOnly() throws Exception {
        assertThat(CompressionPolicy.defaults().rowSteps()).isEqualTo(RowStepScope.GROUPED);
        Path nnz = dir.resolve("separable.nnz");
        try (Parallel p = new Parallel(1)) {
            ModelCompressor.compress(model(), nnz, CompressionPolicy.defaults(), p, ModelCompressor.Progress.NONE);
        }
        try (NnzFile file = NnzFile.open(nnz)) {
            assertThat(recorded(file, "dw1")).isEqualTo("smartdnn:rowsteps=true"); // grouped, BatchNorm folded
            assertThat(recorded(file, "dw2")).isEqualTo("smartdnn:rowsteps=true"); // grouped, nothing folded
            assertThat(recorded(file, "pw")).isEqualTo("smartdnn");                // folded, not grouped
            assertThat(recorded(file, "fc")).isEqualTo("smartdnn");
        }
    }

    @Test
    void foldedScopeFollowsWhatTheCompressorFolded() throws Exception {
        Path nnz = dir.resolve("folded.nnz");
        try (Parallel p = new Parallel(1)) {
            ModelCompressor.compress(model(), nnz, CompressionPolicy.defaults().withRowSteps(RowStepScope.FOLDED), p,
                    ModelCompressor.Progress.NONE);
        }
        try (NnzFile file = NnzFile.open(nnz)) {
            assertThat(recorded(file, "dw1")).isEqualTo("smartdnn:rowsteps=true");
            assertThat(recorded(file, "pw")).isEqualTo("smartdnn:rowsteps=true");
            assertThat(recorded(file, "dw2")).isEqualTo("smartdnn");
            assertThat(recorded(file, "fc")).isEqualTo("smartdnn");
        }
    }
}
