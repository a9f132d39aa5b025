package dev.nnzip.bench;

import dev.nnzip.codec.Codecs;
import dev.nnzip.codec.EncodedTensor;
import dev.nnzip.codec.WeightCodec;
import dev.nnzip.compress.CompressionPolicy;
import dev.nnzip.compress.ModelCompressor;
import dev.nnzip.eval.FashionMnist;
import dev.nnzip.eval.LabeledImages;
import dev.nnzip.eval.ModelClassifier;
import dev.nnzip.eval.Top1;
import dev.nnzip.graph.Graph;
import dev.nnzip.graph.Weight;
import dev.nnzip.kernels.Parallel;
import dev.nnzip.onnx.OnnxImporter;
import dev.nnzip.runtime.Model;
import dev.nnzip.runtime.weights.MemoryMode;
import dev.nnzip.tensor.Tensor;
import dev.nnzip.tune.LayerwiseTuner;
import dev.nnzip.tune.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What any per-layer choice could reach at best: every combination of per-layer settings whose file would be at least
 * {@code --target-ratio} times smaller than the ONNX file is judged directly on a whole split (no safety margin, no
 * importance weighting), largest ratio first, until one stays within the top-1 budget. A tuner searching the same
 * space with less data cannot honestly do better, so a target no combination reaches here is out of the space's
 * reach without retraining.
 *
 * <p>On the test split this is selection on the very images the result is judged on: with thousands of combinations,
 * some "pass" by luck (a drop of 0.07 ± 0.16 pp that is 0.6 pp on the training images). The training split's 60,000
 * images make that luck 2.4 times smaller; they are what the ceiling is meant to be read on.
 *
 * <p>Combinations are scored on in-memory models with the decoded weights swapped in, stopping a combination early
 * once its drop is {@link #STOP_Z} standard errors over the budget; the best passing one is then written as a real
 * .nnz and evaluated again in full, so the reported ratio and drop are those of a file. BatchNormalization is not
 * folded here (the models it is meant for, the LeNets, have none); weights are the graph's own.
 */
@Command(name = "ceiling", mixinStandardHelpOptions = true,
        description = "Exhaustive per-layer search on the test set: the best ratio any per-layer choice reaches within"
                + " a top-1 drop budget (an upper bound for the accuracy-budget tuner).")
final class TunerCeiling implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL.onnx")
    Path onnx;

    @Option(names = "--target-ratio", required = true, description = "only combinations at least this ratio are tried")
    double targetRatio;

    @Option(names = "--max-drop", defaultValue = "0.1",
            description = "top-1 budget in points (default ${DEFAULT-VALUE})")
    double maxDrop;

    @Option(names = "--steps-per-octave", defaultValue = "4",
            description = "smartdnn bounds per doubling, 0.025..0.8 sigma (default ${DEFAULT-VALUE})")
    int stepsPerOctave;

    @Option(names = "--prune", split = ",", defaultValue = "0.25,0.5",
            description = "sparsities of prune+smartdnn candidates (at 2 bounds per octave; default ${DEFAULT-VALUE})")
    List<Double> sparsities;

    @Option(names = "--max-combinations", defaultValue = "200000",
            description = "refuse to start when more combinations reach the target (default ${DEFAULT-VALUE})")
    int maxCombinations;

    @Option(names = "--split", defaultValue = "test",
            description = "images to judge on: test (10,000) or train (60,000) (default ${DEFAULT-VALUE})")
    String split;

    @Option(names = "--threads", defaultValue = "2")
    int threads;

    @Option(names = "--data", description = "Fashion-MNIST directory (default: Debian's dataset-fashion-mnist)")
    Path data;

    @Override
    public Integer call() throws Exception {
        FashionMnist fm = data == null ? FashionMnist.atDefaultLocation() : FashionMnist.at(data);
        LabeledImages images = switch (split) {
            case "test" -> fm.test();
            case "train" -> fm.train();
            default -> throw new IllegalArgumentException("--split must be test or train, was '" + split + "'");
        };
        List<Setting> space = space();
        long onnxBytes = Files.size(onnx);
        try (OnnxImporter.Imported imported = OnnxImporter.read(onnx); Parallel par = new Parallel(threads)) {
            Graph graph = imported.graph();
            CompressionPolicy base = CompressionPolicy.defaults();
            List<String> tuned = new ArrayList<>(base.layerWeights(graph));
            long[][] bytes = new long[tuned.size()][space.size()];
            Tensor[][] decoded = new Tensor[tuned.size()][space.size()];
            for (int i = 0; i < tuned.size(); i++) {
                encodeAll(graph.weights().get(tuned.get(i)), space, bytes[i], decoded[i], par);
            }
            // Everything in the file that is not a tuned tensor's payload: measured once on a real file.
            int[] loosest = new int[tuned.size()];
            java.util.Arrays.fill(loosest, space.size() - 1);
            Path trial = Files.createTempFile("nnzip-ceiling-", ".nnz");
            try {
                long overhead = write(trial, tuned, space, loosest, base, par) - sum(bytes, loosest);
                long maxBytes = (long) Math.floor(onnxBytes / targetRatio) - overhead;
                long count = enumerate(bytes, maxBytes, 0, new int[tuned.size()], 0, null);
                if (count > maxCombinations) {
                    System.err.printf(Locale.ROOT, "%,d combinations reach %.2fx, more than --max-combinations %,d:"
                            + " raise --target-ratio or --max-combinations, or shrink the space (--steps-per-octave,"
                            + " --prune)%n", count, targetRatio, maxCombinations);
                    return 2;
                }
                List<int[]> combinations = new ArrayList<>();
                enumerate(bytes, maxBytes, 0, new int[tuned.size()], 0, combinations);
                System.out.printf(Locale.ROOT, "%s: %d tuned tensors x %d settings; %,d combinations reach %.2fx"
                                + " (payload <= %,d bytes, file overhead %,d bytes)%n", onnx.getFileName(),
                        tuned.size(), space.size(), combinations.size(), targetRatio, maxBytes, overhead);
                combinations.sort(Comparator.comparingLong(c -> sum(bytes, c)));
                return search(graph, tuned, space, bytes, decoded, combinations, images, trial, onnxBytes, overhead,
                        base, par);
            } finally {
                Files.deleteIfExists(trial);
            }
        }
    }

    private int search(Graph graph, List<String> tuned, List<Setting> space, long[][] bytes, Tensor[][] decoded,
                       List<int[]> combinations, LabeledImages images, Path trial, long onnxBytes, long overhead,
                       CompressionPolicy base, Parallel par) throws Exception {
        int[] reference;
        try (Model original = new Model(graph.name(), graph, MemoryMode.EAGER, null);
             ModelClassifier classifier = new ModelClassifier(original, threads)) {
            reference = predictions(classifier, images, images.size());
        }
        double smallestDrop = Double.POSITIVE_INFINITY;
        long started = System.nanoTime();
        for (int n = 0; n < combinations.size(); n++) {
            int[] c = combinations.get(n);
            Map<String, Tensor> replaced = new LinkedHashMap<>();
            for (int i = 0; i < c.length; i++) {
                replaced.put(tuned.get(i), decoded[i][c[i]]);
            }
            Flips flips;
            try (Model m = withWeights(graph, replaced); ModelClassifier classifier = new ModelClassifier(m, threads)) {
                flips = flips(classifier, images, reference, true);
            }
            smallestDrop = Math.min(smallestDrop, flips.drop());
            if ((n + 1) % 500 == 0) {
                System.out.printf(Locale.ROOT, "  %,d evaluated (%.0f s), smallest drop so far %.3f pp%n", n + 1,
                        (System.nanoTime() - started) / 1e9, smallestDrop);
            }
            if (flips.complete() && flips.drop() <= maxDrop + 1e-9) {
                long fileBytes = write(trial, tuned, space, c, base, par);
                Flips file;
                try (Model m = dev.nnzip.Nnz.load(trial, MemoryMode.EAGER);
                     ModelClassifier classifier = new ModelClassifier(m, threads)) {
                    file = flips(classifier, images, reference, false);
                }
                System.out.printf(Locale.ROOT, "best: combination %,d of %,d, estimated %.3fx; file %.3fx, drop on"
                                + " %s %.3f pp (se %.3f; %d broken, %d fixed)%n", n + 1, combinations.size(),
                        (double) onnxBytes / (sum(bytes, c) + overhead), (double) onnxBytes / fileBytes, images,
                        file.drop(), file.standardError(), file.broken, file.fixed);
                for (int i = 0; i < c.length; i++) {
                    System.out.printf(Locale.ROOT, "  %s %s %,d bytes%n", tuned.get(i), space.get(c[i]).label(),
                            bytes[i][c[i]]);
                }
                return 0;
            }
        }
        System.out.printf(Locale.ROOT, "none of the %,d combinations at >= %.2fx stays within %.2f pp on %s"
                + " (smallest drop %.3f pp)%n", combinations.size(), targetRatio, maxDrop, images, smallestDrop);
        return 0;
    }

    /** Top-1 changes against the original's predictions: broken (right before, wrong now) and fixed (the reverse). */
    private record Flips(int broken, int fixed, int seen, boolean complete) {
        double drop() {
            return 100.0 * (broken - fixed) / seen;
        }

        /** Of the drop, each changed prediction counted as a ±1 draw. */
        double standardError() {
            return 100.0 * Math.sqrt(broken + fixed) / seen;
        }
    }

    private static final int CHUNK = 10_000;

    /**
     * Counts flips chunk by chunk; with {@code mayStop}, gives up once the drop so far exceeds the budget by more than
     * {@link #STOP_Z} standard errors (the rest of the images would have to be improbably kind to bring it back).
     */
    private Flips flips(ModelClassifier classifier, LabeledImages images, int[] reference, boolean mayStop) {
        int broken = 0;
        int fixed = 0;
        for (int from = 0; from < images.size(); from += CHUNK) {
            int to = Math.min(images.size(), from + CHUNK);
            int[] predicted = predictions(classifier, images.range(from, to), to - from);
            for (int i = 0; i < predicted.length; i++) {
                int label = images.label(from + i);
                boolean was = reference[from + i] == label;
                boolean is = predicted[i] == label;
                broken += was && !is ? 1 : 0;
                fixed += !was && is ? 1 : 0;
            }
            Flips sofar = new Flips(broken, fixed, to, to == images.size());
            if (mayStop && !sofar.complete() && sofar.drop() - STOP_Z * sofar.standardError() > maxDrop) {
                return sofar;
            }
        }
        return new Flips(broken, fixed, images.size(), true);
    }

    private static final double STOP_Z = 4;

    private static int[] predictions(ModelClassifier classifier, LabeledImages images, int n) {
        int[] out = new int[n];
        for (int from = 0; from < n; from += 1000) {
            int to = Math.min(n, from + 1000);
            int[] p = Top1.classes(classifier.scores(images.images(from, to)));
            System.arraycopy(p, 0, out, from, p.length);
        }
        return out;
    }

    /** smartdnn on the tuner's σ ladder, the survey codecs the tuner offers, and prune+smartdnn. */
    private List<Setting> space() {
        List<Setting> space = new ArrayList<>(LayerwiseTuner.Options.stdLadder("smartdnn", stepsPerOctave));
        for (double s : sparsities) {
            for (Setting b : LayerwiseTuner.Options.stdLadder("smartdnn", 2)) {
                if (b.codec().equals("smartdnn")) {
                    space.add(new Setting("prune:sparsity=" + s + "+smartdnn", b.bound()));
                }
            }
        }
        space.removeIf(s -> s.codec().equals("lossless")); // never part of a combination at these ratios
        return space;
    }

    private static void encodeAll(Weight w, List<Setting> space, long[] bytes, Tensor[] decoded, Parallel par) {
        Tensor original = w.decode();
        float[] values = original.floats();
        for (int o = 0; o < space.size(); o++) {
            Setting s = space.get(o);
            WeightCodec codec = Codecs.configure(s.codec());
            try {
                EncodedTensor e = codec.encode(w.name(), values, original.shape(),
                        s.bound().toAbsolute(values, original.shape()));
                bytes[o] = e.encodedBytes();
                decoded[o] = Tensor.of(codec.decode(e, par), original.shape());
            } catch (IllegalArgumentException e) { // a codec that cannot take this tensor
                bytes[o] = Long.MAX_VALUE / 1024;
            }
        }
    }

    /**
     * Depth-first over the combinations whose payload fits {@code maxBytes}, skipping branches whose smallest
     * completion is already over it; adds them to {@code out} (when not null) and returns how many there are.
     */
    private static long enumerate(long[][] bytes, long maxBytes, int i, int[] choice, long used, List<int[]> out) {
        if (i == bytes.length) {
            if (out != null) {
                out.add(choice.clone());
            }
            return 1;
        }
        long rest = 0;
        for (int j = i + 1; j < bytes.length; j++) {
            rest += java.util.Arrays.stream(bytes[j]).min().orElse(0);
        }
        long count = 0;
        for (int o = 0; o < bytes[i].length; o++) {
            if (used + bytes[i][o] + rest <= maxBytes) {
                choice[i] = o;
                count += enumerate(bytes, maxBytes, i + 1, choice, used + bytes[i][o], out);
            }
        }
        return count;
    }

    private static long sum(long[][] bytes, int[] choice) {
        long s = 0;
        for (int i = 0; i < choice.length; i++) {
            s += bytes[i][choice[i]];
        }
        return s;
    }

    private long write(Path file, List<String> tuned, List<Setting> space, int[] choice, CompressionPolicy base,
                       Parallel par) throws java.io.IOException {
        CompressionPolicy policy = base;
        for (int i = 0; i < tuned.size(); i++) {
            Setting s = space.get(choice[i]);
            policy = policy.withRule(Pattern.quote(tuned.get(i)), s.codec(), s.bound());
        }
        ModelCompressor.compress(onnx, file, policy, par, ModelCompressor.Progress.NONE);
        return Files.size(file);
    }

    private static Model withWeights(Graph graph, Map<String, Tensor> replaced) {
        return new Model(graph.name(), graph.withWeightValues(replaced), MemoryMode.EAGER, null);
    }
}
