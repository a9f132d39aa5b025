package dev.nnzip.cli.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nnzip.codec.ErrorBound;
import dev.nnzip.compress.BoundAllocation;
import dev.nnzip.compress.CompressionPolicy;
import dev.nnzip.compress.CompressionReport;
import dev.nnzip.compress.ModelCompressor;
import dev.nnzip.kernels.Parallel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nnzip compress IN.onnx -o OUT.nnz [--codec C] [--error-bound B] [--absolute] [--json]}. */
@Command(name = "compress", mixinStandardHelpOptions = true,
        description = "Compress an ONNX model's weights into a .nnz (every weight within the error bound).")
public final class CompressCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN.onnx")
    Path input;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.nnz")
    Path output;

    @Option(names = "--codec", defaultValue = DEFAULT_CODEC,
            description = "codec for the large layer weights: smartdnn, sz, uniform or lossless (error-bounded), or a"
                    + " survey codec with settings: int8[:asym=true], int4[:block=32..128], fp16, bf16,"
                    + " kmeans[:bits=1..8], prune:sparsity=S|threshold=T[+CODEC] (default ${DEFAULT-VALUE})")
    String codec;

    @Option(names = "--error-bound", defaultValue = DEFAULT_BOUND, paramLabel = "B",
            description = "error bound: a fraction of each layer weight's standard deviation (default ${DEFAULT-VALUE};"
                    + " see --relative-to, --allocation), or an absolute value with --absolute")
    double errorBound;

    @Option(names = "--absolute", description = "read --error-bound as an absolute bound")
    boolean absolute;

    @Option(names = "--relative-to", defaultValue = DEFAULT_RELATIVE_TO, paramLabel = "range|channel|std",
            description = "what a relative --error-bound is a fraction of: each tensor's value range max-min, the"
                    + " smallest range of its output channels, or its standard deviation (default ${DEFAULT-VALUE})")
    String relativeTo;

    @Option(names = "--allocation", defaultValue = DEFAULT_ALLOCATION, paramLabel = "uniform|size|share",
            description = "how the bound is spread over the layers: the same for every layer, scaled by"
                    + " sqrt(layer size / largest layer), or by sqrt(layer size / all lossy layer weights) so one"
                    + " setting is one total distortion whatever the model's depth (default ${DEFAULT-VALUE})")
    String allocation;

    @Option(names = "--fold-batchnorm", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "fold Conv->BatchNormalization pairs into the Conv before compressing (default ${DEFAULT-VALUE})")
    boolean foldBatchNorm;

    @Option(names = "--min-lossy", defaultValue = DEFAULT_MIN_LOSSY, paramLabel = "N",
            description = "layer weights with fewer values than this stay lossless (default ${DEFAULT-VALUE})")
    int minLossy;

    @Option(names = "--tensor", paramLabel = "REGEX=CODEC[:BOUND]",
            description = "override for weights whose name matches REGEX (repeatable), e.g. '.*embeddings.*=lossless'")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--transform", paramLabel = "SPEC",
            description = "graph transform applied before the codecs, e.g. lowrank:energy=0.95 (truncated SVD of"
                    + " Gemm/MatMul/1x1 Conv weights, a layer split in two where that is smaller)")
    String transform;

    @Option(names = "--threads", paramLabel = "N", description = "threads for verification decoding")
    Integer threads;

    @Option(names = "--json", description = "print the report as JSON")
    boolean json;

    @Option(names = "--max-accuracy-drop", paramLabel = "PP",
            description = "tune a setting per layer for the best ratio with at most this top-1 drop (percentage points)"
                    + " on --dataset; --error-bound is then ignored")
    Double maxAccuracyDrop;

    @Mixin
    DatasetOptions datasetOptions = new DatasetOptions();

    @Option(names = "--sensitivity-images", defaultValue = "1000", paramLabel = "N",
            description = "training images per layer-sensitivity measurement (default ${DEFAULT-VALUE})")
    int sensitivityImages;

    @Option(names = "--calibration-images", defaultValue = "20000", paramLabel = "N",
            description = "training images, disjoint from the sensitivity ones, every candidate model is verified on"
                    + " (default ${DEFAULT-VALUE})")
    int calibrationImages;

    @Option(names = "--drop-margin", defaultValue = "" + dev.nnzip.tune.AccuracyDropBound.DEFAULT_Z, paramLabel = "Z",
            description = "standard errors added to the measured top-1 drop before it is held against the budget"
                    + " (default ${DEFAULT-VALUE})")
    double dropMarginZ;

    static final String DEFAULT_CODEC = CompressionPolicy.DEFAULT_CODEC;
    static final String DEFAULT_BOUND = "0.26"; // CompressionPolicy.DEFAULT_BOUND (an annotation needs a constant)
    static final String DEFAULT_RELATIVE_TO = "std";
    static final String DEFAULT_ALLOCATION = "share"; // CompressionPolicy.DEFAULT_ALLOCATION (an annotation needs a constant)
    static final String DEFAULT_MIN_LOSSY = "" + CompressionPolicy.DEFAULT_MIN_LOSSY_VALUES;

    @Override
    public Integer call() throws Exception {
        ErrorBound bound = bound(errorBound);
        CompressionPolicy policy = new CompressionPolicy(codec, bound, minLossy, java.util.List.of(), foldBatchNorm,
                BoundAllocation.parse(allocation));
        for (var e : overrides.entrySet()) {
            String[] spec = splitBound(e.getValue());
            ErrorBound b = spec.length == 2 ? bound(Double.parseDouble(spec[1])) : bound;
            policy = policy.withRule(e.getKey(), spec[0], b);
        }
        int workers = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (maxAccuracyDrop != null) {
            if (transform != null) {
                throw new IllegalArgumentException("--max-accuracy-drop tunes codecs per layer and cannot be combined"
                        + " with --transform (yet); run the transform first: --transform ... then tune its output");
            }
            return TunedCompression.run(input, output, policy, codec, maxAccuracyDrop, datasetOptions, sensitivityImages,
                    calibrationImages, dropMarginZ, workers, json);
        }
        CompressionReport report;
        ProgressBar bar = new ProgressBar(json ? null : System.err, "compressing");
        Path source = input;
        if (transform != null) {
            source = java.nio.file.Files.createTempFile(output.toAbsolutePath().getParent(), ".nnzip-transform",
                    ".onnx");
            for (String line : dev.nnzip.compress.transform.GraphTransforms.apply(transform, input, source)) {
                System.err.println(line);
            }
        }
        try (Parallel parallel = new Parallel(workers)) {
            report = ModelCompressor.compress(source, output, policy, parallel, bar::update);
            // the ratio is against the model the user gave, not the transformed intermediate
            report = new CompressionReport(java.nio.file.Files.size(input), report.compressedBytes(), report.tensors());
        } finally {
            bar.finish();
            if (source != input) {
                java.nio.file.Files.deleteIfExists(source);
            }
        }
        if (json) {
            System.out.println(toJson(report));
        } else {
            print(report);
        }
        return 0;
    }

    /**
     * {@code CODEC[:BOUND]} where CODEC may itself carry settings ({@code int4:block=64}): the text after the last colon
     * is a bound only if it is a number.
     */
    static String[] splitBound(String value) {
        int colon = value.lastIndexOf(':');
        if (colon > 0) {
            try {
                Double.parseDouble(value.substring(colon + 1));
                return new String[] {value.substring(0, colon), value.substring(colon + 1)};
            } catch (NumberFormatException e) {
                // the tail is a codec setting, not a bound
            }
        }
        return new String[] {value};
    }

    private ErrorBound bound(double value) {
        if (absolute) {
            return ErrorBound.absolute(value);
        }
        return switch (relativeTo) {
            case "std" -> ErrorBound.ofStd(value);
            case "range" -> ErrorBound.relative(value);
            case "channel" -> ErrorBound.ofChannelRange(value);
            default -> throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--relative-to must be range, channel or std, was '" + relativeTo + "'");
        };
    }

    private void print(CompressionReport r) {
        System.out.printf("%s -> %s: %s -> %s, ratio %.2fx%n", input.getFileName(), output.getFileName(),
                Format.bytes(r.originalBytes()), Format.bytes(r.compressedBytes()), r.ratio());
        System.out.printf("%-40s %-9s %-18s %10s %10s %7s %12s%n", "tensor", "codec", "shape", "raw", "stored",
                "bits/w", "max |w-w'|");
        for (var t : r.tensors()) {
            System.out.printf("%-40s %-9s %-18s %10s %10s %7.2f %12.3g%n", abbreviate(t.name(), 40), t.codec(),
                    Arrays.toString(t.shape()), Format.bytes(t.rawBytes()), Format.bytes(t.storedBytes()),
                    t.bitsPerWeight(), t.maxAbsError());
        }
    }

    static String abbreviate(String s, int n) {
        return s.length() <= n ? s : "..." + s.substring(s.length() - n + 3);
    }

    private String toJson(CompressionReport r) throws Exception {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("input", input.toString());
        root.put("output", output.toString());
        root.put("codec", codec);
        if (transform != null) {
            root.put("transform", transform);
        }
        root.put("error_bound", errorBound);
        root.put("error_bound_kind", absolute ? "absolute" : "relative to " + relativeTo);
        root.put("allocation", allocation);
        root.put("original_bytes", r.originalBytes());
        root.put("compressed_bytes", r.compressedBytes());
        root.put("ratio", r.ratio());
        ArrayNode rows = root.putArray("tensors");
        for (var t : r.tensors()) {
            ObjectNode row = rows.addObject();
            row.put("name", t.name());
            row.put("codec", t.codec());
            ArrayNode shape = row.putArray("shape");
            Arrays.stream(t.shape()).forEach(shape::add);
            row.put("error_bound", t.errorBound());
            row.put("raw_bytes", t.rawBytes());
            row.put("stored_bytes", t.storedBytes());
            row.put("bits_per_weight", t.bitsPerWeight());
            row.put("ratio", t.ratio());
            row.put("max_abs_error", t.maxAbsError());
        }
        return json.writeValueAsString(root);
    }
}
