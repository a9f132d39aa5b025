package dev.nnzip.cli.commands;

import dev.nnzip.Nnz;
import dev.nnzip.compress.CompressionPolicy;
import dev.nnzip.compress.CompressionReport;
import dev.nnzip.compress.ModelCompressor;
import dev.nnzip.eval.Accuracy;
import dev.nnzip.eval.ClassifierEvaluator;
import dev.nnzip.eval.FashionMnist;
import dev.nnzip.graph.ValueInfo;
import dev.nnzip.kernels.Parallel;
import dev.nnzip.runtime.LatencyStats;
import dev.nnzip.runtime.Model;
import dev.nnzip.runtime.ProcessMemory;
import dev.nnzip.runtime.Session;
import dev.nnzip.runtime.SessionOptions;
import dev.nnzip.runtime.weights.MemoryMode;
import dev.nnzip.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nnzip demo}: the main job on the embedded default model — what it is, its accuracy on all 10,000 Fashion-MNIST
 * test images, compression to .nnz (size and accuracy after), and eager vs layer-by-layer (prefetch) latency and memory.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run nnzip end to end on the embedded default model (a VGG-style Fashion-MNIST CNN).")
public final class DemoCommand implements Callable<Integer> {
    static final String DEFAULT_MODEL = "vgg.onnx";

    @Option(names = "--threads", paramLabel = "N", description = "worker threads (default: all cores)")
    Integer threads;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "200", description = "timed runs for latency (default 200)")
    int runs;

    @Option(names = "--limit", paramLabel = "N", description = "evaluate only the first N test images")
    Integer limit;

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("nnzip-demo");
        try {
            Path onnx = extract(DEFAULT_MODEL, dir);
            Path nnz = dir.resolve("vgg.nnz");
            int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
            ClassifierEvaluator.Settings eval = ClassifierEvaluator.Settings.defaults().withThreads(t);
            if (limit != null) {
                eval = eval.withLimit(limit);
            }
            FashionMnist data = FashionMnist.atDefaultLocation();

            System.out.println("== nnzip demo: embedded model " + DEFAULT_MODEL + " ==");
            Accuracy before;
            try (Model m = Nnz.load(onnx)) {
                InfoCommand.print(m, Files.size(onnx));
                before = ClassifierEvaluator.evaluate(m, data.test(), eval);
            }
            System.out.printf("accuracy   %.2f %% top-1 (%d / %d test images), original FP32%n",
                    100 * before.accuracy(), before.correct(), before.total());

            CompressionPolicy policy = CompressionPolicy.defaults();
            CompressionReport report;
            try (Parallel p = new Parallel(t)) {
                report = ModelCompressor.compress(onnx, nnz, policy, p, ModelCompressor.Progress.NONE);
            }
            System.out.printf("compress   %s, error bound %s x sqrt(layer's share of the weights) of each weight's"
                    + " standard deviation: %s -> %s, %.2fx smaller%n", policy.codec(), policy.bound().value(),
                    Format.bytes(report.originalBytes()), Format.bytes(report.compressedBytes()), report.ratio());
            Accuracy after;
            try (Model m = Nnz.load(nnz)) {
                after = ClassifierEvaluator.evaluate(m, data.test(), eval);
            }
            System.out.printf("accuracy   %.2f %% top-1 compressed (%+.2f pp)%n", 100 * after.accuracy(),
                    100 * (after.accuracy() - before.accuracy()));

            System.out.printf("%nlatency and memory, batch 1, %d thread(s), %d runs:%n", t, runs);
            measure("original .onnx, eager  ", onnx, MemoryMode.EAGER, t);
            measure("compressed .nnz, prefetch", nnz, MemoryMode.PREFETCH, t);
            System.out.printf("process peak RSS (VmHWM) %s with %s%n", Format.bytes(ProcessMemory.peakRssBytes()),
                    ProcessMemory.heapSetting());
            return 0;
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void measure(String label, Path model, MemoryMode mode, int threads) {
        try (Model m = Nnz.load(model, mode); Session s = m.newSession(new SessionOptions(threads, mode))) {
            ValueInfo in = m.inputs().get(0);
            Map<String, Tensor> feed = Map.of(in.name(), Tensor.zeros(in.dtype(), 1, 1, 28, 28));
            LatencyStats lat = LatencyStats.measure(20, runs, () -> s.run(feed));
            System.out.printf("  %s median %s, p90 %s; weights stored %s, peak decoded %s; peak activations %s%n",
                    label, Format.millis(lat.medianMs()), Format.millis(lat.p90Ms()),
                    Format.bytes(m.storedWeightBytes()), Format.bytes(m.weightAccounting().peakBytes()),
                    Format.bytes(s.peakActivationBytes()));
        }
    }

    /** Copies a model embedded in the jar (under /models) to {@code dir}. */
    static Path extract(String name, Path dir) throws IOException {
        try (InputStream in = DemoCommand.class.getResourceAsStream("/models/" + name)) {
            if (in == null) {
                throw new IOException("the embedded model /models/" + name + " is missing from the nnzip jar");
            }
            Path out = dir.resolve(name);
            Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
            return out;
        }
    }
}
