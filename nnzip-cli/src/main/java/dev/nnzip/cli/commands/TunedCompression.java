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
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code nnzip compress IN.onnx -o OUT.nnz --max-accuracy-drop PP --dataset fashion-mnist}: the accuracy-budget tuner
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

    static int run(Path input, Path output, CompressionPolicy base, String codec, double maxDrop,
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
        PrintStream log = System.err;
        LayerwiseTuner.Options options = new LayerwiseTuner.Options(maxDrop, LayerwiseTuner.Options.ladder(codec),
                threads, 8, 4);
        LayerwiseTuner.Result r = LayerwiseTuner.tune(input, output, base, sensitivity, calibration, heldOut, options,
                json ? LayerwiseTuner.Progress.NONE : message -> log.println("tune: " + message));
        if (json) {
            System.out.println(toJson(input, output, maxDrop, r));
        } else {
            System.out.printf(Locale.ROOT, "%s -> %s: %s -> %s, ratio %.2fx in %.1f s (%d evaluations, %d knapsack"
                            + " solutions, %d relaxations)%n",
                    input.getFileName(), output.getFileName(), Format.bytes(r.report().originalBytes()),
                    Format.bytes(r.report().compressedBytes()), r.report().ratio(), r.wallMillis() / 1000.0,
                    r.evaluations(), r.searchSteps(), r.relaxations());
            System.out.printf(Locale.ROOT, "calibration (%s): %.2f -> %.2f, lost %.2f pp (budget %.2f)%n",
                    calibration.describe(), r.baseline(), r.calibrated(), r.calibrationLoss(), maxDrop);
            System.out.printf(Locale.ROOT, "held out (%s): %.2f -> %.2f, drop %.2f pp%n", heldOut.describe(),
                    r.heldOutBaseline(), r.heldOutScore(), r.heldOutLoss());
            System.out.printf(Locale.ROOT, "best global setting %s: ratio %.2fx, calibration loss %.2f pp, held-out"
                            + " drop %.2f pp; tuned / global = %.2fx%n", r.global().label(), r.globalReport().ratio(),
                    r.baseline() - r.globalCalibrated(), r.globalHeldOutLoss(), r.gainOverGlobal());
            for (var c : r.choices()) {
                System.out.printf(Locale.ROOT, "  %-40s %-22s %10s  sensitivity %.4g%n",
                        CompressCommand.abbreviate(c.name(), 40), c.setting().label(), Format.bytes(c.encodedBytes()),
                        c.sensitivity());
            }
        }
        return 0;
    }

    private static String toJson(Path input, Path output, double maxDrop, LayerwiseTuner.Result r) throws Exception {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("input", input.toString());
        root.put("output", output.toString());
        root.put("max_accuracy_drop", maxDrop);
        root.put("original_bytes", r.report().originalBytes());
        root.put("compressed_bytes", r.report().compressedBytes());
        root.put("ratio", r.report().ratio());
        root.put("calibration_drop_estimate_pp", r.calibrationLoss());
        root.put("predicted_sensitivity", r.predictedSensitivity());
        root.put("global_setting", r.global().label());
        root.put("global_ratio", r.globalReport().ratio());
        root.put("global_calibration_drop_estimate_pp", r.baseline() - r.globalCalibrated());
        root.put("global_held_out_drop", r.globalHeldOutLoss());
        root.put("tuned_over_global", r.gainOverGlobal());
        root.put("held_out_baseline", r.heldOutBaseline());
        root.put("held_out_accuracy", r.heldOutScore());
        root.put("held_out_drop", r.heldOutLoss());
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
