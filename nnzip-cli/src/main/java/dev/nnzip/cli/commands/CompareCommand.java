package dev.nnzip.cli.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nnzip.eval.FashionMnist;
import dev.nnzip.eval.LabeledImages;
import dev.nnzip.report.RateAccuracyReport;
import dev.nnzip.report.TechniqueSweep;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nnzip compare IN.onnx --dataset fashion-mnist --report report.html [--limit N] [--json]}. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Every compression technique at several settings on one classifier: ratio, accuracy, decode speed,"
                + " memory; optionally an offline HTML report with the rate-accuracy plot.")
public final class CompareCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN.onnx")
    Path input;

    @Mixin
    DatasetOptions datasetOptions = new DatasetOptions();

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N", description = "first N test images (0 = all)")
    int limit;

    @Option(names = "--report", paramLabel = "FILE.html", description = "write the HTML report here")
    Path report;

    @Option(names = "--threads", paramLabel = "N", description = "worker threads (default: all cores)")
    Integer threads;

    @Option(names = "--json", description = "print the table as JSON")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (limit < 0) {
            throw new IllegalArgumentException("--limit must be >= 0, was " + limit);
        }
        FashionMnist fm = datasetOptions.open();
        LabeledImages test = limit == 0 ? fm.test() : fm.test().first(limit);
        int workers = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        List<TechniqueSweep.Technique> techniques = TechniqueSweep.standard();
        if (!json) {
            System.out.printf(Locale.ROOT, "%-10s %-16s %12s %8s %8s %8s %10s%n", "technique", "setting", ".nnz bytes",
                    "ratio", "top-1", "drop", "decode MB/s");
        }
        Path workDir = (report != null ? report : input).toAbsolutePath().getParent();
        TechniqueSweep.Result r = TechniqueSweep.run(input, test, techniques, workers, workDir, p -> {
            if (!json) {
                System.out.printf(Locale.ROOT, "%-10s %-16s %,12d %7.2fx %8.2f %8.2f %10.0f%n", p.technique(),
                        p.setting(), p.compressedBytes(), p.ratio(), p.accuracy(), p.drop(), p.decodeMBps());
            }
        });
        if (report != null) {
            RateAccuracyReport.write(r, report);
            if (!json) {
                System.out.println("report: " + report);
            }
        }
        if (json) {
            System.out.println(toJson(r));
        }
        return 0;
    }

    private static String toJson(TechniqueSweep.Result r) throws Exception {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("model", r.model());
        root.put("original_bytes", r.originalBytes());
        root.put("baseline_accuracy", r.baselineAccuracy());
        root.put("data", r.data());
        ArrayNode rows = root.putArray("points");
        for (TechniqueSweep.Point p : r.points()) {
            ObjectNode row = rows.addObject();
            row.put("technique", p.technique());
            row.put("setting", p.setting());
            row.put("compressed_bytes", p.compressedBytes());
            row.put("ratio", p.ratio());
            row.put("accuracy", p.accuracy());
            row.put("drop", p.drop());
            row.put("decode_mb_per_s", p.decodeMBps());
            row.put("peak_decoded_weight_bytes", p.peakDecodedWeightBytes());
        }
        return mapper.writeValueAsString(root);
    }
}
