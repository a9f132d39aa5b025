package dev.nnzip.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnzip.Nnz;
import dev.nnzip.codec.ErrorBound;
import dev.nnzip.compress.CompressionPolicy;
import dev.nnzip.compress.CompressionReport;
import dev.nnzip.compress.ModelCompressor;
import dev.nnzip.eval.Accuracy;
import dev.nnzip.eval.ClassifierEvaluator;
import dev.nnzip.format.NnzExport;
import dev.nnzip.kernels.Parallel;
import dev.nnzip.runtime.Model;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A compressed reference model, exported back to ONNX, loads in ONNX Runtime and classifies the 10,000 test images with
 * the accuracy nnzip reaches on the .nnz itself (± 2 images: the same weights, two engines' float rounding).
 */
class CompressedModelsOracleTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void data() {
        ReferenceModelsOracleTest.loadTestSet();
    }

    @Test
    void exportedCompressedModelsGiveTheSameAccuracyInOnnxRuntime() throws Exception {
        for (String name : new String[] {"lenet5", "mobilenetv2"}) {
            Path onnx = ReferenceModelsOracleTest.MODELS_DIR.resolve(name + ".onnx");
            Path nnz = dir.resolve(name + ".nnz");
            Path exported = dir.resolve(name + ".exported.onnx");
            CompressionReport report;
            try (Parallel p = new Parallel(2)) {
                report = ModelCompressor.compress(onnx, nnz, CompressionPolicy.of("smartdnn", ErrorBound.relative(0.01)),
                        p, ModelCompressor.Progress.NONE);
            }
            NnzExport.toOnnx(nnz, exported);
            Accuracy onNnz;
            try (Model m = Nnz.load(nnz)) {
                onNnz = ClassifierEvaluator.evaluate(m, ReferenceModelsOracleTest.testSet,
                        ReferenceModelsOracleTest.settings());
            }
            Accuracy inOrt = ReferenceModelsOracleTest.ortAccuracy(exported);
            System.out.printf("%s: ratio %.2fx, nnzip on .nnz %d/%d, ONNX Runtime on export %d/%d%n", name,
                    report.ratio(), onNnz.correct(), onNnz.total(), inOrt.correct(), inOrt.total());
            assertThat(inOrt.total()).isEqualTo(10_000);
            assertThat(Math.abs(inOrt.correct() - onNnz.correct())).isLessThanOrEqualTo(2);
        }
    }
}
