package dev.nnzip.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnzip.Nnz;
import dev.nnzip.codec.ErrorBound;
import dev.nnzip.compress.CompressionPolicy;
import dev.nnzip.eval.FashionMnist;
import dev.nnzip.eval.LabeledImages;
import dev.nnzip.runtime.Model;
import dev.nnzip.runtime.weights.MemoryMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tuner end to end on LeNet-300-100 with a small calibration set (the CLI uses 5,000 images per half). */
class LayerwiseTunerTest {
    private static final Path LENET300 = Path.of(System.getProperty("nnzip.models.dir", "../models"), "lenet300.onnx");

    @TempDir
    Path dir;

    @Test
    void keepsTheVerifiedLossWithinTheBudgetAndWritesOnlyTheFinalFile() throws Exception {
        assumeTrue(FashionMnist.isInstalled(FashionMnist.defaultDir()), "Fashion-MNIST not installed");
        LabeledImages test = FashionMnist.atDefaultLocation().test();
        Path out = dir.resolve("tuned.nnz");
        List<String> log = new ArrayList<>();
        LayerwiseTuner.Result r;
        try (Model original = Nnz.load(LENET300, MemoryMode.EAGER)) {
            // z = 0: the measured drop (floored at 0) without the standard-error margin, which on only 1,500 images
            // would keep every layer near lossless; this test is about the mechanics, not the statistics.
            QualityMetric calibration = new AccuracyDropBound(test.range(0, 1500), 2, original, 0.0);
            QualityMetric heldOut = new ClassificationAccuracy(test.range(5000, 6500), 2);
            var options = new LayerwiseTuner.Options(0.2, LayerwiseTuner.Options.ladder("smartdnn"), 2, 8, 2);
            r = LayerwiseTuner.tune(LENET300, out, CompressionPolicy.of("smartdnn", ErrorBound.relative(0.01)),
                    calibration, calibration, heldOut, options, log::add);
        }
        // The three Gemm weights are tuned; their biases keep the policy's tighter bound.
        assertThat(r.choices()).extracting(LayerwiseTuner.TensorChoice::name)
                .containsExactly("net.classifier.1.weight", "net.classifier.3.weight", "net.classifier.5.weight");
        assertThat(r.calibrationLoss()).isLessThanOrEqualTo(0.2 + 1e-9); // 3 images of 1,500, up to rounding
        assertThat(r.baseline()).isEqualTo(100.0);
        assertThat(r.report().ratio()).isGreaterThan(5.0);
        assertThat(r.report().compressedBytes()).isEqualTo(Files.size(out));
        assertThat(r.heldOutBaseline()).isBetween(80.0, 100.0);
        assertThat(r.evaluations()).isGreaterThan(2);
        assertThat(log).anyMatch(m -> m.startsWith("verify:"));
        try (Model tuned = Nnz.load(out)) {
            assertThat(tuned.graph().weights()).containsKeys("net.classifier.1.weight");
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("tuned.nnz");
        }
    }
}
