package dev.nnzip.cli.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nnzip.Nnz;
import dev.nnzip.codec.ErrorBound;
import dev.nnzip.compress.BiasBounds;
import dev.nnzip.compress.BoundAllocation;
import dev.nnzip.compress.CompressionPolicy;
import dev.nnzip.compress.CompressionReport;
import dev.nnzip.compress.ModelCompressor;
import dev.nnzip.compress.RowStepScope;
import dev.nnzip.compress.bias.BiasCorrection;
import dev.nnzip.compress.transform.CalibrationInputs;
import dev.nnzip.compress.transform.GraphTransforms;
import dev.nnzip.eval.LabeledImages;
import dev.nnzip.kernels.Parallel;
import dev.nnzip.runtime.Model;
import dev.nnzip.runtime.weights.MemoryMode;
import dev.nnzip.tensor.Tensor;
import dev.nnzip.text.EmbeddingCosine;
import dev.nnzip.text.TextLines;
import dev.nnzip.text.TextTokenizer;
import dev.nnzip.text.TokenBatch;
import dev.nnzip.tune.LayerwiseTuner;
import dev.nnzip.tune.QualityMetric;
import dev.nnzip.tune.RoundingSearch;
import dev.nnzip.tune.SensitivityAllocation;
import dev.nnzip.tune.SoftmaxDivergence;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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

    @Option(names = "--allocation", defaultValue = DEFAULT_ALLOCATION, paramLabel = "uniform|size|share|measured",
            description = "how the bound is spread over the layers: the same for every layer, scaled by"
                    + " sqrt(layer size / largest layer), or by sqrt(layer size / all lossy layer weights) so one"
                    + " setting is one total distortion whatever the model's depth; measured = share's bytes"
                    + " respread by each layer's measured sensitivity (softmax divergence on the first"
                    + " --sensitivity-images training images of --dataset, or cosine on the first"
                    + " --sensitivity-sentences lines of --text): about the same size, less damage"
                    + " (default ${DEFAULT-VALUE})")
    String allocation;

    @Option(names = "--row-steps", defaultValue = DEFAULT_ROW_STEPS, paramLabel = "none|grouped|folded|all",
            description = "which layer weights get one bucket width per row (output channel), with a codec that takes"
                    + " it (smartdnn:rowsteps=true): none; the filters of grouped/depthwise convolutions; the filters a"
                    + " BatchNormalization was folded into; all (default ${DEFAULT-VALUE})")
    String rowSteps;

    @Option(names = "--calibrated-rounding", defaultValue = "1", paramLabel = "K",
            description = "try K grid offsets (k/K of a bucket width) per smartdnn layer and keep, layer by layer,"
                    + " the rounding with the smallest loss on the calibration data (the first --sensitivity-images"
                    + " training images of --dataset, or the first --sensitivity-sentences lines of --text): same"
                    + " bounds, about the same size; 1 = off (default ${DEFAULT-VALUE})")
    int roundingOffsets;

    @Option(names = "--bias-bounds", defaultValue = DEFAULT_BIAS_BOUNDS, paramLabel = "own|output",
            description = "what a bias's error bound is a fraction of: own = its own standard deviation; output = also"
                    + " the standard deviation of the output channels it shifts, where a folded BatchNormalization"
                    + " gives it (the finer bound wins; fewer changed predictions for about 1 %% more bytes on"
                    + " MobileNetV2) (default ${DEFAULT-VALUE})")
    String biasBounds;

    @Option(names = "--fold-batchnorm", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "fold Conv->BatchNormalization pairs into the Conv before compressing (default ${DEFAULT-VALUE})")
    boolean foldBatchNorm;

    @Option(names = "--bias-correction", defaultValue = DEFAULT_BIAS_CORRECTION,
            paramLabel = "none|bn|data|sequential",
            description = "move each lossy layer's bias by the mean shift its weight error causes (Nagel et al. 2019):"
                    + " none; bn = data-free, predicted from the BatchNormalization statistics that feed the layer"
                    + " (layers without them are left alone); data = predicted from the layer's mean input measured on"
                    + " --sensitivity-images training images of --dataset (or the --text sentences); sequential ="
                    + " measured layer by layer on the compressed model against the original on the same inputs"
                    + " (default ${DEFAULT-VALUE})")
    String biasCorrection;

    @Option(names = "--min-lossy", defaultValue = DEFAULT_MIN_LOSSY, paramLabel = "N",
            description = "layer weights with fewer values than this stay lossless (default ${DEFAULT-VALUE})")
    int minLossy;

    @Option(names = "--tensor", paramLabel = "REGEX=CODEC[:BOUND]",
            description = "override for weights whose name matches REGEX (repeatable), e.g. '.*embeddings.*=lossless'")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--transform", paramLabel = "SPEC",
            description = "graph transform applied before the codecs: lowrank:energy=0.95 (truncated SVD of"
                    + " Gemm/MatMul/1x1 Conv weights, a layer split in two where that is smaller),"
                    + " filters:sparsity=0.25 (structured filter pruning), actscale:alpha=0.5 (activation-aware"
                    + " scaling of MatMul/Gemm inputs, measured on --text or --dataset; tables=true also scales"
                    + " embedding-table rows by their lookup frequency, see --frequency-text); chain with +")
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
            description = "training images per layer-sensitivity measurement, and what actscale measures activations"
                    + " on (default ${DEFAULT-VALUE})")
    int sensitivityImages;

    @Option(names = "--calibration-images", defaultValue = "20000", paramLabel = "N",
            description = "training images, disjoint from the sensitivity ones, every candidate model is verified on"
                    + " (default ${DEFAULT-VALUE})")
    int calibrationImages;

    @Option(names = "--drop-margin", defaultValue = "" + dev.nnzip.tune.AccuracyDropBound.DEFAULT_Z, paramLabel = "Z",
            description = "standard errors added to the measured top-1 drop before it is held against the budget"
                    + " (default ${DEFAULT-VALUE})")
    double dropMarginZ;

    @Option(names = "--min-mean-cosine", paramLabel = "C",
            description = "tune a setting per layer of a sentence-embedding model for the best ratio with a mean"
                    + " cosine of at least C against the original's embeddings on --text (needs --tokenizer)")
    Double minMeanCosine;

    @Option(names = "--min-cosine", paramLabel = "C",
            description = "with --min-mean-cosine: also every calibration sentence's cosine at least C")
    Double minCosine;

    @Option(names = "--tokenizer", paramLabel = "tokenizer.json",
            description = "with --min-mean-cosine or --text: the model's HuggingFace tokenizer")
    Path tokenizer;

    @Option(names = "--text", paramLabel = "FILE",
            description = "calibration sentences, one per line, for --min-mean-cosine and for --transform actscale on a"
                    + " text model (e.g. data/corpus/fortunes-calibration.txt)")
    Path text;

    @Option(names = "--frequency-text", paramLabel = "FILE",
            description = "with --transform actscale:tables=true: sentences, one per line, on which the embedding"
                    + " rows' lookup frequencies are counted (all lines), instead of the first"
                    + " --sensitivity-sentences lines of --text; give text disjoint from --text and --held-out-text"
                    + " (e.g. data/corpus/fortunes-frequency.txt), so the tuner's sensitivities are not measured on"
                    + " the very tokens the rows were weighted by")
    Path frequencyText;

    @Option(names = "--held-out-text", paramLabel = "FILE",
            description = "with --min-mean-cosine: sentences the tuner never uses, only reported (e.g. the evaluation"
                    + " corpus)")
    Path heldOutText;

    @Option(names = "--sensitivity-sentences", defaultValue = "128", paramLabel = "N",
            description = "the first N lines of --text rank the layer settings (and are what actscale measures"
                    + " activations on), the rest verify candidates (default ${DEFAULT-VALUE})")
    int sensitivitySentences;

    @Option(names = "--ladder-steps-per-octave", paramLabel = "N",
            description = "with a tuner: candidate bounds per doubling of the bound, 1..16 (default 2 for bounds"
                    + " relative to the standard deviation, 0.025..0.8; 1 for range-relative ones, 0.25 %%..16 %%); finer"
                    + " ladders spend the budget more exactly and take longer")
    Integer ladderStepsPerOctave;

    static final String DEFAULT_CODEC = CompressionPolicy.DEFAULT_CODEC;
    static final String DEFAULT_BOUND = "0.26"; // CompressionPolicy.DEFAULT_BOUND (an annotation needs a constant)
    static final String DEFAULT_RELATIVE_TO = "std";
    static final String MEASURED_ALLOCATION = "measured";
    static final String DEFAULT_ALLOCATION = "share"; // CompressionPolicy.DEFAULT_ALLOCATION (an annotation needs a constant)
    static final String DEFAULT_BIAS_CORRECTION = "none"; // CompressionPolicy.defaults()' mode, lower case
    static final String DEFAULT_BIAS_BOUNDS = "own"; // CompressionPolicy.defaults()' bias bounds, lower case
    static final String DEFAULT_ROW_STEPS = "grouped"; // CompressionPolicy.DEFAULT_ROW_STEPS (an annotation needs a constant)
    static final String DEFAULT_MIN_LOSSY = "" + CompressionPolicy.DEFAULT_MIN_LOSSY_VALUES;

    @Override
    public Integer call() throws Exception {
        ErrorBound bound = bound(errorBound);
        boolean measured = allocation.trim().equalsIgnoreCase(MEASURED_ALLOCATION);
        CompressionPolicy policy = new CompressionPolicy(codec, bound, minLossy, java.util.List.of(), foldBatchNorm,
                measured ? BoundAllocation.SHARE : allocation(allocation), BiasCorrection.parse(biasCorrection),
                RowStepScope.parse(rowSteps), BiasBounds.parse(biasBounds));
        for (var e : overrides.entrySet()) {
            String[] spec = splitBound(e.getValue());
            ErrorBound b = spec.length == 2 ? bound(Double.parseDouble(spec[1])) : bound;
            policy = policy.withRule(e.getKey(), spec[0], b);
        }
        int workers = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (maxAccuracyDrop != null && minMeanCosine != null) {
            throw new IllegalArgumentException("give one budget: --max-accuracy-drop (classifiers) or"
                    + " --min-mean-cosine (sentence-embedding models), not both");
        }
        if (measured && (maxAccuracyDrop != null || minMeanCosine != null)) {
            throw new IllegalArgumentException("--allocation measured spreads one setting's bytes; a budget"
                    + " (--max-accuracy-drop, --min-mean-cosine) makes the tuner choose every layer itself: give one");
        }
        if (roundingOffsets < 1 || roundingOffsets > 64) {
            throw new IllegalArgumentException("--calibrated-rounding must be 1 (off) to 64 offsets per layer, was "
                    + roundingOffsets);
        }
        if (minMeanCosine != null && (tokenizer == null || text == null)) {
            throw new IllegalArgumentException("--min-mean-cosine needs --tokenizer tokenizer.json and --text FILE"
                    + " (calibration sentences, one per line)");
        }
        CalibrationInputs frequencies = CalibrationInputs.NONE;
        if (frequencyText != null) {
            if (transform == null) {
                throw new IllegalArgumentException("--frequency-text is only used by --transform"
                        + " actscale:tables=true");
            }
            if (tokenizer == null) {
                throw new IllegalArgumentException("--frequency-text needs --tokenizer tokenizer.json to make model"
                        + " inputs");
            }
            // Read now, so a missing or empty file fails before anything slow runs.
            frequencies = sentenceInputs(frequencyLines(frequencyText));
        }
        Path source = input;
        try {
            if (transform != null) {
                source = java.nio.file.Files.createTempFile(output.toAbsolutePath().getParent(), ".nnzip-transform",
                        ".onnx");
                for (String line : GraphTransforms.apply(transform, input, source, calibrationInputs(), frequencies,
                        workers)) {
                    System.err.println(line);
                }
            }
            if (maxAccuracyDrop != null || minMeanCosine != null) {
                return tune(source, policy, workers);
            }
            if (measured || roundingOffsets > 1) {
                policy = calibratedPolicy(source, policy, measured, workers);
            }
            CompressionReport report;
            ProgressBar bar = new ProgressBar(json ? null : System.err, "compressing");
            try (Parallel parallel = new Parallel(workers)) {
                report = ModelCompressor.compress(source, output, policy, calibrationInputs(), parallel,
                        bar::update);
                // the ratio is against the model the user gave, not the transformed intermediate
                report = new CompressionReport(java.nio.file.Files.size(input), report.compressedBytes(),
                        report.tensors());
            } finally {
                bar.finish();
            }
            if (json) {
                System.out.println(toJson(report));
            } else {
                print(report);
            }
            return 0;
        } finally {
            if (source != input) {
                java.nio.file.Files.deleteIfExists(source);
            }
        }
    }

    /**
     * {@code policy} with what calibration data decides: with {@code measured}, the layers' bounds respread by their
     * measured sensitivity ({@link SensitivityAllocation}); with {@code --calibrated-rounding K} > 1, each layer's
     * grid offset ({@link RoundingSearch}). Both measure the loss on the same calibration data: the first
     * --sensitivity-images training images of --dataset, or the first --sensitivity-sentences lines of --text.
     */
    private CompressionPolicy calibratedPolicy(Path source, CompressionPolicy policy, boolean measured, int workers)
            throws Exception {
        try (Model original = Nnz.load(input, MemoryMode.EAGER); Parallel parallel = new Parallel(workers)) {
            if (text != null) {
                if (tokenizer == null) {
                    throw new IllegalArgumentException("--text needs --tokenizer tokenizer.json to make model inputs");
                }
                List<String> lines = TextLines.read(text);
                List<String> first = lines.subList(0, Math.min(lines.size(), sensitivitySentences));
                try (TextTokenizer t = TextTokenizer.load(tokenizer)) {
                    QualityMetric cosine = new EmbeddingCosine(text.getFileName() + " [0, " + first.size() + ")",
                            first, t, original, workers, Double.NEGATIVE_INFINITY);
                    return calibratedPolicy(source, policy, measured, cosine, parallel);
                }
            }
            LabeledImages train = datasetOptions.open().train();
            QualityMetric divergence = new SoftmaxDivergence(train.range(0, Math.min(sensitivityImages, train.size())),
                    workers, original);
            return calibratedPolicy(source, policy, measured, divergence, parallel);
        }
    }

    private CompressionPolicy calibratedPolicy(Path source, CompressionPolicy policy, boolean measured,
                                               QualityMetric loss, Parallel parallel) {
        if (measured) {
            SensitivityAllocation.Result allocation = SensitivityAllocation.allocate(source, policy, loss, parallel,
                    json ? null : (done, total, layer) -> System.err.printf(java.util.Locale.ROOT,
                            "sensitivity %d/%d %s%n", done, total, SensitivityAllocation.describe(layer)));
            if (!json) {
                for (SensitivityAllocation.Layer l : allocation.layers()) {
                    System.err.printf(java.util.Locale.ROOT, "measured allocation: %s bound x%.3f%n", l.name(),
                            l.factor());
                }
            }
            policy = allocation.policy();
        }
        if (roundingOffsets > 1) {
            RoundingSearch.Result rounding = RoundingSearch.search(source, policy, loss, roundingOffsets, parallel,
                    json ? null : (done, total, layer) -> System.err.printf(java.util.Locale.ROOT,
                            "rounding %d/%d %s: offset %.3f of a bucket, loss %s%n", done, total, layer.name(),
                            layer.offset(), java.util.Arrays.toString(layer.losses())));
            if (!json) {
                System.err.printf(java.util.Locale.ROOT, "calibrated rounding: loss %.4g with every layer on its own"
                        + " grid, %.4g with the chosen offsets%n", rounding.ownGridLoss(), rounding.chosenLoss());
            }
            policy = rounding.policy();
        }
        return policy;
    }

    /** A fixed allocation by name; the error lists every --allocation choice, {@code measured} too. */
    private static BoundAllocation allocation(String name) {
        try {
            return BoundAllocation.parse(name);
        } catch (IllegalArgumentException e) {
            List<String> valid = new ArrayList<>();
            for (BoundAllocation a : BoundAllocation.values()) {
                valid.add(a.toString());
            }
            valid.add(MEASURED_ALLOCATION);
            throw new IllegalArgumentException("--allocation must be one of " + String.join(", ", valid) + ", was '"
                    + name + "'", e);
        }
    }

    /** The per-layer tuner on {@code source} (the input, or its transform), measured against the input. */
    private int tune(Path source, CompressionPolicy policy, int workers) throws Exception {
        // Candidate bounds of the same kind as --relative-to, so the tuner's global start is a setting the plain
        // command can also write.
        boolean std = relativeTo.equals("std") && !absolute;
        int steps = ladderStepsPerOctave != null ? ladderStepsPerOctave : std ? 2 : 1;
        var space = std ? LayerwiseTuner.Options.stdLadder(codec, steps) : LayerwiseTuner.Options.ladder(codec, steps);
        if (maxAccuracyDrop != null) {
            return TunedCompression.run(input, source, output, policy, space, maxAccuracyDrop, datasetOptions,
                    sensitivityImages, calibrationImages, dropMarginZ, workers, json);
        }
        return TunedCompression.runEmbedding(input, source, output, policy, space, minMeanCosine,
                minCosine == null ? Double.NEGATIVE_INFINITY : minCosine, tokenizer, text, heldOutText,
                sensitivitySentences, workers, json);
    }

    /**
     * Inputs for transforms that measure activations: the first --sensitivity-sentences lines of --text, one sentence
     * per run (no padding to skew the statistics), for a text model; else the first --sensitivity-images training
     * images of --dataset. Both are disjoint from the data the tuner verifies candidates on.
     */
    private CalibrationInputs calibrationInputs() {
        if (text != null) {
            if (tokenizer == null) {
                throw new IllegalArgumentException("--text needs --tokenizer tokenizer.json to make model inputs");
            }
            List<String> lines = TextLines.read(text);
            return sentenceInputs(lines.subList(0, Math.min(lines.size(), sensitivitySentences)));
        }
        return graph -> {
            if (graph.feedInputs().size() != 1) {
                throw new IllegalArgumentException("calibration images need a model with one input; this one has "
                        + graph.feedInputs() + " (for a text model give --text and --tokenizer)");
            }
            LabeledImages train = datasetOptions.open().train();
            int n = Math.min(sensitivityImages, train.size());
            List<Map<String, Tensor>> feeds = new ArrayList<>();
            for (int from = 0; from < n; from += 100) {
                feeds.add(Map.of(graph.feedInputs().getFirst().name(), train.images(from, Math.min(n, from + 100))));
            }
            return feeds;
        };
    }

    /** One feed per sentence (no padding to skew the statistics), tokenized with --tokenizer when the model asks. */
    private CalibrationInputs sentenceInputs(List<String> lines) {
        return graph -> {
            List<Map<String, Tensor>> feeds = new ArrayList<>();
            try (TextTokenizer t = TextTokenizer.load(tokenizer)) {
                TokenBatch all = t.encode(lines);
                for (int i = 0; i < lines.size(); i++) {
                    feeds.add(TokenBatch.of(List.of(all.ids().get(i)), List.of(all.typeIds().get(i)))
                            .feed(graph.feedInputs()));
                }
            }
            return feeds;
        };
    }

    /**
     * The lines of a --frequency-text file.
     *
     * @throws IllegalArgumentException if the file does not exist or has no non-blank line (counting the lookups of
     *                                  nothing would silently weigh every row alike)
     */
    static List<String> frequencyLines(Path file) {
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--frequency-text " + file + ": no such file");
        }
        List<String> lines = TextLines.read(file);
        if (lines.stream().allMatch(String::isBlank)) {
            throw new IllegalArgumentException("--frequency-text " + file + " has no sentences (expected one per"
                    + " line)");
        }
        return lines;
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
            System.out.printf("%-40s %-9s %-18s %10s %10s %7.2f %12.3g%n", Format.abbreviate(t.name(), 40), t.codec(),
                    Arrays.toString(t.shape()), Format.bytes(t.rawBytes()), Format.bytes(t.storedBytes()),
                    t.bitsPerWeight(), t.maxAbsError());
        }
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
        root.put("bias_correction", biasCorrection);
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
