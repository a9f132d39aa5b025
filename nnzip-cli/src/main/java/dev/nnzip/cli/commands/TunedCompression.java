package dev.nnzip.cli.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nnzip.compress.CompressionPolicy;
import dev.nnzip.eval.FashionMnist;
import dev.nnzip.eval.LabeledImages;
import dev.nnzip.Nnz;
import dev.nnzip.runtime.Model;
import dev.nnzip.runtime.weights.MemoryMode;
import dev.nnzip.tune.ClassificationAccuracy;
import dev.nnzip.tune.AccuracyDropBound;
import dev.nnzip.tune.QualityMetric;
import dev.nnzip.tune.SoftmaxDivergence;
import dev.nnzip.tune.LayerwiseTuner;
import dev.nnzip.tune.Setting;
import dev.nnzip.text.EmbeddingCosine;
import dev.nnzip.text.TextLines;
import dev.nnzip.text.TextTokenizer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The CLI side of the per-layer tuner: {@code --max-accuracy-drop} for classifiers, {@code --min-mean-cosine} for
 * sentence-embedding models ({@link #runEmbedding}).
 *
 * <p>{@code nnzip compress IN.onnx -o OUT.nnz --max-accuracy-drop PP --dataset fashion-mnist}: the accuracy-budget tuner
 * on a classifier. Three disjoint sets of images: the first {@code sensitivityImages} training images rank the
 * per-layer settings (softmax divergence from the original), the last {@code calibrationImages} training images verify
 * every candidate model against the budget (a pessimistic top-1 drop estimate, the training images weighted by
 * importance towards the first half of the test set, which training images do not resemble near the decision
 * boundaries: see AccuracyDropBound), and the second half of the test set,
 * [5000, 10000), is held out and only reported, so the reported drop is measured on images the tuner never saw.
 */
final class TunedCompression {
    private TunedCompression() {
    }

    /**
     * @param input  the user's model: the reference the loss is measured against and the ratio's numerator
     * @param source the model to tune: {@code input} or its transform (which computes the same function)
     */
    static int run(Path input, Path source, Path output, CompressionPolicy base, List<Setting> space, double maxDrop,
                   DatasetOptions dataset, int sensitivityImages, int calibrationImages, double z, int threads, boolean json)
            throws Exception {
        FashionMnist fm = dataset.open();
        LabeledImages train = fm.train();
        if (sensitivityImages < 1 || calibrationImages < 1 || sensitivityImages + calibrationImages > train.size()) {
            throw new IllegalArgumentException("--sensitivity-images (" + sensitivityImages + ") and"
                    + " --calibration-images (" + calibrationImages + ") must be >= 1 and together at most the "
                    + train.size() + " training images, so the two sets stay disjoint");
        }
        LabeledImages test = fm.test();
        int half = test.size() / 2;
        QualityMetric calibration;
        QualityMetric sensitivity;
        try (Model original = Nnz.load(input, MemoryMode.EAGER)) {
            // The budget is enforced on a pessimistic estimate of the drop, not on the measured drop: see
            // AccuracyDropBound. Sensitivities use the smooth divergence: see SoftmaxDivergence.
            calibration = new AccuracyDropBound(train.range(train.size() - calibrationImages, train.size()), threads,
                    original, z, test.range(0, half));
            sensitivity = new SoftmaxDivergence(train.range(0, sensitivityImages), threads, original);
        }
        ClassificationAccuracy heldOut = new ClassificationAccuracy(test.range(half, test.size()), threads);
        return tuneAndReport(input, source, output, base, Budget.accuracyDrop(maxDrop), space, sensitivity,
                calibration, heldOut, threads, json);
    }

    /**
     * The cosine budget for sentence-embedding models ({@code --min-mean-cosine}): the first
     * {@code sensitivitySentences} lines of {@code text} rank the per-layer settings, the rest verify every candidate
     * (mean cosine against the original at least {@code minMean}, and every sentence at least {@code minEach}), and
     * {@code heldOutText} (optional, e.g. the evaluation corpus) is only reported.
     */
    static int runEmbedding(Path input, Path source, Path output, CompressionPolicy base, List<Setting> space,
                            double minMean, double minEach, Path tokenizerJson, Path text, Path heldOutText,
                            int sensitivitySentences, int threads, boolean json) throws Exception {
        List<String> lines = TextLines.read(text);
        if (sensitivitySentences < 1 || sensitivitySentences >= lines.size()) {
            throw new IllegalArgumentException("--sensitivity-sentences must be >= 1 and leave sentences of " + text
                    + " (" + lines.size() + " lines) to verify candidates on, was " + sensitivitySentences);
        }
        if (!(minMean > 0 && minMean <= 1)) {
            throw new IllegalArgumentException("--min-mean-cosine must be in (0, 1], was " + minMean);
        }
        try (TextTokenizer tokenizer = TextTokenizer.load(tokenizerJson);
             Model original = Nnz.load(input, MemoryMode.EAGER)) {
            String name = text.getFileName().toString();
            QualityMetric sensitivity = new EmbeddingCosine(name + " [0, " + sensitivitySentences + ")",
                    lines.subList(0, sensitivitySentences), tokenizer, original, threads, Double.NEGATIVE_INFINITY);
            QualityMetric calibration = new EmbeddingCosine(name + " [" + sensitivitySentences + ", " + lines.size()
                    + ")", lines.subList(sensitivitySentences, lines.size()), tokenizer, original, threads, minEach);
            QualityMetric heldOut = heldOutText == null ? null : new EmbeddingCosine(
                    heldOutText.getFileName().toString(), TextLines.read(heldOutText), tokenizer, original, threads,
                    Double.NEGATIVE_INFINITY);
            return tuneAndReport(input, source, output, base, Budget.meanCosine(minMean), space,
                    sensitivity, calibration, heldOut, threads, json);
        }
    }

    /**
     * A budget as the user gave it ({@code value}, under the JSON key {@code key}), the loss the tuner holds every
     * candidate to, in the calibration metric's unit ({@code unit}).
     */
    private record Budget(String key, double value, double loss, String unit) {
        static Budget accuracyDrop(double pp) {
            return new Budget("max_accuracy_drop", pp, pp, "pp");
        }

        /** Scores are 100 x mean cosine: a mean of at least {@code c} is a loss of at most {@code 100 (1 - c)}. */
        static Budget meanCosine(double c) {
            return new Budget("min_mean_cosine", c, 100 * (1 - c), "cos x 100");
        }
    }

    private static int tuneAndReport(Path input, Path source, Path output, CompressionPolicy base, Budget budget,
                                     List<Setting> space, QualityMetric sensitivity, QualityMetric calibration,
                                     QualityMetric heldOut, int threads, boolean json) throws Exception {
        PrintStream log = System.err;
        LayerwiseTuner.Options options = new LayerwiseTuner.Options(budget.loss(), space, threads, 8, 4);
        LayerwiseTuner.Result r = LayerwiseTuner.tune(source, output, base, sensitivity, calibration, heldOut, options,
                json ? LayerwiseTuner.Progress.NONE : message -> log.println("tune: " + message));
        // Ratios against the model the user gave, not a transformed intermediate.
        long original = java.nio.file.Files.size(input);
        r = r.withOriginalBytes(original);
        if (json) {
            System.out.println(toJson(input, output, budget, r));
            return 0;
        }
        String unit = budget.unit();
        System.out.printf(Locale.ROOT, "%s -> %s: %s -> %s, ratio %.2fx in %.1f s (%d evaluations, %d knapsack"
                        + " solutions, %d relaxations)%n",
                input.getFileName(), output.getFileName(), Format.bytes(r.report().originalBytes()),
                Format.bytes(r.report().compressedBytes()), r.report().ratio(), r.wallMillis() / 1000.0,
                r.evaluations(), r.searchSteps(), r.relaxations());
        System.out.printf(Locale.ROOT, "calibration (%s): %.4f -> %.4f, lost %.4f %s (budget %.4f)%n",
                calibration.describe(), r.baseline(), r.calibrated(), r.calibrationLoss(), unit, budget.loss());
        if (heldOut != null) {
            System.out.printf(Locale.ROOT, "held out (%s): %.4f -> %.4f, lost %.4f %s%n", heldOut.describe(),
                    r.heldOutBaseline(), r.heldOutScore(), r.heldOutLoss(), unit);
        }
        System.out.printf(Locale.ROOT, "best global setting %s: ratio %.2fx, calibration loss %.4f %s, held-out"
                        + " loss %.4f %s; tuned / global = %.2fx%n", r.global().label(), r.globalReport().ratio(),
                r.baseline() - r.globalCalibrated(), unit, r.globalHeldOutLoss(), unit, r.gainOverGlobal());
        for (var c : r.choices()) {
            System.out.printf(Locale.ROOT, "  %-40s %-22s %10s  sensitivity %.4g%n",
                    Format.abbreviate(c.name(), 40), c.setting().label(), Format.bytes(c.encodedBytes()),
                    c.sensitivity());
        }
        return 0;
    }

    private static String toJson(Path input, Path output, Budget budget, LayerwiseTuner.Result r) throws Exception {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("input", input.toString());
        root.put("output", output.toString());
        root.put(budget.key(), budget.value());
        root.put("loss_unit", budget.unit());
        root.put("original_bytes", r.report().originalBytes());
        root.put("compressed_bytes", r.report().compressedBytes());
        root.put("ratio", r.report().ratio());
        root.put("calibration_loss", r.calibrationLoss());
        root.put("predicted_sensitivity", r.predictedSensitivity());
        root.put("global_setting", r.global().label());
        root.put("global_ratio", r.globalReport().ratio());
        root.put("global_calibration_loss", r.baseline() - r.globalCalibrated());
        root.put("global_held_out_loss", r.globalHeldOutLoss());
        root.put("tuned_over_global", r.gainOverGlobal());
        root.put("held_out_baseline", r.heldOutBaseline());
        root.put("held_out_score", r.heldOutScore());
        root.put("held_out_loss", r.heldOutLoss());
        root.put("evaluations", r.evaluations());
        root.put("knapsack_solutions", r.searchSteps());
        root.put("relaxations", r.relaxations());
        root.put("wall_seconds", r.wallMillis() / 1000.0);
        ArrayNode rows = root.putArray("tensors");
        for (var c : r.choices()) {
            ObjectNode row = rows.addObject();
            row.put("name", c.name());
            row.put("setting", c.setting().label());
            row.put("codec", c.setting().codec());
            row.put("error_bound", c.setting().bound().value());
            row.put("encoded_bytes", c.encodedBytes());
            row.put("single_layer_sensitivity", c.sensitivity());
        }
        return mapper.writeValueAsString(root);
    }
}
