package dev.nnzip.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Process peak RSS and time to first result of ONNX Runtime on the FP32 .onnx against nnzip on the .nnz, each in a
 * fresh JVM with the same heap limit ({@link ColdProcess}), so the figures are whole-process and cold. Prints a
 * Markdown table for docs/BENCHMARKS.md.
 *
 * <pre>java -jar nnzip-bench.jar memory MODEL.onnx MODEL.nnz --xmx 64m --memory prefetch,eager --seq 20</pre>
 */
@Command(name = "memory", mixinStandardHelpOptions = true,
        description = "Peak RSS and time to first result: ONNX Runtime on the .onnx vs nnzip on the .nnz, cold processes.")
final class MemoryCompare implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL.onnx")
    Path onnx;

    @Parameters(index = "1", paramLabel = "MODEL.nnz")
    Path nnz;

    @Option(names = "--xmx", defaultValue = "64m", description = "JVM heap limit of every child (default ${DEFAULT-VALUE})")
    String xmx;

    @Option(names = "--memory", split = ",", defaultValue = "prefetch,layerwise,eager",
            description = "nnzip memory modes to measure (default ${DEFAULT-VALUE})")
    List<String> modes;

    @Option(names = "--threads", defaultValue = "2")
    int threads;

    @Option(names = "--batch", defaultValue = "1")
    int batch;

    @Option(names = "--seq", defaultValue = "20", description = "sequence length for token inputs")
    int seq;

    @Option(names = "--runs", defaultValue = "20")
    int runs;

    @Option(names = "--repeat", defaultValue = "3", description = "cold processes per row; the median is reported")
    int repeat;

    @Override
    public Integer call() throws Exception {
        System.out.printf(Locale.ROOT, "| engine | model | memory | heap | first result | p50 | peak RSS (VmHWM) |%n"
                + "|---|---|---|---|---|---|---|%n");
        row("ort", onnx, "-");
        for (String mode : modes) {
            row("nnzip", nnz, mode);
        }
        return 0;
    }

    private void row(String engine, Path model, String mode) throws Exception {
        List<JsonNode> results = new ArrayList<>();
        for (int i = 0; i < repeat; i++) {
            results.add(child(engine, model, mode));
        }
        results.sort((a, b) -> Long.compare(a.get("peak_rss_bytes").asLong(), b.get("peak_rss_bytes").asLong()));
        JsonNode mid = results.get(results.size() / 2);
        System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %.0f ms | %.2f ms | %.1f MiB |%n", engine,
                model.getFileName(), mode, mid.get("heap").asText(), mid.get("first_result_ms").asDouble(),
                mid.get("p50_ms").asDouble(), mid.get("peak_rss_bytes").asLong() / 1048576.0);
    }

    private JsonNode child(String engine, Path model, String mode) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = System.getProperty("java.class.path");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx" + xmx, "-XX:+UseSerialGC",
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-cp", cp,
                ColdProcess.class.getName(), engine, model.toString(), mode.equals("-") ? "eager" : mode,
                Integer.toString(threads), Integer.toString(batch), Integer.toString(seq), Integer.toString(runs),
                nnz.toString()));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(engine + " " + model + " " + mode + " failed (exit "
                    + (p.isAlive() ? "timeout" : p.exitValue()) + "): " + out);
        }
        String last = out.substring(out.lastIndexOf('\n') + 1);
        return new ObjectMapper().readTree(last);
    }
}
