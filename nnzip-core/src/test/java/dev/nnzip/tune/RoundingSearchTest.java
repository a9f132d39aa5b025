package dev.nnzip.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnzip.Nnz;
import dev.nnzip.compress.CompressionPolicy;
import dev.nnzip.compress.CompressionReport;
import dev.nnzip.compress.ModelCompressor;
import dev.nnzip.eval.FashionMnist;
import dev.nnzip.format.NnzFile;
import dev.nnzip.kernels.Parallel;
import dev.nnzip.runtime.Model;
import dev.nnzip.runtime.weights.MemoryMode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoundingSearchTest {
    private static final Path MODELS = Path.of(System.getProperty("nnzip.models.dir", "../models"));

    @TempDir
    Path dir;

    @Test
    void theOffsetGoesOnTheStageThatTakesIt() {
        assertThat(RoundingSearch.withOffset("smartdnn", 0.25)).isEqualTo("smartdnn:offset=0.250000");
        assertThat(RoundingSearch.withOffset("smartdnn:rowsteps=true", 0.5))
                .isEqualTo("smartdnn:rowsteps=true,offset=0.500000");
        assertThat(RoundingSearch.withOffset("smartdnn:offset=0.5", 0)).isEqualTo("smartdnn");
        assertThat(RoundingSearch.withOffset("prune:sparsity=0.5+smartdnn", 0.75))
                .isEqualTo("prune:sparsity=0.5+smartdnn:offset=0.750000");
        assertThat(RoundingSearch.withOffset("uniform", 0.5)).isNull();
        assertThat(RoundingSearch.withOffset("int8", 0.5)).isNull();
    }

    /** LeNet-5 (two convolutions, three Gemms), its default policy, four offsets per layer on 200 images. */
    @Test
    void picksTheLeastDamagingOffsetLayerByLayerWithinTheSameBounds() throws Exception {
        assumeTrue(FashionMnist.isInstalled(FashionMnist.defaultDir()), "Fashion-MNIST not installed");
        Path onnx = MODELS.resolve("lenet5.onnx");
        CompressionPolicy base = CompressionPolicy.defaults();
        RoundingSearch.Result r;
        try (Model original = Nnz.load(onnx, MemoryMode.EAGER); Parallel par = new Parallel(2)) {
            QualityMetric divergence = new SoftmaxDivergence(FashionMnist.atDefaultLocation().train().range(0, 200), 2,
                    original);
            r = RoundingSearch.search(onnx, base, divergence, 4, par, null);
        }
        assertThat(r.layers()).extracting(RoundingSearch.Layer::name).containsExactly("net.features.3.weight",
                "net.classifier.1.weight", "net.classifier.3.weight", "net.classifier.5.weight");
        for (RoundingSearch.Layer l : r.layers()) {
            double[] losses = l.losses();
            assertThat(losses).hasSize(4);
            int chosen = (int) Math.round(l.offset() * 4);
            for (double loss : losses) {
                assertThat(losses[chosen]).as(l.name()).isLessThanOrEqualTo(loss);
            }
            assertThat(l.codec()).isEqualTo(RoundingSearch.withOffset("smartdnn", l.offset()));
        }
        // The greedy result is the last layer's chosen loss; the same metric on every layer's own grid is reported.
        RoundingSearch.Layer last = r.layers().getLast();
        assertThat(r.chosenLoss()).isEqualTo(last.losses()[(int) Math.round(last.offset() * 4)]);
        assertThat(r.ownGridLoss()).isPositive();

        Path plain = dir.resolve("plain.nnz");
        Path searched = dir.resolve("searched.nnz");
        CompressionReport p;
        CompressionReport s;
        try (Parallel par = new Parallel(2)) {
            p = ModelCompressor.compress(onnx, plain, base, par, (done, total, name) -> { });
            s = ModelCompressor.compress(onnx, searched, r.policy(), par, (done, total, name) -> { });
        }
        assertThat((double) s.compressedBytes() / p.compressedBytes()).isBetween(0.95, 1.05);
        // Same bounds: every layer's measured error stays within the bound the plain policy gave it.
        try (NnzFile a = NnzFile.open(plain); NnzFile b = NnzFile.open(searched)) {
            for (RoundingSearch.Layer l : r.layers()) {
                assertThat(b.tensors().get(l.name()).errorBound()).isEqualTo(a.tensors().get(l.name()).errorBound());
                assertThat(b.tensors().get(l.name()).maxError()).isLessThanOrEqualTo(
                        b.tensors().get(l.name()).errorBound());
            }
        }
    }
}
