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
import dev.nnzip.tensor.io.AtomicFiles;
import dev.nnzip.codec.ErrorBound;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Chooses a compression setting per weight tensor that maximises the compression ratio while the quality loss stays
 * within a budget (see the package documentation for the method).
 *
 * <p>Three metrics, on three disjoint sets of data, do three jobs. The <em>sensitivity</em> metric ranks settings:
 * each (tensor, setting) is encoded, decoded and swapped into an otherwise untouched copy of the graph in memory, and
 * its loss measured (a smooth one such as {@link SoftmaxDivergence} on a few hundred images). The <em>calibration</em>
 * metric decides: every candidate model is compressed for real with {@link ModelCompressor}, so whatever the container
 * does beyond the per-tensor codecs is in the measured loss, and accepted only if its calibration loss (a pessimistic
 * estimate such as {@link AccuracyDropBound}) is within the budget. The <em>held-out</em> metric is only reported.
 *
 * <p>The search cannot end worse than the best single global setting: it first finds, per technique, the loosest
 * setting that passes when applied to every tuned tensor (a binary search, losses growing with the bound), and starts
 * from the smallest of those. It then treats the sensitivity losses as additive and solves the multiple-choice
 * knapsack "fewest bytes with total sensitivity at most K" (the exact form of "spend the budget on the layers that
 * save the most bytes per unit of sensitivity") for K from the global setting's own total upwards, doubling K while
 * the result passes and bisecting once one fails. Sensitivity and accuracy are in different units, so the budget is
 * never translated from one to the other: the calibration metric alone says how far K may go. Finally single-layer
 * loosenings are tried, best bytes-per-sensitivity first, each verified. The smallest passing model is kept.
 */
public final class LayerwiseTuner {
    /** Told what the tuner is doing, for progress output. */
    @FunctionalInterface
    public interface Progress {
        void step(String message);

        Progress NONE = message -> { };
    }

    /**
     * @param budget         the largest acceptable loss on the calibration metric, in its unit (e.g. 0.1 points)
     * @param space          candidate settings per tensor; within one technique, from the tightest to the loosest
     * @param threads        threads for evaluation and encoding
     * @param maxSearchSteps how many knapsack solutions (each verified) the search over the sensitivity total may try
     * @param maxRelaxations how many single-layer loosenings to try (each verified) after that search
     */
    public record Options(double budget, List<Setting> space, int threads, int maxSearchSteps, int maxRelaxations) {
        /**
         * The default space: lossless; {@code codec} at bounds relative to each tensor's range from 0.25 % to 16 % (each
         * step doubling: about one bit per weight less); and, from the survey's techniques, int4 in groups of 128 and
         * k-means weight sharing at 5, 4 and 3 bits, which beat the error-bounded codecs on some layers.
         */
        public static List<Setting> ladder(String codec) {
            return ladder(codec, 1);
        }

        /**
         * {@link #ladder(String)} with {@code stepsPerOctave} bounds per doubling (0.25 % · 2^(k / stepsPerOctave)
         * up to 16 %): each step is 1/stepsPerOctave bit per weight.
         */
        public static List<Setting> ladder(String codec, int stepsPerOctave) {
            List<Setting> out = new ArrayList<>();
            out.add(new Setting("lossless", ErrorBound.exact()));
            for (double b : geometric(0.0025, 6, stepsPerOctave)) {
                out.add(Setting.relative(codec, b));
            }
            addSurveyTechniques(out);
            return out;
        }

        /**
         * The space for models whose weights are best bounded relative to their spread (transformers: a few outliers
         * set a matrix's range, so a range-relative bound is coarse on the bulk of its values): lossless; {@code codec}
         * at 0.025 to 0.8 of each tensor's standard deviation in steps of √2 (half a bit per weight each, so the
         * knapsack can move bits finely between the many similar matrices); the survey's int4 and k-means.
         */
        public static List<Setting> stdLadder(String codec) {
            return stdLadder(codec, 2);
        }

        /**
         * {@link #stdLadder(String)} with {@code stepsPerOctave} bounds per doubling, 0.025 σ · 2^(k / stepsPerOctave)
         * up to 0.8 σ. A finer ladder lets the knapsack spend the budget more exactly (a tensor that is 40 % of the
         * file moves by 1/stepsPerOctave bit per weight instead of half a bit), at the price of one sensitivity
         * measurement per added setting and tensor.
         */
        public static List<Setting> stdLadder(String codec, int stepsPerOctave) {
            List<Setting> out = new ArrayList<>();
            out.add(new Setting("lossless", ErrorBound.exact()));
            for (double b : geometric(0.025, 5, stepsPerOctave)) {
                out.add(Setting.ofStd(codec, b));
            }
            addSurveyTechniques(out);
            return out;
        }

        /** {@code first · 2^(k / stepsPerOctave)} for k = 0 .. octaves · stepsPerOctave. */
        private static double[] geometric(double first, int octaves, int stepsPerOctave) {
            if (stepsPerOctave < 1 || stepsPerOctave > 16) {
                throw new IllegalArgumentException("steps per octave must be in 1..16, was " + stepsPerOctave);
            }
            double[] out = new double[octaves * stepsPerOctave + 1];
            for (int k = 0; k < out.length; k++) {
                out[k] = first * Math.pow(2, (double) k / stepsPerOctave);
            }
            return out;
        }

        private static void addSurveyTechniques(List<Setting> out) {
            ErrorBound unused = ErrorBound.relative(0.01); // these codecs take no bound
            out.add(new Setting("int4:block=128", unused));
            for (String bits : new String[] {"5", "4", "3"}) {
                out.add(new Setting("kmeans:bits=" + bits, unused));
            }
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
            if (maxSearchSteps < 0 || maxRelaxations < 0) {
                throw new IllegalArgumentException("search steps and relaxations must be >= 0, were " + maxSearchSteps
                        + ", " + maxRelaxations);
            }
        }
    }

    /** What one tensor got. {@code sensitivity}: the sensitivity loss when only this tensor was compressed so. */
    public record TensorChoice(String name, Setting setting, long encodedBytes, double sensitivity) {
    }

    /**
     * The outcome. Losses and scores are in the calibration metric's unit unless named otherwise; {@code heldOut*}
     * are NaN when no held-out metric was given.
     *
     * @param predictedSensitivity sum of the chosen settings' single-tensor sensitivity losses (the additive model)
     * @param global               the best single setting for every tuned tensor, where the search started
     * @param globalReport         the model compressed with {@code global}
     * @param globalCalibrated     its calibration score
     * @param globalHeldOutScore   its held-out score
     * @param searchSteps          knapsack solutions verified
     * @param relaxations          single-layer loosenings kept
     * @param evaluations          model evaluations made (all metrics)
     */
    public record Result(List<TensorChoice> choices, CompressionReport report, double baseline, double calibrated,
                         double predictedSensitivity, Setting global, CompressionReport globalReport,
                         double globalCalibrated, double globalHeldOutScore, int searchSteps, int relaxations,
                         int evaluations, double heldOutBaseline, double heldOutScore, long wallMillis) {
        public double calibrationLoss() {
            return baseline - calibrated;
        }

        public double heldOutLoss() {
            return heldOutBaseline - heldOutScore;
        }

        public double globalHeldOutLoss() {
            return heldOutBaseline - globalHeldOutScore;
        }

        /**
         * This result with both reports' ratios against {@code originalBytes} (the user's model, when the tuned one
         * was a transform of it).
         */
        public Result withOriginalBytes(long originalBytes) {
            return new Result(choices, new CompressionReport(originalBytes, report.compressedBytes(), report.tensors()),
                    baseline, calibrated, predictedSensitivity, global, new CompressionReport(originalBytes,
                    globalReport.compressedBytes(), globalReport.tensors()), globalCalibrated, globalHeldOutScore,
                    searchSteps, relaxations, evaluations, heldOutBaseline, heldOutScore, wallMillis);
        }

        /** How many times smaller the tuned model is than the best global setting's. */
        public double gainOverGlobal() {
            return (double) globalReport.compressedBytes() / report.compressedBytes();
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
     * @param sensitivity ranks (tensor, setting) pairs; any unit; should use data disjoint from {@code calibration}
     * @param calibration the metric the budget is enforced on, for every candidate compressed model
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

    /** The best passing model so far: its choice (a setting index per tuned tensor), file and measurements. */
    private static final class Best {
        int[] choice;
        Path file;
        CompressionReport report;
        double score;
    }

    private Result run(Path onnx, Path out, CompressionPolicy base, QualityMetric sensitivity,
                       QualityMetric calibration, QualityMetric heldOut) throws IOException {
        long start = System.nanoTime();
        Path dir = out.toAbsolutePath().getParent();
        Path trial = Files.createTempFile(dir, ".tune-", ".nnz");
        Path globalFile = Files.createTempFile(dir, ".tune-global-", ".nnz");
        Path bestFile = Files.createTempFile(dir, ".tune-best-", ".nnz");
        try (OnnxImporter.Imported imported = OnnxImporter.read(onnx); Parallel par = new Parallel(options.threads())) {
            Graph graph = imported.graph();
            double baseline;
            double sensitivityBaseline;
            try (Model original = model(graph, Map.of())) {
                baseline = evaluate(calibration, original);
                sensitivityBaseline = evaluate(sensitivity, original);
            }
            progress.step(String.format(Locale.ROOT, "baseline %.3f on %s", baseline, calibration.describe()));
            List<Weight> tuned = tunedTensors(graph, base);
            Verifier verifier = new Verifier(onnx, trial, base, tuned, baseline, calibration, par);

            // 1. The best single global setting: never end worse than it.
            Best global = bestGlobal(verifier, globalFile);
            Files.copy(globalFile, bestFile, StandardCopyOption.REPLACE_EXISTING);
            Best best = new Best();
            best.choice = global.choice.clone();
            best.file = bestFile;
            best.report = global.report;
            best.score = global.score;
            double globalSensitivity;
            try (Model m = Nnz.load(globalFile, MemoryMode.EAGER)) {
                globalSensitivity = sensitivityBaseline - evaluate(sensitivity, m);
            }
            Setting globalSetting = options.space().get(global.choice.length == 0 ? 0 : global.choice[0]);
            progress.step(String.format(Locale.ROOT, "global %s: ratio %.2fx, loss %.3f, sensitivity %.4g",
                    globalSetting.label(), global.report.ratio(), baseline - global.score, globalSensitivity));

            // 2. Per-layer sensitivities. A technique's looser settings are skipped for a tensor once one alone
            // moves the output several times more than the whole global model does: the search never gets there.
            double cap = globalSensitivity > 0 ? SKIP_FACTOR * globalSensitivity : Double.POSITIVE_INFINITY;
            Candidates c = measure(graph, tuned, sensitivityBaseline, sensitivity, cap, par);

            // 3. Knapsack over the sensitivity total K, K searched geometrically, every solution verified.
            int steps = searchTotal(verifier, c, global.choice, best);
            // 4. Single-layer loosenings from the best found.
            int relaxations = relax(verifier, c, best);

            double heldOutBaseline = Double.NaN;
            double heldOutScore = Double.NaN;
            double globalHeldOut = Double.NaN;
            if (heldOut != null) { // measured only now: nothing above may look at held-out data
                try (Model original = model(graph, Map.of()); Model compressed = Nnz.load(best.file);
                     Model g = Nnz.load(globalFile)) {
                    heldOutBaseline = evaluate(heldOut, original);
                    heldOutScore = evaluate(heldOut, compressed);
                    globalHeldOut = evaluate(heldOut, g);
                }
            }
            AtomicFiles.publish(best.file, out);
            List<TensorChoice> choices = new ArrayList<>();
            double predicted = 0;
            for (int i = 0; i < tuned.size(); i++) {
                int o = best.choice[i];
                choices.add(new TensorChoice(tuned.get(i).name(), c.settings.get(o), c.bytes[i][o], c.loss[i][o]));
                predicted += c.loss[i][o];
            }
            CompressionReport report = new CompressionReport(best.report.originalBytes(), Files.size(out),
                    best.report.tensors());
            return new Result(choices, report, baseline, best.score, predicted, globalSetting, global.report,
                    global.score, globalHeldOut, steps, relaxations, evaluations, heldOutBaseline, heldOutScore,
                    (System.nanoTime() - start) / 1_000_000);
        } finally {
            Files.deleteIfExists(trial);
            Files.deleteIfExists(globalFile);
            Files.deleteIfExists(bestFile);
        }
    }

    /** Single-tensor sensitivities above this many times the global model's are not worth measuring. */
    private static final double SKIP_FACTOR = 8;

    /**
     * Per technique, a binary search over its settings (tightest to loosest in the space) for the loosest that
     * passes on every tuned tensor at once; the smallest of those wins, lossless if none passes. Each probe is
     * a real compressed model on the calibration metric.
     */
    private Best bestGlobal(Verifier verifier, Path globalFile) throws IOException {
        List<Setting> space = options.space();
        Map<String, List<Integer>> families = new LinkedHashMap<>();
        int lossless = -1;
        for (int o = 0; o < space.size(); o++) {
            if (Codecs.configure(space.get(o).codec()).isLossless()) {
                lossless = lossless < 0 ? o : lossless;
            } else {
                families.computeIfAbsent(family(space.get(o).codec()), k -> new ArrayList<>()).add(o);
            }
        }
        Best best = null;
        for (List<Integer> family : families.values()) {
            int lo = -1; // the loosest index into `family` known to pass
            int hi = family.size(); // the tightest known to fail
            while (hi - lo > 1) {
                int mid = (lo + hi) >>> 1;
                int o = family.get(mid);
                Checked now = verifier.checkOrNull(uniform(verifier.tuned.size(), o));
                boolean pass = now != null && withinBudget(verifier.baseline - now.score());
                progress.step(String.format(Locale.ROOT, "global %s: %s", space.get(o).label(), now == null
                        ? "not applicable" : String.format(Locale.ROOT, "ratio %.2fx, loss %.3f: %s",
                        now.report().ratio(), verifier.baseline - now.score(), pass ? "passes" : "fails")));
                if (pass) {
                    lo = mid;
                    if (best == null || now.report().compressedBytes() < best.report.compressedBytes()) {
                        best = globalCandidate(verifier, uniform(verifier.tuned.size(), o), now, globalFile);
                    }
                } else {
                    hi = mid;
                }
            }
        }
        if (best == null) {
            if (lossless < 0) {
                throw new IllegalStateException("no setting in " + space + " keeps the loss within the budget "
                        + options.budget() + " when applied to every tuned tensor, and the space has no lossless"
                        + " setting to fall back to");
            }
            int[] choice = uniform(verifier.tuned.size(), lossless);
            best = globalCandidate(verifier, choice, verifier.check(choice), globalFile);
        }
        return best;
    }

    /** The verifier's last trial (just checked as {@code now}) kept as the global candidate in {@code globalFile}. */
    private static Best globalCandidate(Verifier verifier, int[] choice, Checked now, Path globalFile)
            throws IOException {
        Best best = new Best();
        best.choice = choice;
        best.report = now.report();
        best.score = now.score();
        best.file = globalFile;
        Files.copy(verifier.trial, globalFile, StandardCopyOption.REPLACE_EXISTING);
        return best;
    }

    private static int[] uniform(int n, int option) {
        int[] out = new int[n];
        Arrays.fill(out, option);
        return out;
    }

    /**
     * Knapsack solutions for growing sensitivity totals K, from the global choice's own total (so the first solution
     * is at most as large as the global model, by the additive model): K doubles while solutions pass, then is
     * bisected geometrically between the last pass and the first failure. Returns the solutions verified.
     */
    private int searchTotal(Verifier verifier, Candidates c, int[] globalChoice, Best best) throws IOException {
        double k0 = 0;
        for (int i = 0; i < globalChoice.length; i++) {
            k0 += c.loss[i][globalChoice[i]];
        }
        if (!(k0 > 0)) { // the global choice is lossless or free: start from the smallest measured sensitivity
            k0 = Double.POSITIVE_INFINITY;
            for (double[] row : c.loss) {
                for (double l : row) {
                    if (l > 0 && l < k0) {
                        k0 = l;
                    }
                }
            }
            if (Double.isInfinite(k0)) {
                return 0; // every setting is free on the sensitivity metric: the global search already decided
            }
        }
        double pass = 0;
        double fail = Double.POSITIVE_INFINITY;
        double k = k0;
        List<int[]> tried = new ArrayList<>();
        List<Boolean> verdicts = new ArrayList<>();
        int steps = 0;
        for (int attempt = 0; attempt < 3 * options.maxSearchSteps() && steps < options.maxSearchSteps(); attempt++) {
            int[] choice = MultipleChoiceKnapsack.solve(c.bytes, c.loss, k, KNAPSACK_STEPS);
            int seen = -1;
            for (int t = 0; choice != null && t < tried.size(); t++) {
                if (Arrays.equals(tried.get(t), choice)) {
                    seen = t;
                }
            }
            boolean ok;
            if (choice == null) {
                ok = false;
            } else if (seen >= 0) {
                ok = verdicts.get(seen); // the same answer as for another K: the same verdict, no new evaluation
            } else {
                steps++;
                Checked now = verifier.checkOrNull(choice);
                ok = now != null && withinBudget(verifier.baseline - now.score());
                tried.add(choice);
                verdicts.add(ok);
                progress.step(String.format(Locale.ROOT, "knapsack K=%.4g: %s", k, now == null ? "not applicable"
                        : String.format(Locale.ROOT, "ratio %.2fx, loss %.3f: %s", now.report().ratio(),
                        verifier.baseline - now.score(), ok ? "passes" : "fails")));
                if (ok && now.report().compressedBytes() < best.report.compressedBytes()) {
                    keep(verifier, best, choice, now);
                }
            }
            if (ok) {
                pass = k;
            } else {
                fail = k;
            }
            if (Double.isInfinite(fail)) {
                if (k > SKIP_FACTOR * k0 * c.loss.length) {
                    break; // far past anything measured: the knapsack has nothing looser to offer
                }
                k *= 2;
            } else {
                if (fail / Math.max(pass, k0 / 2) < 1.2) { // within 20 %: the knapsack answers barely differ
                    break;
                }
                k = pass > 0 ? Math.sqrt(pass * fail) : fail / 2;
            }
        }
        return steps;
    }

    private static final int KNAPSACK_STEPS = 400;

    private void keep(Verifier verifier, Best best, int[] choice, Checked now) throws IOException {
        best.choice = choice.clone();
        best.report = now.report();
        best.score = now.score();
        Files.copy(verifier.trial, best.file, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Moves one tensor at a time to a smaller setting, the most bytes saved per unit of added sensitivity first, and
     * keeps the move only if the whole model still passes. Returns the moves kept.
     */
    private int relax(Verifier verifier, Candidates c, Best best) throws IOException {
        int n = best.choice.length;
        boolean[][] rejected = new boolean[n][c.settings.size()];
        int kept = 0;
        for (int attempt = 0; attempt < options.maxRelaxations(); attempt++) {
            int bestI = -1;
            int bestO = -1;
            double bestRate = 0;
            double floor = smallestPositive(c.loss);
            for (int i = 0; i < n; i++) {
                int cur = best.choice[i];
                for (int o = 0; o < c.settings.size(); o++) {
                    long saved = c.bytes[i][cur] - c.bytes[i][o];
                    if (saved <= 0 || rejected[i][o] || !Double.isFinite(c.loss[i][o])) {
                        continue;
                    }
                    double added = Math.max(0, c.loss[i][o] - c.loss[i][cur]);
                    double rate = saved / (added + floor); // floor: a free move is not infinitely attractive
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
            int[] trial = best.choice.clone();
            trial[bestI] = bestO;
            Checked now = verifier.checkOrNull(trial);
            boolean keep = now != null && withinBudget(verifier.baseline - now.score());
            progress.step(String.format(Locale.ROOT, "relax %s -> %s: %s", verifier.tuned.get(bestI).name(),
                    c.settings.get(bestO).label(), now == null ? "not applicable" : String.format(Locale.ROOT,
                    "ratio %.2fx, loss %.3f: %s", now.report().ratio(), verifier.baseline - now.score(),
                    keep ? "kept" : "undone")));
            if (keep) {
                keep(verifier, best, trial, now);
                kept++;
            } else {
                rejected[bestI][bestO] = true;
            }
        }
        return kept;
    }

    private static double smallestPositive(double[][] values) {
        double min = Double.POSITIVE_INFINITY;
        for (double[] row : values) {
            for (double v : row) {
                if (v > 0 && v < min) {
                    min = v;
                }
            }
        }
        return Double.isInfinite(min) ? 1e-12 : min;
    }

    /**
     * What there is to tune: the layer weights the base policy gives its lossy layer codec (the large weight operands
     * of Conv/Gemm/MatMul/Gather, whatever bound its allocation gives each). Biases (which the policy keeps at a
     * tighter bound), normalization parameters and small tensors keep the policy's choice: they are a few percent of
     * the bytes and not worth a sensitivity measurement each.
     */
    private static List<Weight> tunedTensors(Graph graph, CompressionPolicy base) {
        if (Codecs.configure(base.codec()).isLossless()) {
            return List.of();
        }
        List<Weight> out = new ArrayList<>();
        for (String name : base.layerWeights(graph)) {
            out.add(graph.weights().get(name));
        }
        return out;
    }

    /** Bytes and single-tensor sensitivity loss of every (tensor, setting); skipped pairs get an infinite loss. */
    private record Candidates(List<Setting> settings, long[][] bytes, double[][] loss) {
    }

    private Candidates measure(Graph graph, List<Weight> tuned, double baseline, QualityMetric metric, double cap,
                               Parallel par) {
        List<Setting> space = options.space();
        long[][] bytes = new long[tuned.size()][space.size()];
        double[][] loss = new double[tuned.size()][space.size()];
        for (int i = 0; i < tuned.size(); i++) {
            Weight w = tuned.get(i);
            Tensor original = w.decode();
            float[] values = original.floats();
            java.util.Set<String> beyondCap = new java.util.HashSet<>(); // techniques a tighter setting already broke
            for (int o = 0; o < space.size(); o++) {
                Setting s = space.get(o);
                WeightCodec codec = Codecs.configure(s.codec());
                EncodedTensor encoded;
                try {
                    encoded = codec.encode(w.name(), values, original.shape(),
                            s.bound().toAbsolute(values, original.shape()));
                } catch (IllegalArgumentException e) { // a codec that cannot take this tensor (shape, size)
                    bytes[i][o] = Long.MAX_VALUE / 1024;
                    loss[i][o] = Double.POSITIVE_INFINITY;
                    continue;
                }
                bytes[i][o] = encoded.encodedBytes();
                if (beyondCap.contains(family(s.codec()))) {
                    loss[i][o] = Double.POSITIVE_INFINITY;
                    continue;
                }
                Tensor decoded = Tensor.of(codec.decode(encoded, par), original.shape());
                try (Model m = model(graph, Map.of(w.name(), decoded))) {
                    // Clamped at 0: a metric with lucky gains (flips) must not make a setting look better than free.
                    loss[i][o] = Math.max(0, baseline - evaluate(metric, m));
                }
                if (loss[i][o] > cap) {
                    beyondCap.add(family(s.codec()));
                }
                progress.step(String.format(Locale.ROOT, "%s %s: %,d bytes, sensitivity %.4g", w.name(),
                        s.label(), bytes[i][o], loss[i][o]));
            }
        }
        return new Candidates(space, bytes, loss);
    }

    /** The whole model compressed with one setting per tuned tensor, and its measured calibration score. */
    private record Checked(CompressionReport report, double score) {
    }

    /** Compresses the real model file with a choice (into {@code trial}) and measures it on the calibration metric. */
    private final class Verifier {
        final Path onnx;
        final Path trial;
        final CompressionPolicy base;
        final List<Weight> tuned;
        final double baseline;
        final QualityMetric metric;
        final Parallel par;

        Verifier(Path onnx, Path trial, CompressionPolicy base, List<Weight> tuned, double baseline,
                 QualityMetric metric, Parallel par) {
            this.onnx = onnx;
            this.trial = trial;
            this.base = base;
            this.tuned = tuned;
            this.baseline = baseline;
            this.metric = metric;
            this.par = par;
        }

        Checked check(int[] choice) throws IOException {
            CompressionPolicy policy = base;
            for (int i = 0; i < tuned.size(); i++) {
                Setting s = options.space().get(choice[i]);
                policy = policy.withRule(Pattern.quote(tuned.get(i).name()), s.codec(), s.bound());
            }
            CompressionReport report = ModelCompressor.compress(onnx, trial, policy, par,
                    ModelCompressor.Progress.NONE);
            try (Model m = Nnz.load(trial, MemoryMode.EAGER)) {
                evaluations++;
                return new Checked(report, metric.scoreAtLeast(m, baseline - options.budget()));
            }
        }

        /** {@link #check}, or null if a codec of the choice cannot take one of the tensors. */
        Checked checkOrNull(int[] choice) throws IOException {
            try {
                return check(choice);
            } catch (IllegalArgumentException e) {
                progress.step("not applicable: " + e.getMessage());
                return null;
            }
        }
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
        return new Model(graph.name(), graph.withWeightValues(replaced), MemoryMode.EAGER, null);
    }
}
