package dev.nnzip.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnzip.Nnz;
import dev.nnzip.codec.ErrorBound;
import dev.nnzip.compress.CompressionPolicy;
import dev.nnzip.compress.CompressionReport;
import dev.nnzip.compress.ModelCompressor;
import dev.nnzip.eval.FashionMnist;
import dev.nnzip.kernels.Parallel;
import dev.nnzip.runtime.Model;
import dev.nnzip.runtime.weights.MemoryMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SensitivityAllocationTest {
    private static final Path MODELS = Path.of(System.getProperty("nnzip.models.dir", "../models"));

    @TempDir
    Path dir;

    private static double weightedLog2(long[] values, double[] factors) {
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            sum += values[i] * Math.log(factors[i]) / Math.log(2);
        }
        return sum;
    }

    @Test
    void factorsFollowTheSquareRootOfValuesPerLossAndKeepTheTotalBits() {
        long[] values = {1000, 4000, 16000};
        double[] loss = {0.04, 0.01, 0.16};
        double[] f = SensitivityAllocation.factors(values, loss);
        // f ∝ sqrt(n / D): 1 : 4 : 2 before λ.
        assertThat(f[1] / f[0]).isCloseTo(4, within(1e-9));
        assertThat(f[2] / f[0]).isCloseTo(2, within(1e-9));
        assertThat(weightedLog2(values, f)).isCloseTo(0, within(1e-6));
        // Losses that already grow with the layer's size (what the share allocation assumes) leave every bound as it is.
        double[] proportional = SensitivityAllocation.factors(values, new double[] {0.001, 0.004, 0.016});
        assertThat(proportional).containsExactly(new double[] {1, 1, 1}, within(1e-9));
    }

    @Test
    void factorsStayWithinTheLimitAndAFreeLayerGetsTheCoarsest() {
        long[] values = {1000, 1000, 1000};
        double[] f = SensitivityAllocation.factors(values, new double[] {1e-12, 0.5, 0.5});
        assertThat(f[0]).isCloseTo(SensitivityAllocation.MAX_FACTOR, within(1e-9));
        for (double x : f) {
            assertThat(x).isBetween(1 / SensitivityAllocation.MAX_FACTOR - 1e-12, SensitivityAllocation.MAX_FACTOR + 1e-12);
        }
        assertThat(weightedLog2(values, f)).isCloseTo(0, within(1e-6));
        assertThat(SensitivityAllocation.factors(new long[] {5, 6}, new double[] {0, 0})).containsExactly(1, 1);
        double[] zeroFree = SensitivityAllocation.factors(values, new double[] {0, 0.5, 0.5});
        assertThat(zeroFree[0]).isCloseTo(SensitivityAllocation.MAX_FACTOR, within(1e-9));
    }

    /** MobileNetV2: BatchNormalization folded, per-row widths on the depthwise filters, 32 lossy layer weights. */
    @Test
    void respreadsTheDefaultPolicysLayersByMeasuredSensitivityAtAboutTheSameSize() throws Exception {
        assumeTrue(FashionMnist.isInstalled(FashionMnist.defaultDir()), "Fashion-MNIST not installed");
        Path onnx = MODELS.resolve("mobilenetv2.onnx");
        CompressionPolicy base = CompressionPolicy.defaults();
        SensitivityAllocation.Result r;
        try (Model original = Nnz.load(onnx, MemoryMode.EAGER); Parallel par = new Parallel(2)) {
            QualityMetric divergence = new SoftmaxDivergence(FashionMnist.atDefaultLocation().train().range(0, 200), 2,
                    original);
            r = SensitivityAllocation.allocate(onnx, base, divergence, par, null);
        }
        List<SensitivityAllocation.Layer> layers = r.layers();
        assertThat(layers).hasSize(32);
        assertThat(layers).allSatisfy(l -> {
            assertThat(l.sensitivity()).isFinite().isGreaterThan(0);
            assertThat(l.policyBound().kind()).isEqualTo(ErrorBound.Kind.STD);
            assertThat(l.factor()).isBetween(1 / SensitivityAllocation.MAX_FACTOR, SensitivityAllocation.MAX_FACTOR);
        });
        assertThat(layers).filteredOn(l -> l.name().endsWith("block.3.weight")) // depthwise: per-row widths kept
                .isNotEmpty().allSatisfy(l -> assertThat(l.codec()).isEqualTo("smartdnn:rowsteps=true"));
        // The closed form: factors in proportion to sqrt(n / D) wherever no limit applies, and no bits gained overall.
        long[] values = layers.stream().mapToLong(SensitivityAllocation.Layer::values).toArray();
        double[] factors = layers.stream().mapToDouble(SensitivityAllocation.Layer::factor).toArray();
        assertThat(weightedLog2(values, factors)).isCloseTo(0, within(1e-3));
        SensitivityAllocation.Layer a = layers.get(0);
        for (SensitivityAllocation.Layer b : layers) {
            if (b.factor() < SensitivityAllocation.MAX_FACTOR && b.factor() > 1 / SensitivityAllocation.MAX_FACTOR) {
                assertThat(b.factor() / a.factor()).as(b.name()).isCloseTo(
                        Math.sqrt((double) b.values() * a.sensitivity() / (a.values() * b.sensitivity())),
                        within(1e-6 * b.factor() / a.factor()));
            }
        }
        // The policy carries each layer's new bound, and the file stays about the size the plain policy gives.
        Path plain = dir.resolve("plain.nnz");
        Path measured = dir.resolve("measured.nnz");
        CompressionReport p;
        CompressionReport m;
        try (Parallel par = new Parallel(2)) {
            p = ModelCompressor.compress(onnx, plain, base, par, (done, total, name) -> { });
            m = ModelCompressor.compress(onnx, measured, r.policy(), par, (done, total, name) -> { });
        }
        for (SensitivityAllocation.Layer l : layers) {
            assertThat(m.tensors()).filteredOn(t -> t.name().equals(l.name())).singleElement()
                    .satisfies(t -> assertThat(l.codec()).startsWith(t.codec()));
        }
        assertThat((double) m.compressedBytes() / p.compressedBytes()).isBetween(0.9, 1.1);
        assertThat(Files.size(measured)).isEqualTo(m.compressedBytes());
    }
}
