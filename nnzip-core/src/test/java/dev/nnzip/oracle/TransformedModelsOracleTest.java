package dev.nnzip.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnzip.Nnz;
import dev.nnzip.codec.ErrorBound;
import dev.nnzip.compress.CompressionPolicy;
import dev.nnzip.compress.ModelCompressor;
import dev.nnzip.compress.transform.GraphTransforms;
import dev.nnzip.eval.ModelClassifier;
import dev.nnzip.format.NnzExport;
import dev.nnzip.kernels.Parallel;
import dev.nnzip.runtime.Model;
import dev.nnzip.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The graph transforms on the reference models: the rewritten graph loads and runs in nnzip, is compressed, exported back
 * to ONNX, and ONNX Runtime loads the export and computes the same logits as nnzip does on the .nnz (so the shapes of
 * every shrunk layer check in an independent engine).
 */
class TransformedModelsOracleTest {
    @TempDir
    static Path dir;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"vgg, filters:sparsity=0.25", "lenet5, filters:sparsity=0.5", "mobilenetv2, lowrank:energy=0.9",
        "lenet300, lowrank:energy=0.9"})
    void exportOfATransformedModelRunsInOnnxRuntime(String name, String transform) throws Exception {
        Path onnx = ReferenceModelsOracleTest.MODELS_DIR.resolve(name + ".onnx");
        Path transformed = dir.resolve(name + ".t.onnx");
        List<String> log = GraphTransforms.apply(transform, onnx, transformed);
        assertThat(log).as("layers rewritten").anyMatch(l -> !l.endsWith("not smaller: kept"));
        Path nnz = dir.resolve(name + ".nnz");
        try (Parallel p = new Parallel(2)) {
            ModelCompressor.compress(transformed, nnz, CompressionPolicy.of("uniform", ErrorBound.relative(0.001)), p,
                    ModelCompressor.Progress.NONE);
        }
        Path exported = dir.resolve(name + ".exported.onnx");
        NnzExport.toOnnx(nnz, exported);
        SplittableRandom r = new SplittableRandom(7);
        float[] x = new float[8 * 28 * 28];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble(0, 255);
        }
        Tensor images = Tensor.of(x, 8, 1, 28, 28);
        Tensor expected;
        try (var ort = new OrtClassifier(exported, 1)) {
            expected = ort.scores(images);
        }
        Tensor actual;
        try (Model m = Nnz.load(nnz); var nnzip = new ModelClassifier(m, 1)) {
            actual = nnzip.scores(images);
        }
        assertThat(actual.shape()).containsExactly(expected.shape());
        float[] e = expected.floats();
        float[] a = actual.floats();
        double maxAbs = 0;
        for (float v : e) {
            maxAbs = Math.max(maxAbs, Math.abs(v));
        }
        for (int i = 0; i < e.length; i++) {
            assertThat(Math.abs((double) a[i] - e[i])).as("logit %d", i)
                    .isLessThanOrEqualTo(ReferenceModelsOracleTest.RTOL * (Math.abs(e[i]) + maxAbs));
        }
    }
}
