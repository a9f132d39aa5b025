package dev.nnzip.compress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnzip.Nnz;
import dev.nnzip.TestModels;
import dev.nnzip.codec.ErrorBound;
import dev.nnzip.codec.spi.PayloadReader;
import dev.nnzip.codec.spi.SpecText;
import dev.nnzip.format.NnzExport;
import dev.nnzip.format.NnzFile;
import dev.nnzip.format.NnzTensor;
import dev.nnzip.kernels.Parallel;
import dev.nnzip.runtime.Model;
import dev.nnzip.runtime.Session;
import dev.nnzip.runtime.SessionOptions;
import dev.nnzip.runtime.weights.MemoryMode;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each survey codec end to end: ONNX → ModelCompressor → .nnz → run, in every memory mode. The .nnz records the codec and
 * its settings; every mode computes the same bits as eager; the export back to ONNX carries the same decoded weights; and
 * the output stays close to the uncompressed model's.
 */
class SurveyCodecsThroughNnzTest {
    static final int LAYERS = 4;
    static final int WIDTH = 96;

    @TempDir
    static Path dir;
    static Path onnx;

    /** An MLP of MatMul + Add + Relu layers, weights with per-row scales like a trained layer's. */
    @BeforeAll
    static void buildModel() throws Exception {
        SplittableRandom rnd = new SplittableRandom(5);
        TestModels m = TestModels.create().input("x", DType.FLOAT, -1, WIDTH);
        String prev = "x";
        for (int l = 0; l < LAYERS; l++) {
            float[] w = new float[WIDTH * WIDTH];
            for (int row = 0; row < WIDTH; row++) {
                double sigma = Math.exp(rnd.nextGaussian(0, 0.3)) / Math.sqrt(WIDTH);
                for (int c = 0; c < WIDTH; c++) {
                    w[row * WIDTH + c] = (float) rnd.nextGaussian(0, sigma);
                }
            }
            float[] b = new float[WIDTH];
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) rnd.nextGaussian(0, 0.1);
            }
            m.weight("w" + l, Tensor.of(w, WIDTH, WIDTH)).weight("b" + l, Tensor.of(b, WIDTH))
                    .node("MatMul", "mm" + l, new String[] {prev, "w" + l}, new String[] {"h" + l})
                    .node("Add", "add" + l, new String[] {"h" + l, "b" + l}, new String[] {"a" + l})
                    .node("Relu", "relu" + l, new String[] {"a" + l}, new String[] {"r" + l});
            prev = "r" + l;
        }
        onnx = m.node("Identity", "out", new String[] {prev}, new String[] {"y"})
                .output("y", DType.FLOAT, -1, WIDTH).write(dir.resolve("mlp.onnx"));
    }

    static Map<String, Tensor> input() {
        SplittableRandom rnd = new SplittableRandom(17);
        float[] x = new float[3 * WIDTH];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return Map.of("x", Tensor.of(x, 3, WIDTH));
    }

    static float[] run(Model m, SessionOptions options) {
        try (Session s = m.newSession(options)) {
            return s.run(input()).get("y").floats();
        }
    }

    /** Codec spec, the text the .nnz records for the layer weights, and the largest output difference allowed. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "int8                        | int8:asym=false,axis=0      | 0.05",
        "int8:asym=true,axis=-1      | int8:asym=true,axis=-1      | 0.05",
        "int4:block=64               | int4:block=64               | 0.5",
        "fp16                        | fp16                        | 0.005",
        "bf16                        | bf16                        | 0.05",
        "kmeans:bits=5               | kmeans:bits=5               | 0.2",
        "prune:sparsity=0.3          | prune:sparsity=0.3          | 2.0",
        "prune:sparsity=0.3+smartdnn | prune:sparsity=0.3+smartdnn | 2.0",
        "prune:threshold=0.01+int8   | prune:threshold=0.01+int8   | 2.0",
    })
    void roundTripsThroughNnzInEveryMemoryMode(String spec, String recorded, double tolerance) throws Exception {
        Path nnz = dir.resolve(spec.replaceAll("[^a-z0-9]", "_") + ".nnz");
        CompressionReport report;
        try (Parallel p = new Parallel(2)) {
            report = ModelCompressor.compress(onnx, nnz, CompressionPolicy.of(spec, ErrorBound.relative(0.01)), p,
                    ModelCompressor.Progress.NONE);
        }
        String codec = spec.split("[:+]")[0];
        try (NnzFile file = NnzFile.open(nnz)) {
            for (int l = 0; l < LAYERS; l++) {
                NnzTensor t = file.tensors().get("w" + l);
                assertThat(t.codec()).isEqualTo(codec);
                PayloadReader params = new PayloadReader(t.params());
                params.u8("version");
                assertThat(SpecText.read(params)).isEqualTo(recorded);
                assertThat(t.maxError()).isLessThanOrEqualTo(t.errorBound());
            }
            assertThat(file.tensors().get("b0").codec()).isEqualTo("lossless");
        }
        assertThat(report.tensors()).allSatisfy(t -> assertThat(t.maxAbsError()).isLessThanOrEqualTo(t.errorBound()));

        float[] original;
        try (Model m = Nnz.load(onnx)) {
            original = run(m, new SessionOptions(1));
        }
        float[] eager;
        try (Model m = Nnz.load(nnz, MemoryMode.EAGER)) {
            eager = run(m, new SessionOptions(1));
        }
        double maxDiff = 0;
        for (int i = 0; i < eager.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs((double) eager[i] - original[i]));
        }
        assertThat(maxDiff).as("output difference vs the uncompressed model").isLessThanOrEqualTo(tolerance);

        long total = (long) LAYERS * WIDTH * WIDTH * 4;
        for (MemoryMode mode : List.of(MemoryMode.LAYERWISE, MemoryMode.PREFETCH, MemoryMode.budget(0),
                MemoryMode.budget(total / 3), MemoryMode.budget(total))) {
            try (Model m = Nnz.load(nnz, mode)) {
                for (int threads : new int[] {1, 2}) {
                    assertThat(run(m, new SessionOptions(threads, mode))).as("%s, %d threads", mode, threads)
                            .containsExactly(eager);
                }
            }
        }
        Path exported = dir.resolve(nnz.getFileName() + ".onnx");
        NnzExport.toOnnx(nnz, exported);
        try (Model m = Nnz.load(exported)) {
            assertThat(run(m, new SessionOptions(1))).as("exported ONNX").containsExactly(eager);
        }
    }
}
