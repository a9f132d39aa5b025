package dev.nnzip.cli.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.nnzip.Nnz;
import dev.nnzip.runtime.LatencyStats;
import dev.nnzip.runtime.Model;
import dev.nnzip.runtime.OpProfile;
import dev.nnzip.runtime.PlannedActivations;
import dev.nnzip.runtime.ProcessMemory;
import dev.nnzip.runtime.Session;
import dev.nnzip.runtime.SessionOptions;
import dev.nnzip.runtime.SyntheticInputs;
import dev.nnzip.runtime.weights.MemoryMode;
import dev.nnzip.tensor.Tensor;
import dev.nnzip.tensor.io.Npy;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code nnzip bench MODEL}: load time, time to first result, latency percentiles, the engine's peak decoded-weight and
 * activation bytes, and the process's peak RSS (VmHWM) with the heap setting it ran under.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure load time, first-result time, latency and memory of a model (.onnx or .nnz).")
public final class BenchCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL")
    Path model;

    @Option(names = "--input", paramLabel = "NAME=FILE.npy", description = "inputs (default: built from declared shapes)")
    Map<String, Path> inputs = new LinkedHashMap<>();

    @Option(names = "--dim", paramLabel = "NAME=N", description = "size of a named dynamic dimension")
    Map<String, Integer> dims = new LinkedHashMap<>();

    @Option(names = "--batch", defaultValue = "1", description = "batch size for built inputs (default 1)")
    int batch;

    @Option(names = "--seq", defaultValue = "32", description = "other dynamic dimensions for built inputs (default 32)")
    int sequence;

    @Option(names = "--memory", paramLabel = "MODE",
            description = "eager, layerwise, prefetch or budget=BYTES (default: eager for .onnx, prefetch for .nnz)")
    String memory;

    @Option(names = "--threads", paramLabel = "N", description = "worker threads (default: all cores)")
    Integer threads;

    @Option(names = "--warmup", defaultValue = "20")
    int warmup;

    @Option(names = "--runs", defaultValue = "100")
    int runs;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Option(names = "--profile", paramLabel = "N", description = "time every node over the measured runs and list the "
            + "N slowest nodes and all operator types (the clock reads add a little to the latency)")
    Integer profileTop;

    /**
     * The figures, as printed and as JSON; the profile lists are null unless {@code --profile} was given.
     * {@code plannedActivationBytes} is the peak known before running (null when a shape depends on data; then
     * {@code plannedActivationNote} says which node), next to the measured {@code peakActivationBytes};
     * {@code pooledActivationBytes} is what the session kept of dead activation arrays between runs for reuse.
     */
    public record Result(String model, String memoryMode, int threads, double loadMs, double firstResultMs,
                         double p50Ms, double p90Ms, int runs, long storedWeightBytes, long decodedWeightBytes,
                         long peakWeightBytes, long peakActivationBytes, Long plannedActivationBytes,
                         String plannedActivationNote, long pooledActivationBytes, long peakRssBytes, String heap,
                         List<OpProfile.OpTypeTime> profileByOpType, List<OpProfile.NodeTime> profileSlowestNodes) {
    }

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        MemoryMode mode = memory == null ? null : MemoryMode.parse(memory);
        try (Model m = mode == null ? Nnz.load(model) : Nnz.load(model, mode)) {
            double loadMs = (System.nanoTime() - t0) / 1e6;
            if (profileTop != null && profileTop < 1) {
                throw new IllegalArgumentException("--profile takes the number of nodes to list (>= 1), was "
                        + profileTop);
            }
            SessionOptions options = (threads == null ? SessionOptions.defaults() : new SessionOptions(threads))
                    .withMemory(mode).withProfiling(profileTop != null);
            Map<String, Tensor> feed = new LinkedHashMap<>();
            for (var e : inputs.entrySet()) {
                feed.put(e.getKey(), Npy.read(e.getValue()));
            }
            if (feed.isEmpty()) {
                feed = SyntheticInputs.forModel(m.inputs(), batch, sequence, dims, 1);
            }
            Map<String, Tensor> in = feed;
            Map<String, int[]> shapes = new LinkedHashMap<>();
            in.forEach((name, t) -> shapes.put(name, t.shape()));
            PlannedActivations planned = m.plannedActivations(shapes);
            try (Session s = m.newSession(options)) {
                s.run(in);
                double firstMs = (System.nanoTime() - t0) / 1e6;
                for (int i = 0; i < warmup; i++) {
                    s.run(in);
                }
                s.profile().ifPresent(OpProfile::reset); // profile the measured runs only, not the JIT's warm-up
                LatencyStats lat = LatencyStats.measure(0, runs, () -> s.run(in));
                OpProfile profile = s.profile().orElse(null);
                Result r = new Result(model.getFileName().toString(), s.memory().toString(), options.threads(),
                        loadMs, firstMs, lat.medianMs(), lat.p90Ms(), lat.runs(), m.storedWeightBytes(),
                        m.decodedWeightBytes(), m.weightAccounting().peakBytes(), s.peakActivationBytes(),
                        planned.isKnown() ? planned.peakBytes().getAsLong() : null,
                        planned.isKnown() ? "after " + planned.peakAt() : "unknown: " + planned.unknownReason(),
                        s.pooledActivationBytes(), ProcessMemory.peakRssBytes(), ProcessMemory.heapSetting(),
                        profile == null ? null : profile.byOpType(),
                        profile == null ? null : profile.byNode().stream().limit(profileTop).toList());
                print(r);
            }
        }
        return 0;
    }

    private void print(Result r) throws Exception {
        if (json) {
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r));
            return;
        }
        System.out.printf("model              %s (memory %s, %d thread(s))%n", r.model(), r.memoryMode(), r.threads());
        System.out.printf("load               %.1f ms%n", r.loadMs());
        System.out.printf("first result       %.1f ms after start of load%n", r.firstResultMs());
        System.out.printf("latency            p50 %s, p90 %s over %d runs%n", Format.millis(r.p50Ms()),
                Format.millis(r.p90Ms()), r.runs());
        System.out.printf("weights            stored %s, decoded %s, peak resident decoded %s%n",
                Format.bytes(r.storedWeightBytes()), Format.bytes(r.decodedWeightBytes()),
                Format.bytes(r.peakWeightBytes()));
        System.out.printf("activations        peak %s, planned before running %s; %s of dead arrays kept for reuse%n",
                Format.bytes(r.peakActivationBytes()), r.plannedActivationBytes() == null
                        ? r.plannedActivationNote() : Format.bytes(r.plannedActivationBytes()),
                Format.bytes(r.pooledActivationBytes()));
        System.out.printf("process peak RSS   %s (VmHWM) with %s%n", Format.bytes(r.peakRssBytes()), r.heap());
        if (r.profileByOpType() != null) {
            printProfile(r);
        }
    }

    /** Per op type, then the slowest nodes: milliseconds per run and share of the kernels' total. */
    private static void printProfile(Result r) {
        double total = r.profileByOpType().stream().mapToLong(OpProfile.OpTypeTime::nanos).sum();
        double perRun = 1e6 * r.runs();
        System.out.printf("%nkernel time per run by operator type (%.3f ms in kernels)%n", total / perRun);
        System.out.printf("%-28s %6s %10s %7s%n", "op type", "nodes", "ms/run", "share");
        for (OpProfile.OpTypeTime t : r.profileByOpType()) {
            System.out.printf("%-28s %6d %10.4f %6.1f%%%n", t.opType(), t.nodes(), t.nanos() / perRun,
                    100 * t.nanos() / total);
        }
        System.out.printf("%nslowest nodes%n%-40s %-20s %10s %7s%n", "node", "op type", "ms/run", "share");
        for (OpProfile.NodeTime t : r.profileSlowestNodes()) {
            System.out.printf("%-40s %-20s %10.4f %6.1f%%%n", Format.abbreviate(t.node(), 40), t.opType(),
                    t.nanos() / perRun, 100 * t.nanos() / total);
        }
    }
}
