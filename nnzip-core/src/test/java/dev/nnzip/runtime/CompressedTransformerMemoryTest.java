package dev.nnzip.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnzip.Nnz;
import dev.nnzip.codec.ErrorBound;
import dev.nnzip.compress.CompressionPolicy;
import dev.nnzip.compress.ModelCompressor;
import dev.nnzip.kernels.Parallel;
import dev.nnzip.runtime.weights.MemoryMode;
import dev.nnzip.tensor.Tensor;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 4's memory acceptance on a transformer, from the engine's own accounting:
 * all-MiniLM-L6-v2, compressed at the default policy, run in every memory mode. In layerwise and prefetch mode the peak
 * of decoded weights stays within twice the largest single layer's decoded weights (MiniLM: its 30,522 × 384 word
 * embedding table is never decoded whole, Gather reads only the rows a sentence needs), and the outputs of every mode
 * are bit-for-bit those of eager mode.
 */
class CompressedTransformerMemoryTest {
    private static final Path MODELS = Path.of(System.getProperty("nnzip.models.dir", "../models"));

    @TempDir
    static Path dir;

    static Stream<String> models() {
        return Stream.of("all-minilm-l6-v2"); // the reference CNNs: CompressedModelMemoryTest
    }

    private static Path onnx(String name) throws Exception {
        if (!name.startsWith("all-minilm")) {
            return MODELS.resolve(name + ".onnx");
        }
        Path out = dir.resolve(name + ".onnx");
        try (InputStream in = CompressedTransformerMemoryTest.class.getResourceAsStream("/all-minilm-l6-v2.onnx")) {
            assumeTrue(in != null, "all-minilm-l6-v2.onnx not on the test classpath");
            Files.copy(in, out);
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void layerwiseModesStayNearOneLayerAndAllModesAgree(String name) throws Exception {
        Path source = onnx(name);
        Path nnz = dir.resolve(name + ".nnz");
        try (Parallel par = new Parallel(2)) {
            ModelCompressor.compress(source, nnz, CompressionPolicy.of("smartdnn", ErrorBound.relative(0.01)), par,
                    ModelCompressor.Progress.NONE);
        }
        Map<String, Tensor> inputs;
        float[] reference;
        long decodedTotal;
        try (Model eager = Nnz.load(nnz, MemoryMode.EAGER)) {
            inputs = SyntheticInputs.forModel(eager.inputs(), 2, 16, Map.of(), 7);
            reference = firstOutput(eager, MemoryMode.EAGER, inputs);
            decodedTotal = eager.decodedWeightBytes();
        }
        List<MemoryMode> modes = new ArrayList<>(List.of(MemoryMode.LAYERWISE, MemoryMode.PREFETCH,
                MemoryMode.budget(0), MemoryMode.budget(decodedTotal / 4), MemoryMode.budget(decodedTotal / 2),
                MemoryMode.budget(decodedTotal)));
        for (MemoryMode mode : modes) {
            try (Model m = Nnz.load(nnz, mode)) {
                m.weightAccounting().resetPeak();
                assertThat(firstOutput(m, mode, inputs)).as("%s in %s", name, mode).containsExactly(reference);
                if (mode.kind() != MemoryMode.Kind.BUDGET) {
                    long layer = m.largestLayerBytes();
                    assertThat(m.weightAccounting().peakBytes()).as("%s peak decoded weights in %s (largest layer %,d"
                            + " B)", name, mode, layer).isPositive().isLessThanOrEqualTo(2 * layer);
                    assertThat(m.residentWeightBytes()).as("released after the run").isZero();
                }
            }
        }
        if (name.startsWith("all-minilm")) {
            try (Model m = Nnz.load(nnz, MemoryMode.PREFETCH)) {
                m.weightAccounting().resetPeak();
                firstOutput(m, MemoryMode.PREFETCH, inputs);
                long table = 30522L * 384 * 4;
                assertThat(m.weightAccounting().peakBytes()).as("the word embedding table is never decoded whole")
                        .isLessThan(table / 10);
            }
        }
    }

    private static float[] firstOutput(Model m, MemoryMode mode, Map<String, Tensor> inputs) {
        try (Session s = m.newSession(new SessionOptions(2, mode))) {
            return s.run(inputs).values().iterator().next().floats();
        }
    }
}
