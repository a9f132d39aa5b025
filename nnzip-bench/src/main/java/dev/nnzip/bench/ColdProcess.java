package dev.nnzip.bench;

import dev.nnzip.Nnz;
import dev.nnzip.runtime.LatencyStats;
import dev.nnzip.runtime.Model;
import dev.nnzip.runtime.ProcessMemory;
import dev.nnzip.runtime.Session;
import dev.nnzip.runtime.SessionOptions;
import dev.nnzip.runtime.SyntheticInputs;
import dev.nnzip.runtime.weights.MemoryMode;
import dev.nnzip.tensor.Tensor;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * The child process of {@link MemoryCompare}: loads one model in one engine, runs it, and prints one line of JSON with
 * the time to first result since the process started, the median latency, the process peak RSS (VmHWM) and the heap
 * limit. Run in a fresh JVM per measurement so that nothing else is in the RSS.
 *
 * <pre>java -Xmx64m -cp nnzip-bench.jar dev.nnzip.bench.ColdProcess ort|nnzip MODEL MEMORY THREADS BATCH SEQ RUNS INPUTS_FROM</pre>
 */
public final class ColdProcess {
    private ColdProcess() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 8) {
            System.err.println("usage: ColdProcess ort|nnzip MODEL MEMORY THREADS BATCH SEQ RUNS INPUTS_FROM");
            System.exit(2);
        }
        String engine = args[0];
        Path model = Path.of(args[1]);
        int threads = Integer.parseInt(args[3]);
        int batch = Integer.parseInt(args[4]);
        int seq = Integer.parseInt(args[5]);
        int runs = Integer.parseInt(args[6]);
        Instant start = ProcessHandle.current().info().startInstant().orElse(Instant.now());
        LatencyStats stats;
        double firstMs;
        switch (engine) {
            case "nnzip" -> {
                MemoryMode mode = MemoryMode.parse(args[2]);
                try (Model m = Nnz.load(model, mode); Session s = m.newSession(new SessionOptions(threads, mode))) {
                    Map<String, Tensor> feed = SyntheticInputs.forModel(m.inputs(), batch, seq, Map.of(), 1);
                    s.run(feed);
                    firstMs = Duration.between(start, Instant.now()).toNanos() / 1e6;
                    stats = LatencyStats.measure(0, runs, () -> s.run(feed));
                }
            }
            case "ort" -> {
                Map<String, Tensor> feed;
                // The declared inputs are read from INPUTS_FROM (the .nnz): parsing a large .onnx with protobuf-java
                // would put nnzip's own heap use into ONNX Runtime's figures.
                try (Model m = Nnz.load(Path.of(args[7]), MemoryMode.LAYERWISE)) {
                    feed = SyntheticInputs.forModel(m.inputs(), batch, seq, Map.of(), 1);
                }
                try (OrtRunner ort = new OrtRunner(model, threads)) {
                    ort.setInputs(feed);
                    ort.run();
                    firstMs = Duration.between(start, Instant.now()).toNanos() / 1e6;
                    stats = LatencyStats.measure(0, runs, ort::run);
                }
            }
            default -> throw new IllegalArgumentException("engine must be ort or nnzip, was " + engine);
        }
        System.out.printf(Locale.ROOT, "{\"engine\":\"%s\",\"first_result_ms\":%.1f,\"p50_ms\":%.3f,"
                + "\"peak_rss_bytes\":%d,\"heap\":\"%s\"}%n", engine, firstMs, stats.medianMs(),
                ProcessMemory.peakRssBytes(), ProcessMemory.heapSetting());
    }
}
