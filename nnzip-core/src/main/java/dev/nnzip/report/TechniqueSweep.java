package dev.nnzip.report;

import dev.nnzip.Nnz;
import dev.nnzip.codec.Codecs;
import dev.nnzip.codec.ErrorBound;
import dev.nnzip.codec.WeightCodec;
import dev.nnzip.compress.CompressionPolicy;
import dev.nnzip.compress.CompressionReport;
import dev.nnzip.compress.ModelCompressor;
import dev.nnzip.compress.transform.GraphTransforms;
import dev.nnzip.eval.ClassifierEvaluator;
import dev.nnzip.eval.LabeledImages;
import dev.nnzip.graph.Weight;
import dev.nnzip.kernels.Parallel;
import dev.nnzip.runtime.Model;
import dev.nnzip.runtime.weights.MemoryMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs every technique at each of its settings on one classifier: compress the whole model with that setting, then
 * measure the file ratio, top-1 accuracy, how fast the weights decode and the peak of decoded weights held while
 * classifying layer by layer (prefetch mode).
 */
public final class TechniqueSweep {
    /**
     * One setting of a technique: a label for the plot, the policy that compresses with it and, for graph-rewriting
     * techniques, a {@link GraphTransforms} spec applied first (null for none).
     */
    public record Setting(String label, CompressionPolicy policy, String transform) {
        public Setting(String label, CompressionPolicy policy) {
            this(label, policy, null);
        }
    }

    /** A technique and its settings, loosest last (the plot joins them in this order). */
    public record Technique(String name, List<Setting> settings) {
        public Technique {
            settings = List.copyOf(settings);
        }
    }

    /** One measured point. {@code decodeMBps}: FP32 megabytes of weights decoded per second on one thread. */
    public record Point(String technique, String setting, long compressedBytes, double ratio, double accuracy,
                        double drop, double decodeMBps, long peakDecodedWeightBytes) {
    }

    /** All points, with the uncompressed model's figures. */
    public record Result(String model, long originalBytes, double baselineAccuracy, String data, List<Point> points) {
    }

    /** Told after each point, for progress output. */
    @FunctionalInterface
    public interface Progress {
        void done(Point point);
    }

    private TechniqueSweep() {
    }

    /**
     * The techniques {@code nnzip compare} runs by default: the error-bounded codecs (Smart-DNN+ among them) and the
     * survey's families: int8 / int4 quantization, fp16 / bf16, k-means weight sharing, magnitude pruning (chained
     * with Smart-DNN+ for the kept values) and low-rank factorisation (then Smart-DNN+ at its default bound).
     */
    public static List<Technique> standard() {
        List<Technique> out = new ArrayList<>(errorBounded());
        ErrorBound def = ErrorBound.relative(0.01);
        out.add(codecLadder("int8", def, "int8", "int8:asym=true"));
        out.add(codecLadder("int4", def, "int4:block=32", "int4:block=64", "int4:block=128"));
        out.add(codecLadder("fp16/bf16", def, "fp16", "bf16"));
        out.add(codecLadder("kmeans", def, "kmeans:bits=8", "kmeans:bits=6", "kmeans:bits=5", "kmeans:bits=4",
                "kmeans:bits=3"));
        out.add(codecLadder("prune+smartdnn", def, "prune:sparsity=0.3+smartdnn", "prune:sparsity=0.5+smartdnn",
                "prune:sparsity=0.7+smartdnn"));
        List<Setting> lowRank = new ArrayList<>();
        for (String energy : new String[] {"0.999", "0.99", "0.95"}) {
            lowRank.add(new Setting("energy " + energy, CompressionPolicy.of("smartdnn", def),
                    "lowrank:energy=" + energy));
        }
        out.add(new Technique("lowrank+smartdnn", lowRank));
        return out;
    }

    private static Technique codecLadder(String name, ErrorBound bound, String... specs) {
        List<Setting> settings = new ArrayList<>();
        for (String spec : specs) {
            settings.add(new Setting(spec, CompressionPolicy.of(spec, bound)));
        }
        return new Technique(name, settings);
    }

    /** Every registered error-bounded codec at relative bounds 0.5 % .. 8 % of each tensor's range. */
    public static List<Technique> errorBounded() {
        List<Technique> out = new ArrayList<>();
        for (WeightCodec c : Codecs.all()) {
            if (c.isLossless() || !c.isErrorBounded()) {
                continue;
            }
            List<Setting> settings = new ArrayList<>();
            for (double b : new double[] {0.005, 0.01, 0.02, 0.04, 0.08}) {
                settings.add(new Setting(String.format(Locale.ROOT, "rel %.3f", b),
                        CompressionPolicy.of(c.name(), ErrorBound.relative(b))));
            }
            out.add(new Technique(c.name(), settings));
        }
        return out;
    }

    public static Result run(Path onnx, LabeledImages data, List<Technique> techniques, int threads,
                             Path workDir, Progress progress) throws IOException {
        ClassifierEvaluator.Settings eval = ClassifierEvaluator.Settings.defaults().withThreads(threads);
        double baseline;
        try (Model original = Nnz.load(onnx, MemoryMode.EAGER)) {
            baseline = 100 * ClassifierEvaluator.evaluate(original, data, eval).accuracy();
        }
        List<Point> points = new ArrayList<>();
        Files.createDirectories(workDir);
        Path nnz = Files.createTempFile(workDir, ".compare-", ".nnz");
        Path rewritten = Files.createTempFile(workDir, ".compare-", ".onnx");
        try (Parallel par = new Parallel(threads)) {
            for (Technique t : techniques) {
                for (Setting s : t.settings()) {
                    Path source = onnx;
                    if (s.transform() != null) {
                        GraphTransforms.apply(s.transform(), onnx, rewritten);
                        source = rewritten;
                    }
                    CompressionReport report = ModelCompressor.compress(source, nnz, s.policy(), par,
                            ModelCompressor.Progress.NONE);
                    report = new CompressionReport(Files.size(onnx), report.compressedBytes(), report.tensors());
                    double accuracy;
                    long peak;
                    try (Model m = Nnz.load(nnz, MemoryMode.PREFETCH)) {
                        m.weightAccounting().resetPeak();
                        accuracy = 100 * ClassifierEvaluator.evaluate(m, data, eval).accuracy();
                        peak = m.weightAccounting().peakBytes();
                    }
                    double mbps;
                    try (Model m = Nnz.load(nnz, MemoryMode.LAYERWISE)) {
                        mbps = decodeSpeed(m);
                    }
                    Point p = new Point(t.name(), s.label(), report.compressedBytes(), report.ratio(), accuracy,
                            baseline - accuracy, mbps, peak);
                    points.add(p);
                    progress.done(p);
                }
            }
        } finally {
            Files.deleteIfExists(nnz);
            Files.deleteIfExists(rewritten);
        }
        return new Result(onnx.getFileName().toString(), Files.size(onnx), baseline, data.toString(), points);
    }

    /**
     * Decoded FP32 megabytes per second over all weights on one thread: the best pass of at least five and of at
     * least half a second of passes, so the JIT has compiled the decoder before the pass that counts.
     */
    static double decodeSpeed(Model m) {
        long bytes = 0;
        long best = Long.MAX_VALUE;
        long end = System.nanoTime() + 500_000_000L;
        for (int pass = 0; pass < 5 || System.nanoTime() < end; pass++) {
            long t0 = System.nanoTime();
            long b = 0;
            for (Weight w : m.graph().weights().values()) {
                b += w.decode().heapBytes();
            }
            best = Math.min(best, System.nanoTime() - t0);
            bytes = b;
        }
        return bytes / 1e6 / (Math.max(1, best) / 1e9);
    }
}
