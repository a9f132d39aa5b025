package dev.nnzip.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnzip.Nnz;
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

/** The tuner end to end on LeNet-300-100 with small image sets (the CLI uses 1,000 / 20,000 / 5,000). */
class LayerwiseTunerTest {
    private static final Path LENET300 = Path.of(System.getProperty("nnzip.models.dir", "../models"), "lenet300.onnx");

    @TempDir
    Path dir;

    @Test
    void neverEndsWorseThanTheBestGlobalSettingAndKeepsTheBudget() throws Exception {
        assumeTrue(FashionMnist.isInstalled(FashionMnist.defaultDir()), "Fashion-MNIST not installed");
        FashionMnist fm = FashionMnist.atDefaultLocation();
        LabeledImages train = fm.train();
        LabeledImages test = fm.test();
        Path out = dir.resolve("tuned.nnz");
        List<String> log = new ArrayList<>();
        LayerwiseTuner.Result r;
        try (Model original = Nnz.load(LENET300, MemoryMode.EAGER)) {
            // Disjoint sets: sensitivities on train[0, 200), the budget on train[1000, 3000), held out test[5000, 6000).
            // z = 0: the measured drop (floored at 0) without the standard-error margin, which on only 2,000 images
            // would keep every layer near lossless; this test is about the mechanics, not the statistics.
            QualityMetric sensitivity = new SoftmaxDivergence(train.range(0, 200), 2, original);
            QualityMetric calibration = new AccuracyDropBound(train.range(1000, 3000), 2, original, 0.0);
            QualityMetric heldOut = new ClassificationAccuracy(test.range(5000, 6000), 2);
            var options = new LayerwiseTuner.Options(0.2, LayerwiseTuner.Options.stdLadder("smartdnn"), 2, 4, 2);
            r = LayerwiseTuner.tune(LENET300, out, CompressionPolicy.defaults(), sensitivity, calibration, heldOut,
                    options, log::add);
        }
        // The three Gemm weights are tuned, although the default policy's size allocation gives each its own bound;
        // their biases keep the policy's tighter bound.
        assertThat(r.choices()).extracting(LayerwiseTuner.TensorChoice::name)
                .containsExactly("net.classifier.1.weight", "net.classifier.3.weight", "net.classifier.5.weight");
        assertThat(r.baseline()).isEqualTo(100.0);
        assertThat(r.calibrationLoss()).isLessThanOrEqualTo(0.2 + 1e-9); // 4 images of 2,000, up to rounding
        assertThat(r.baseline() - r.globalCalibrated()).isLessThanOrEqualTo(0.2 + 1e-9);
        // The search starts from the best global setting: the tuned file is never larger than the global one.
        assertThat(r.report().compressedBytes()).isLessThanOrEqualTo(r.globalReport().compressedBytes());
        assertThat(r.gainOverGlobal()).isGreaterThanOrEqualTo(1.0);
        assertThat(r.report().ratio()).isGreaterThan(5.0);
        assertThat(r.report().compressedBytes()).isEqualTo(Files.size(out));
        // The single-tensor sensitivities are divergences: never negative, and the chosen ones finite.
        assertThat(r.choices()).allSatisfy(c -> assertThat(c.sensitivity()).isFinite().isGreaterThanOrEqualTo(0));
        assertThat(r.heldOutBaseline()).isBetween(80.0, 100.0);
        assertThat(r.globalHeldOutScore()).isBetween(70.0, 100.0);
        assertThat(log).anyMatch(m -> m.startsWith("global ")).anyMatch(m -> m.startsWith("knapsack K="));
        try (Model tuned = Nnz.load(out)) {
            assertThat(tuned.graph().weights()).containsKeys("net.classifier.1.weight");
        }
        try (var files = Files.list(dir)) { // the trial, global and best temporaries are gone
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("tuned.nnz");
        }
    }
}
