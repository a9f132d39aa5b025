package dev.nnzip.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnzip.codec.ErrorBound;
import dev.nnzip.compress.CompressionPolicy;
import dev.nnzip.eval.FashionMnist;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TechniqueSweepTest {
    private static final Path LENET300 = Path.of(System.getProperty("nnzip.models.dir", "../models"), "lenet300.onnx");

    @TempDir
    Path dir;

    @Test
    void measuresEverySettingAndLeavesNoTemporaryFiles() throws Exception {
        assumeTrue(FashionMnist.isInstalled(FashionMnist.defaultDir()), "Fashion-MNIST not installed");
        var data = FashionMnist.atDefaultLocation().test().first(300);
        var technique = new TechniqueSweep.Technique("smartdnn", List.of(
                new TechniqueSweep.Setting("rel 0.01", CompressionPolicy.of("smartdnn", ErrorBound.relative(0.01))),
                new TechniqueSweep.Setting("rel 0.08", CompressionPolicy.of("smartdnn", ErrorBound.relative(0.08)))));
        List<TechniqueSweep.Point> seen = new ArrayList<>();
        TechniqueSweep.Result r = TechniqueSweep.run(LENET300, data, List.of(technique), 2, dir, seen::add);
        assertThat(r.points()).hasSize(2).isEqualTo(seen);
        assertThat(r.originalBytes()).isEqualTo(Files.size(LENET300));
        TechniqueSweep.Point tight = r.points().get(0);
        TechniqueSweep.Point loose = r.points().get(1);
        assertThat(tight.ratio()).isGreaterThan(5).isLessThan(loose.ratio());
        assertThat(tight.compressedBytes()).isGreaterThan(loose.compressedBytes());
        assertThat(tight.drop()).isEqualTo(r.baselineAccuracy() - tight.accuracy());
        assertThat(tight.decodeMBps()).isPositive();
        // Prefetch holds at most the two largest layers' decoded weights (784x300 and 300x100 floats plus biases).
        assertThat(tight.peakDecodedWeightBytes()).isPositive().isLessThanOrEqualTo(4L * (784 * 300 + 300 * 100 + 400));
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).isEmpty();
        }
    }
}
