package dev.nnzip.tune;

import dev.nnzip.Nnz;
import dev.nnzip.codec.Codecs;
import dev.nnzip.codec.EncodedTensor;
import dev.nnzip.codec.WeightCodec;
import dev.nnzip.compress.CompressionPolicy;
import dev.nnzip.compress.CompressionReport;
import dev.nnzip.compress.ModelCompressor;
import dev.nnzip.graph.Graph;
import dev.nnzip.graph.Weight;
import dev.nnzip.kernels.Parallel;
import dev.nnzip.onnx.OnnxImporter;
import dev.nnzip.runtime.Model;
import dev.nnzip.runtime.weights.MemoryMode;
import dev.nnzip.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Chooses a compression setting per weight tensor that maximises the compression ratio while the quality loss stays
 * within a budget (see the package documentation for the method).
 *
 * <p>Sensitivities are measured in memory: the tensor is encoded and decoded with the candidate setting and swapped
 * into an otherwise untouched copy of the graph, so no file is written per candidate. Settings of one codec are tried
 * from the tightest bound up and a tensor's looser settings of the same technique are skipped once one alone loses three
 * times the budget (losses grow with the bound, up to measurement noise; this halves the evaluations on typical
 * models). The verification compresses the real model file
 * with {@link ModelCompressor}, so whatever that does beyond the per-tensor codecs is in the measured loss too.
 */
public final class LayerwiseTuner {
    /** Told what the tuner is doing, for progress output. */
    @FunctionalInterface
    public interface Progress {
        void step(String message);

        Progress NONE = message -> { };
    }

    /**
     * @param budget      the largest acceptable quality loss, in the metric's unit (e.g. 0.1 accuracy points)
     * @param space       candidate settings per tensor; within one technique, from the tightest to the loosest
     * @param threads     threads for evaluation and encoding
     * @param maxRepairs  how many single-layer tightenings the verify-and-repair loop may make
     * @param maxRelaxations how many single-layer loosenings to try (each verified) once the choice is within budget
     */
    public record Options(double budget, List<Setting> space, int threads, int maxRepairs, int maxRelaxations) {
        /**
         * The default space: lossless; {@code codec} at bounds relative to each tensor's range from 0.25 % to 16 % (each
         * step doubling: about one bit per weight less); and, from the survey's techniques, int4 in groups of 128 and
         * k-means weight sharing at 5, 4 and 3 bits, which beat the error-bounded codecs on some layers.
         */
        public static List<Setting> ladder(String codec) {
            List<Setting> out = new ArrayList<>();
            out.add(new Setting("lossless", dev.nnzip.codec.ErrorBound.exact()));
            for (double b = 0.0025; b <= 0.16 + 1e-12; b *= 2) {
                out.add(Setting.relative(codec, b));
            }
            dev.nnzip.codec.ErrorBound unused = dev.nnzip.codec.ErrorBound.relative(0.01); // these codecs take no bound
            out.add(new Setting("int4:block=128", unused));
            for (String bits : new String[] {"5", "4", "3"}) {
                out.add(new Setting("kmeans:bits=" + bits, unused));
            }
            return out;
        }

        public Options {
            if (!(budget >= 0)) {
                throw new IllegalArgumentException("the quality budget must be >= 0, was " + budget);
            }
            if (space.isEmpty()) {
                throw new IllegalArgumentException("no candidate settings to tune over");
            }
            space = List.copyOf(space);
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1, was " + threads);
            }
            if (maxRepairs < 0 || maxRelaxations < 0) {
                throw new IllegalArgumentException("repairs and relaxations must be >= 0, were " + maxRepairs + ", "
                        + maxRelaxations);
            }
        }
    }

    /** What one tensor got. {@code loss}: measured when only this tensor was compressed this way. */
    public record TensorChoice(String name, Setting setting, long encodedBytes, double loss) {
    }

    /**
     * The outcome. Scores are in the metric's unit; {@code heldOut*} are NaN when no held-out metric was given.
     *
     * @param predictedLoss sum of the chosen settings' single-tensor losses (the additive model)
     * @param repairs       tightenings the verification needed
     * @param relaxations   loosenings the verification kept
     * @param evaluations   model evaluations made (sensitivity + verification)
     */
    public record Result(List<TensorChoice> choices, CompressionReport report, double baseline, double calibrated,
                         double predictedLoss, int repairs, int relaxations, int evaluations, double heldOutBaseline,
                         double heldOutScore, long wallMillis) {
        public double calibrationLoss() {
            return baseline - calibrated;
        }

        public double heldOutLoss() {
            return heldOutBaseline - heldOutScore;
        }
    }

    private final Options options;
    private final Progress progress;
    private int evaluations;

    private LayerwiseTuner(Options options, Progress progress) {
        this.options = options;
        this.progress = progress;
    }

    /**
     * Tunes {@code onnx} and writes the compressed model to {@code out} (only at the end; a failure leaves no file).
     *
     * @param base        decides which tensors are tuned (those it gives a lossy codec) and what the others get
     * @param sensitivity the metric single-tensor losses are measured with (a subset of the calibration data keeps
     *                    the many evaluations affordable); may be the calibration metric itself
     * @param calibration the metric the budget is enforced on when the whole model is verified
     * @param heldOut     a metric on disjoint data, only reported; may be null
     */
    public static Result tune(Path onnx, Path out, CompressionPolicy base, QualityMetric sensitivity,
                              QualityMetric calibration, QualityMetric heldOut, Options options, Progress progress)
            throws IOException {
        Objects.requireNonNull(sensitivity, "sensitivity");
        Objects.requireNonNull(calibration, "calibration");
        return new LayerwiseTuner(options, progress == null ? Progress.NONE : progress)
                .run(onnx, out, base, sensitivity, calibration, heldOut);
    }

    private Result run(Path onnx, Path out, CompressionPolicy base, QualityMetric sensitivity,
                       QualityMetric calibration, QualityMetric heldOut) throws IOException {
        long start = System.nanoTime();
        try (OnnxImporter.Imported imported = OnnxImporter.read(onnx); Parallel par = new Parallel(options.threads())) {
            Graph graph = imported.graph();
            double baseline;
            double sensitivityBaseline;
            try (Model original = model(graph, Map.of())) {
                baseline = evaluate(calibration, original);
                sensitivityBaseline = sensitivity == calibration ? baseline : evaluate(sensitivity, original);
            }
            progress.step(String.format(java.util.Locale.ROOT, "baseline %.3f on %s", baseline,
                    calibration.describe()));
            List<Weight> tuned = tunedTensors(graph, base);
            Candidates c = measure(graph, tuned, sensitivityBaseline, sensitivity, par);
            int[] choice = MultipleChoiceKnapsack.solve(c.bytes, c.loss, options.budget(), 400);
            if (choice == null) {
                throw new IllegalStateException("no setting in " + options.space() + " keeps the loss of every tensor"
                        + " within the budget " + options.budget() + "; add tighter settings");
            }
            Path temp = Files.createTempFile(out.toAbsolutePath().getParent(), ".tune-", ".nnz");
            try {
                Verified v = verifyAndRepair(onnx, temp, base, tuned, c, choice, baseline, calibration, par);
                double heldOutBaseline = Double.NaN;
                double heldOutScore = Double.NaN;
                if (heldOut != null) {
                    try (Model original = model(graph, Map.of()); Model compressed = Nnz.load(temp)) {
                        heldOutBaseline = evaluate(heldOut, original);
                        heldOutScore = evaluate(heldOut, compressed);
                    }
                }
                dev.nnzip.tensor.io.AtomicFiles.publish(temp, out);
                List<TensorChoice> choices = new ArrayList<>();
                double predicted = 0;
                for (int i = 0; i < tuned.size(); i++) {
                    int o = v.choice[i];
                    choices.add(new TensorChoice(tuned.get(i).name(), c.settings.get(o), c.bytes[i][o], c.loss[i][o]));
                    predicted += Math.max(0, c.loss[i][o]);
                }
                CompressionReport report = new CompressionReport(v.report.originalBytes(), Files.size(out),
                        v.report.tensors());
                return new Result(choices, report, baseline, v.score, predicted, v.repairs, v.relaxations, evaluations,
                        heldOutBaseline, heldOutScore, (System.nanoTime() - start) / 1_000_000);
            } finally {
                Files.deleteIfExists(temp);
            }
        }
    }

    /**
     * What there is to tune: the weights the base policy gives its layer codec at its layer bound (the large weight
     * operands of Conv/Gemm/MatMul/Gather). Biases (which the policy keeps at a tighter bound), normalization
     * parameters and small tensors keep the policy's choice: they are a few percent of the bytes and not worth a
     * sensitivity measurement each.
     */
    private static List<Weight> tunedTensors(Graph graph, CompressionPolicy base) {
        Map<String, CompressionPolicy.Choice> decided = base.decide(graph);
        List<Weight> out = new ArrayList<>();
        for (Weight w : graph.weights().values()) {
            CompressionPolicy.Choice c = decided.get(w.name());
            if (c.codec().equals(base.codec()) && c.bound().equals(base.bound())
                    && !Codecs.configure(c.codec()).isLossless()) {
                out.add(w);
            }
        }
        return out;
    }

    /** Bytes and single-tensor loss of every (tensor, setting); infeasible pairs get an infinite loss. */
    private record Candidates(List<Setting> settings, long[][] bytes, double[][] loss) {
    }

    private Candidates measure(Graph graph, List<Weight> tuned, double baseline, QualityMetric metric, Parallel par) {
        List<Setting> space = options.space();
        long[][] bytes = new long[tuned.size()][space.size()];
        double[][] loss = new double[tuned.size()][space.size()];
        for (int i = 0; i < tuned.size(); i++) {
            Weight w = tuned.get(i);
            Tensor original = w.decode();
            float[] values = original.floats();
            String brokenFamily = null; // a technique whose tighter setting already broke the budget for this tensor
            for (int o = 0; o < space.size(); o++) {
                Setting s = space.get(o);
                WeightCodec codec = Codecs.configure(s.codec());
                EncodedTensor encoded = codec.encode(w.name(), values, original.shape(), s.bound());
                bytes[i][o] = encoded.encodedBytes();
                if (family(s.codec()).equals(brokenFamily)) {
                    loss[i][o] = Double.POSITIVE_INFINITY;
                    continue;
                }
                Tensor decoded = Tensor.of(codec.decode(encoded, par), original.shape());
                try (Model m = model(graph, Map.of(w.name(), decoded))) {
                    loss[i][o] = baseline - evaluate(metric, m);
                }
                if (loss[i][o] > 3 * options.budget()) { // well past the budget, not just measurement noise
                    brokenFamily = family(s.codec());
                }
                progress.step(String.format(java.util.Locale.ROOT, "%s %s: %,d bytes, loss %.3f", w.name(),
                        s.label(), bytes[i][o], loss[i][o]));
            }
        }
        return new Candidates(space, bytes, loss);
    }

    private record Verified(int[] choice, CompressionReport report, double score, int repairs, int relaxations) {
    }

    /** The whole model compressed with one setting per tuned tensor, and its measured score. */
    private record Checked(CompressionReport report, double score) {
    }

    private Checked check(Path onnx, Path temp, CompressionPolicy base, List<Weight> tuned, Candidates c, int[] choice,
                          QualityMetric metric, Parallel par) throws IOException {
        CompressionPolicy policy = base;
        for (int i = 0; i < tuned.size(); i++) {
            Setting s = c.settings.get(choice[i]);
            policy = policy.withRule(Pattern.quote(tuned.get(i).name()), s.codec(), s.bound());
        }
        CompressionReport report = ModelCompressor.compress(onnx, temp, policy, par, ModelCompressor.Progress.NONE);
        try (Model m = Nnz.load(temp, MemoryMode.EAGER)) {
            return new Checked(report, evaluate(metric, m));
        }
    }

    /**
     * Compresses with the choice and measures. While the loss exceeds the budget, moves one tensor to a setting with a
     * lower measured loss: the one whose loss shrinks most per byte the move costs (repair). Once within the budget,
     * tries the opposite while there is room: moves one tensor to a smaller setting, the most bytes saved per point
     * of predicted loss, and keeps the move only if the whole model still verifies (relaxation). Relaxing pays because
     * the additive model is pessimistic: single-layer losses are pessimistic estimates, and the standard-error terms
     * of separate layers add up to more than the whole model's.
     */
    private Verified verifyAndRepair(Path onnx, Path temp, CompressionPolicy base, List<Weight> tuned, Candidates c,
                                     int[] choice, double baseline, QualityMetric metric, Parallel par)
            throws IOException {
        int[] current = choice.clone();
        int repairs = 0;
        Checked ok;
        while (true) {
            Checked now = check(onnx, temp, base, tuned, c, current, metric, par);
            progress.step(String.format(java.util.Locale.ROOT, "verify: ratio %.2fx, loss %.3f (budget %.3f)",
                    now.report().ratio(), baseline - now.score(), options.budget()));
            if (withinBudget(baseline - now.score())) {
                ok = now;
                break;
            }
            if (repairs >= options.maxRepairs()) {
                throw new IllegalStateException(String.format(java.util.Locale.ROOT,
                        "the tuned model still loses %.3f > budget %.3f after %d repairs", baseline - now.score(),
                        options.budget(), repairs));
            }
            int worst = -1;
            double worstRate = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < tuned.size(); i++) {
                int tighter = tighter(c, i, current[i]);
                if (tighter < 0) {
                    continue;
                }
                double gained = Math.max(0, c.loss[i][current[i]]) - Math.max(0, c.loss[i][tighter]);
                double paid = Math.max(1, c.bytes[i][tighter] - c.bytes[i][current[i]]);
                double rate = (gained + 1e-9) / paid;
                if (rate > worstRate) {
                    worstRate = rate;
                    worst = i;
                }
            }
            if (worst < 0) {
                throw new IllegalStateException("the loss " + (baseline - now.score()) + " exceeds the budget "
                        + options.budget() + " with every tensor at its tightest setting");
            }
            current[worst] = tighter(c, worst, current[worst]);
            repairs++;
        }
        if (repairs > 0) { // the budget was hit from above: no room to relax
            return new Verified(current, ok.report(), ok.score(), repairs, 0);
        }
        boolean[][] rejected = new boolean[tuned.size()][c.settings.size()];
        int relaxations = 0;
        boolean fileIsCurrent = true; // the temp file holds the kept choice, not an undone trial
        for (int attempt = 0; attempt < options.maxRelaxations(); attempt++) {
            int bestI = -1;
            int bestO = -1;
            double bestRate = 0;
            for (int i = 0; i < tuned.size(); i++) {
                for (int o = 0; o < c.settings.size(); o++) {
                    long saved = c.bytes[i][current[i]] - c.bytes[i][o];
                    if (saved <= 0 || rejected[i][o] || !(c.loss[i][o] <= options.budget())) {
                        continue;
                    }
                    double added = Math.max(0, c.loss[i][o]) - Math.max(0, c.loss[i][current[i]]);
                    double rate = saved / (Math.max(0, added) + options.budget() / 20 + 1e-9);
                    if (rate > bestRate) {
                        bestRate = rate;
                        bestI = i;
                        bestO = o;
                    }
                }
            }
            if (bestI < 0) {
                break;
            }
            int[] trial = current.clone();
            trial[bestI] = bestO;
            Checked now = check(onnx, temp, base, tuned, c, trial, metric, par);
            boolean keep = withinBudget(baseline - now.score());
            progress.step(String.format(java.util.Locale.ROOT, "relax %s -> %s: ratio %.2fx, loss %.3f: %s",
                    tuned.get(bestI).name(), c.settings.get(bestO).label(), now.report().ratio(),
                    baseline - now.score(), keep ? "kept" : "undone"));
            fileIsCurrent = keep;
            if (keep) {
                current = trial;
                ok = now;
                relaxations++;
            } else {
                rejected[bestI][bestO] = true;
            }
        }
        if (!fileIsCurrent) {
            ok = check(onnx, temp, base, tuned, c, current, metric, par); // write the kept choice again
        }
        return new Verified(current, ok.report(), ok.score(), repairs, relaxations);
    }

    /**
     * The setting to move tensor {@code i} to when the model loses too much: among the settings that store more bytes
     * without a higher measured single-tensor loss, the smallest (the next step towards exact); -1 if there is none.
     * Bytes, not only loss, decide "tighter": single-tensor losses of a well-chosen model are often all zero, and the
     * whole model can still lose more than its parts. Works for any mix of techniques in the space.
     */
    private static int tighter(Candidates c, int i, int current) {
        int best = -1;
        for (int o = 0; o < c.settings.size(); o++) {
            if (c.bytes[i][o] > c.bytes[i][current] && c.loss[i][o] <= Math.max(0, c.loss[i][current])
                    && (best < 0 || c.bytes[i][o] < c.bytes[i][best])) {
                best = o;
            }
        }
        return best;
    }

    /** The technique family of a codec spec ({@code kmeans:bits=5} and {@code kmeans:bits=3} are one family). */
    private static String family(String codec) {
        int cut = codec.length();
        for (char ch : new char[] {':', '+'}) {
            int at = codec.indexOf(ch);
            if (at >= 0) {
                cut = Math.min(cut, at);
            }
        }
        return codec.substring(0, cut);
    }

    /** Loss within the budget, up to the rounding of the scores' subtraction (3 images of 1,500 is 0.2000000000003). */
    private boolean withinBudget(double loss) {
        return loss <= options.budget() + 1e-9;
    }

    private double evaluate(QualityMetric metric, Model model) {
        evaluations++;
        return metric.score(model);
    }

    /** An eager in-memory model of {@code graph} with some weights replaced. */
    private static Model model(Graph graph, Map<String, Tensor> replaced) {
        Map<String, Weight> weights = new LinkedHashMap<>(graph.weights());
        replaced.forEach((name, t) -> weights.put(name, Weight.of(name, t)));
        Graph g = new Graph(graph.name(), graph.nodes(), graph.inputs(), graph.outputs(), weights, graph.valueInfos(),
                graph.opsets());
        return new Model(graph.name(), g, MemoryMode.EAGER, null);
    }
}
