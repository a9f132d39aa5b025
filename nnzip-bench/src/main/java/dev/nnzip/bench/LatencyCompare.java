package dev.nnzip.bench;

import dev.nnzip.Nnz;
import dev.nnzip.graph.ValueInfo;
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
 * Latency of nnzip vs ONNX Runtime on the same models, inputs and thread counts, interleaved in one process so both see
 * the same machine state. Prints a Markdown table for docs/BENCHMARKS.md.
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
                    try (Session s = m.newSession(new SessionOptions(t)); OrtRunner ort = new OrtRunner(model, t)) {
                        for (int batch : batches) {
                            for (int seq : seqs) {
                                row(model, m.inputs(), s, ort, batch, seq, t);
                            }
                        }
                    }
                }
            }
        }
        return 0;
    }

    /** Runs {@code body} at least {@link #warmup} times and for at least {@link #warmupSeconds}. */
    private void warmUp(ThrowingRunnable body) throws Exception {
        long end = System.nanoTime() + (long) (warmupSeconds * 1e9);
        for (int i = 0; i < warmup || System.nanoTime() < end; i++) {
            body.run();
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private void row(Path model, List<ValueInfo> inputs, Session s, OrtRunner ort, int batch, int seq, int t)
            throws Exception {
        Map<String, Tensor> feed = SyntheticInputs.forModel(inputs, batch, Math.max(seq, 1), Map.of(), 1);
        ort.setInputs(feed);
        // Alternate engines in rounds so drift on a shared machine hits both alike. Within a round each engine runs a
        // block of consecutive runs: interleaving single runs would time nnzip while ONNX Runtime's intra-op threads
        // still spin-wait after their run (its default), which halves nnzip's multi-threaded speed (measured).
        int rounds = 5;
        double[] nn = new double[runs];
        double[] ox = new double[runs];
        warmUp(() -> s.run(feed));
        warmUp(ort::run);
        int per = runs / rounds;
        int k = 0;
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < per; i++) {
                long t0 = System.nanoTime();
                s.run(feed);
                nn[k + i] = (System.nanoTime() - t0) / 1e6;
            }
            for (int i = 0; i < per; i++) {
                long t0 = System.nanoTime();
                ort.run();
                ox[k + i] = (System.nanoTime() - t0) / 1e6;
            }
            k += per;
        }
        LatencyStats a = LatencyStats.of(java.util.Arrays.copyOf(nn, k));
        LatencyStats b = LatencyStats.of(java.util.Arrays.copyOf(ox, k));
        System.out.printf(Locale.ROOT, "| %s | %d | %s | %d | %.3f ms | %.3f ms | %.3f ms | %.3f ms | %.2f× |%n",
                model.getFileName(), batch, seq == 0 ? "-" : Integer.toString(seq), t, a.medianMs(), a.p90Ms(),
                b.medianMs(), b.p90Ms(), a.medianMs() / b.medianMs());
    }
}
