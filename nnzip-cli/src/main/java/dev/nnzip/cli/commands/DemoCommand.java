package dev.nnzip.cli.commands;

import dev.nnzip.Nnz;
import dev.nnzip.graph.ValueInfo;
import dev.nnzip.runtime.LatencyStats;
import dev.nnzip.runtime.Model;
import dev.nnzip.runtime.ProcessMemory;
import dev.nnzip.runtime.Session;
import dev.nnzip.runtime.SessionOptions;
import dev.nnzip.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nnzip demo}: the main job on the embedded default model — what the model is, its accuracy on Fashion-MNIST,
 * its latency and the process's peak memory.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run nnzip end to end on the embedded default model (a VGG-style Fashion-MNIST CNN).")
public final class DemoCommand implements Callable<Integer> {
    static final String DEFAULT_MODEL = "vgg.onnx";

    @Option(names = "--threads", paramLabel = "N", description = "worker threads (default: all cores)")
    Integer threads;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "200", description = "timed runs for latency (default 200)")
    int runs;

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("nnzip-demo");
        try {
            Path onnx = extract(DEFAULT_MODEL, dir);
            SessionOptions options = threads == null ? SessionOptions.defaults() : new SessionOptions(threads);
            System.out.println("== nnzip demo: embedded model " + DEFAULT_MODEL + " ==");
            try (Model m = Nnz.load(onnx); Session s = m.newSession(options)) {
                InfoCommand.print(m, Files.size(onnx));
                ValueInfo in = m.inputs().get(0);
                Tensor one = Tensor.zeros(in.dtype(), 1, 1, 28, 28);
                LatencyStats lat = LatencyStats.measure(20, runs, () -> s.run(Map.of(in.name(), one)));
                System.out.printf("latency    batch 1, %d thread(s): median %s, p90 %s over %d runs%n",
                        options.threads(), Format.millis(lat.medianMs()), Format.millis(lat.p90Ms()), lat.runs());
                System.out.printf("memory     decoded weights %s; process peak RSS (VmHWM) %s with %s%n",
                        Format.bytes(m.residentWeightBytes()), Format.bytes(ProcessMemory.peakRssBytes()),
                        ProcessMemory.heapSetting());
            }
            return 0;
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
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
