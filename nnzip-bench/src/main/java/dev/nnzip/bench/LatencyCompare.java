package dev.nnzip.bench;

import dev.nnzip.Nnz;
import dev.nnzip.runtime.LatencyStats;
import dev.nnzip.runtime.Model;
import dev.nnzip.runtime.Session;
import dev.nnzip.runtime.SessionOptions;
import dev.nnzip.runtime.SyntheticInputs;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Latency of nnzip vs ONNX Runtime on the same models, inputs and thread counts, alternating in one process so both see
 * the same machine state, never with both engines' sessions open at once. Prints a Markdown table for
 * docs/BENCHMARKS.md.
 *
 * <pre>java --add-modules jdk.incubator.vector -jar nnzip-bench/target/nnzip-bench.jar latency models/*.onnx MINILM.onnx \
 *     --batch 1,32 --threads 1,2 --seq 20,128</pre>
 */
@Command(name = "latency", mixinStandardHelpOptions = true,
        description = "Median/p90 latency of nnzip and ONNX Runtime on the same models and inputs.")
final class LatencyCompare implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = ".onnx models")
    List<Path> models;

    @Option(names = "--batch", split = ",", defaultValue = "1,32", description = "batch sizes (default 1,32)")
    List<Integer> batches;

    @Option(names = "--threads", split = ",", defaultValue = "1,2", description = "thread counts (default 1,2)")
    List<Integer> threads;

    @Option(names = "--seq", split = ",", defaultValue = "20,128",
            description = "sequence lengths for models with integer (token) inputs (default 20,128)")
    List<Integer> sequences;

    @Option(names = "--warmup", defaultValue = "20", description = "warm-up runs per engine and configuration, at least")
    int warmup;

    @Option(names = "--warmup-seconds", defaultValue = "2",
            description = "warm-up time per engine and configuration, at least (default 2): the JIT compiles nnzip's "
                    + "kernels (C2, Vector API intrinsics) only after thousands of calls, so a fixed small run count "
                    + "would time the interpreter on small models")
    double warmupSeconds;

    @Option(names = "--runs", defaultValue = "100")
    int runs;

    @Override
    public Integer call() throws Exception {
        System.out.println("| model | batch | seq | threads | nnzip p50 | nnzip p90 | ORT p50 | ORT p90 | nnzip/ORT |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (Path model : models) {
            try (Model m = Nnz.load(model)) {
                boolean tokens = m.inputs().stream().anyMatch(v -> v.dtype() != null && v.dtype() != DType.FLOAT);
                List<Integer> seqs = tokens ? sequences : List.of(0);
                for (int t : threads) {
                    for (int batch : batches) {
                        for (int seq : seqs) {
                            row(model, m, batch, seq, t);
                        }
                    }
                }
            }
        }
        return 0;
    }

    /** Runs {@code body} at least {@link #warmup} times and for at least {@code seconds}. */
    private void warmUp(double seconds, ThrowingRunnable body) throws Exception {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        for (int i = 0; i < warmup || System.nanoTime() < end; i++) {
            body.run();
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    /**
     * One configuration. The engines alternate in rounds so drift on a shared machine hits both alike, and each round
     * opens its engine's session afresh and closes it after its block of runs: only one engine's threads exist while
     * the other is timed. Both engines' intra-op threads spin-wait for a while after a run (ONNX Runtime's default, and
     * nnzip's {@code Parallel}); with both sessions open, each engine's first runs of a block, or with single runs
     * interleaved every run, were timed against the other's spinning threads (measured: MobileNetV2 batch 1 on 2
     * threads 0.78 ms with an idle ONNX Runtime session open, 0.49 ms alone).
     */
    private void row(Path model, Model m, int batch, int seq, int t) throws Exception {
        Map<String, Tensor> feed = SyntheticInputs.forModel(m.inputs(), batch, Math.max(seq, 1), Map.of(), 1);
        int rounds = 5;
        int per = Math.max(1, runs / rounds);
        double[] nn = new double[per * rounds];
        double[] ox = new double[per * rounds];
        for (int r = 0; r < rounds; r++) {
            // The first round warms the JIT (and ONNX Runtime's arenas) up fully; later rounds only refill caches.
            double warmSeconds = r == 0 ? warmupSeconds : Math.min(0.3, warmupSeconds);
            try (Session s = m.newSession(new SessionOptions(t))) {
                warmUp(warmSeconds, () -> s.run(feed));
                time(per, r * per, nn, () -> s.run(feed));
            }
            try (OrtRunner ort = new OrtRunner(model, t)) {
                ort.setInputs(feed);
                warmUp(warmSeconds, ort::run);
                time(per, r * per, ox, ort::run);
            }
        }
        LatencyStats a = LatencyStats.of(nn);
        LatencyStats b = LatencyStats.of(ox);
        System.out.printf(Locale.ROOT, "| %s | %d | %s | %d | %.3f ms | %.3f ms | %.3f ms | %.3f ms | %.2f× |%n",
                model.getFileName(), batch, seq == 0 ? "-" : Integer.toString(seq), t, a.medianMs(), a.p90Ms(),
                b.medianMs(), b.p90Ms(), a.medianMs() / b.medianMs());
    }

    private static void time(int count, int offset, double[] ms, ThrowingRunnable body) throws Exception {
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            body.run();
            ms[offset + i] = (System.nanoTime() - t0) / 1e6;
        }
    }
}
