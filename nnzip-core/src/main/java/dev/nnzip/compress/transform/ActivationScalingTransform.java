package dev.nnzip.compress.transform;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.nnzip.graph.Graph;
import dev.nnzip.graph.Weight;
import dev.nnzip.onnx.OnnxImporter;
import dev.nnzip.onnx.OnnxTensors;
import dev.nnzip.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Activation-aware scaling (after AWQ, Lin et al., MLSys 2024, and SmoothQuant, Xiao et al., ICML 2023): an exact
 * re-parameterisation that makes an error-bounded codec spend its precision where the layer's inputs are large.
 *
 * <p>For {@code y = x W} with {@code W} a {@code [K, N]} weight, an error {@code e_kn} in row {@code k} reaches the
 * output as {@code x_k e_kn}: with independent errors of variance {@code Δ²/12} the output noise is
 * {@code Σ_k E[x_k²] Δ²/12} per output. Rewriting the layer as {@code y = (x / s)(diag(s) W)} changes nothing exactly,
 * but the codec then quantizes {@code s_k W_k} on one grid, i.e. row {@code k} of the original with step
 * {@code Δ / s_k}. Minimising the output noise at a fixed rate (rows' bits grow by {@code log2 s_k}) gives
 * {@code s_k ∝ sqrt(E[x_k²])} (the high-rate bit allocation: noise weight × step² equal across rows), which saves
 * {@code ½ log2(AM/GM of E[x_k²])} bits per weight at the same output noise — a lot in transformers, whose LayerNorm
 * outputs have a few channels tens of times larger than the rest. {@code alpha} interpolates from no scaling (0) to
 * that optimum (1): {@code s_k = E[x_k²]^(alpha/2)}, divided by its geometric mean so the weight keeps its overall scale.
 *
 * <p>The rewrite: for each activation {@code x} that feeds MatMul/Gemm layers with a weight matrix, one
 * {@code Mul(x, 1/s)} node (shared by the layers that read {@code x}, e.g. an attention block's Q, K and V), those
 * layers read its output, and their weights are scaled row-wise ({@code transB = 1}: column-wise). Other readers of
 * {@code x} (a residual connection) still read {@code x}. A weight that another node also reads is left alone, and so
 * is an activation whose every layer is. The statistics come from {@link ActivationStatistics} on calibration inputs;
 * the codec's error bound then holds for the scaled weights, the ones the rewritten graph computes with.
 *
 * <p>Embedding tables ({@code tables=true}): a lookup {@code y = Gather(E, t)} along axis 0 is the MatMul
 * {@code onehot(t) E}, whose input channel {@code k} has {@code E[x_k²] = p_k}, the frequency of index {@code k}; so
 * the same optimum scales row {@code k} of the table by {@code s_k ∝ p_k^(alpha/2)}, and the rows of frequent tokens
 * get a finer grid than the rows of rare ones. The input cannot be divided by {@code s} before a lookup, so the
 * rewrite divides after it, with a second lookup into a {@code [rows, 1]} table of {@code 1/s}:
 * {@code y = Gather(diag(s) E, t) · Gather(1/s, t)}. The frequencies are counted with add-one (Laplace) smoothing,
 * {@code p_k = (c_k + 1) / (N + rows)}: a row never looked up is not thereby worthless (unseen tokens occur in other
 * text), it is weighted as if seen once.
 *
 * <p>Which text the frequencies are counted on matters to the tuner that ranks settings afterwards: counted on the
 * very inputs its sensitivities are measured on, every token of those inputs is a "seen" row with a fine grid, so the
 * table looks less sensitive there than on any other text (MiniLM, session 5 in docs/BENCHMARKS.md: the additive loss
 * model then under-predicted the verified loss by 15–24 %). The {@code frequencies} inputs, when given, are counted
 * instead — text disjoint from the tuner's lines — and the activations of the MatMul rewrite still come from
 * {@code calibration}.
 */
public final class ActivationScalingTransform implements GraphTransform {
    public static final String NAME = "actscale";

    /** Scales are kept within this factor of their geometric mean: a dead channel must not blow up 1/s. */
    private static final double MAX_SPREAD = 1e4;

    private final CalibrationInputs calibration;
    private final CalibrationInputs frequencies;
    private final double alpha;
    private final int threads;
    private final boolean tables;

    /** The MatMul/Gemm rewrite only ({@code tables=false}). */
    public ActivationScalingTransform(CalibrationInputs calibration, double alpha, int threads) {
        this(calibration, alpha, threads, false);
    }

    /**
     * @param calibration the model inputs the activations are measured on
     * @param alpha       0 = no scaling, 1 = the rate-distortion optimum {@code s_k ∝ sqrt(E[x_k²])}
     * @param threads     threads for the measuring runs
     * @param tables      also scale the rows of embedding tables by how often calibration looks them up
     */
    public ActivationScalingTransform(CalibrationInputs calibration, double alpha, int threads, boolean tables) {
        this(calibration, CalibrationInputs.NONE, alpha, threads, tables);
    }

    /**
     * @param calibration the model inputs the activations are measured on
     * @param frequencies the model inputs the table rows' lookups are counted on ({@code tables=true});
     *                    {@link CalibrationInputs#NONE}: the calibration inputs
     * @param alpha       0 = no scaling, 1 = the rate-distortion optimum {@code s_k ∝ sqrt(E[x_k²])}
     * @param threads     threads for the measuring runs
     * @param tables      also scale the rows of embedding tables by how often the frequency inputs look them up
     * @throws IllegalArgumentException for alpha outside [0, 1], or frequency inputs without {@code tables}
     */
    public ActivationScalingTransform(CalibrationInputs calibration, CalibrationInputs frequencies, double alpha,
                                      int threads, boolean tables) {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException(NAME + ": alpha must be in [0, 1], was " + alpha);
        }
        if (frequencies != CalibrationInputs.NONE && !tables) {
            throw new IllegalArgumentException(NAME + ": frequency inputs are only counted for tables=true");
        }
        this.calibration = java.util.Objects.requireNonNull(calibration, "calibration");
        this.frequencies = java.util.Objects.requireNonNull(frequencies, "frequencies");
        this.alpha = alpha;
        this.threads = threads;
        this.tables = tables;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** A layer whose input 0 is the activation and input 1 a [K, N] (or, transposed, [N, K]) weight. */
    static boolean scalableLayer(String opType, long transA) {
        return opType.equals("MatMul") || (opType.equals("Gemm") && transA == 0);
    }

    @Override
    public Result apply(ModelProto model, Map<String, Weight> weights) {
        Graph imported = OnnxImporter.convert(model, weights);
        List<Map<String, Tensor>> feeds = calibration.feeds(imported);
        Map<String, double[]> meanSquares = ActivationStatistics.meanSquares(imported,
                ActivationStatistics.layerInputs(imported), feeds, threads);
        Result layers = apply(model, weights, meanSquares);
        if (!tables) {
            return layers;
        }
        List<Map<String, Tensor>> lookups = frequencies == CalibrationInputs.NONE ? feeds : frequencies.feeds(imported);
        Map<String, long[]> counts = ActivationStatistics.rowCounts(imported, ActivationStatistics.tables(imported),
                lookups, threads);
        Result both = scaleTables(layers.model(), weights, counts);
        List<String> log = new ArrayList<>(layers.log());
        log.addAll(both.log());
        return new Result(both.model(), log);
    }

    /**
     * The table rewrite (see the class documentation) for each table of {@code counts} (table name → lookups per
     * row): {@code y = Gather(E, t)} becomes {@code Mul(Gather(diag(s) E, t), Gather(1/s, t))}.
     */
    Result scaleTables(ModelProto model, Map<String, Weight> weights, Map<String, long[]> counts) {
        List<NodeProto> nodes = new ArrayList<>();
        List<TensorProto> added = new ArrayList<>();
        Set<String> replaced = new HashSet<>();
        List<String> log = new ArrayList<>();
        for (NodeProto node : model.getGraph().getNodeList()) {
            long[] c = node.getOpType().equals("Gather") && node.getInputCount() == 2
                    ? counts.get(node.getInput(0)) : null;
            if (c == null || replaced.contains(node.getInput(0))) {
                nodes.add(node);
                continue;
            }
            String table = node.getInput(0);
            String y = node.getOutput(0);
            double[] s = scales(oneHotMeanSquares(c));
            float[] inv = new float[s.length];
            for (int k = 0; k < s.length; k++) {
                inv[k] = (float) (1 / s[k]);
            }
            String inverse = table + "_rowscale_inv";
            added.add(OnnxTensors.toProto(table, scaleWeight(weights.get(table).decode(), s, false)));
            added.add(OnnxTensors.toProto(inverse, Tensor.of(inv, s.length, 1)));
            replaced.add(table);
            nodes.add(node.toBuilder().setOutput(0, y + "_rowscaled").build());
            nodes.add(NodeProto.newBuilder().setOpType("Gather").setName(node.getName() + "_rowscale")
                    .addInput(inverse).addInput(node.getInput(1)).addOutput(y + "_rowscale").build());
            nodes.add(NodeProto.newBuilder().setOpType("Mul").setName(node.getName() + "_rowscale_mul")
                    .addInput(y + "_rowscaled").addInput(y + "_rowscale").addOutput(y).build());
            long seen = java.util.Arrays.stream(c).filter(v -> v > 0).count();
            log.add(String.format(Locale.ROOT, "%s: %d rows, %d looked up (%d lookups), scales"
                    + " %.3g..%.3g", table, c.length, seen, java.util.Arrays.stream(c).sum(), min(s), max(s)));
        }
        return new Result(GraphEdits.withNodes(model, nodes, added, replaced), log);
    }

    /**
     * {@code E[x_k²]} of the one-hot input of a lookup, row {@code k} looked up {@code c_k} times in {@code N}: the
     * add-one (Laplace) estimate of its frequency, {@code (c_k + 1) / (N + rows)}, so no row's weight is zero.
     */
    static double[] oneHotMeanSquares(long[] counts) {
        double total = counts.length;
        for (long c : counts) {
            total += c;
        }
        double[] p = new double[counts.length];
        for (int k = 0; k < counts.length; k++) {
            p[k] = (counts[k] + 1) / total;
        }
        return p;
    }

    /** The rewrite with given statistics (per activation, {@code E[x_k²]} per channel). */
    Result apply(ModelProto model, Map<String, Weight> weights, Map<String, double[]> meanSquares) {
        GraphProto graph = model.getGraph();
        Map<String, Integer> uses = GraphEdits.useCounts(graph);
        // The eligible layers of each measured activation, in graph order.
        Map<String, List<NodeProto>> layers = new LinkedHashMap<>();
        // By identity: NodeProto.equals compares whole messages, and two identical nodes stay two layers.
        Set<NodeProto> eligibleNodes = Collections.newSetFromMap(new IdentityHashMap<>());
        for (NodeProto node : graph.getNodeList()) {
            if (eligible(node, weights, uses, meanSquares)) {
                layers.computeIfAbsent(node.getInput(0), k -> new ArrayList<>()).add(node);
                eligibleNodes.add(node);
            }
        }
        List<NodeProto> nodes = new ArrayList<>();
        List<TensorProto> added = new ArrayList<>();
        Set<String> replaced = new HashSet<>();
        List<String> log = new ArrayList<>();
        Set<String> inserted = new HashSet<>();
        for (NodeProto node : graph.getNodeList()) {
            String x = node.getInputCount() > 0 ? node.getInput(0) : "";
            if (!eligibleNodes.contains(node)) {
                nodes.add(node);
                continue;
            }
            List<NodeProto> group = layers.get(x);
            double[] s = scales(meanSquares.get(x));
            String scaled = x + "_actscaled";
            if (inserted.add(x)) { // the Mul goes right before the first layer that reads it
                String inverse = x + "_actscale_inv";
                float[] inv = new float[s.length];
                for (int k = 0; k < s.length; k++) {
                    inv[k] = (float) (1 / s[k]);
                }
                added.add(OnnxTensors.toProto(inverse, Tensor.of(inv, s.length)));
                nodes.add(NodeProto.newBuilder().setOpType("Mul").setName(x + "_actscale").addInput(x)
                        .addInput(inverse).addOutput(scaled).build());
                log.add(String.format(Locale.ROOT, "%s: %d channels, %d layer(s), scales %.3g..%.3g (E[x^2]"
                        + " arithmetic/geometric mean %.3g)", x, s.length, group.size(), min(s), max(s),
                        amOverGm(meanSquares.get(x))));
            }
            String w = node.getInput(1);
            boolean transB = node.getOpType().equals("Gemm") && GraphEdits.intAttr(node, "transB", 0) != 0;
            added.add(OnnxTensors.toProto(w, scaleWeight(weights.get(w).decode(), s, transB)));
            replaced.add(w);
            nodes.add(node.toBuilder().setInput(0, scaled).build());
        }
        return new Result(GraphEdits.withNodes(model, nodes, added, replaced), log);
    }

    private static boolean eligible(NodeProto node, Map<String, Weight> weights, Map<String, Integer> uses,
                                    Map<String, double[]> meanSquares) {
        if (node.getInputCount() < 2 || !scalableLayer(node.getOpType(), GraphEdits.intAttr(node, "transA", 0))) {
            return false;
        }
        double[] ms = meanSquares.get(node.getInput(0));
        Weight w = weights.get(node.getInput(1));
        if (ms == null || w == null || w.shape().length != 2 || uses.getOrDefault(w.name(), 0) != 1) {
            return false;
        }
        boolean transB = node.getOpType().equals("Gemm") && GraphEdits.intAttr(node, "transB", 0) != 0;
        return w.shape()[transB ? 1 : 0] == ms.length;
    }

    /** {@code s_k = E[x_k²]^(alpha/2)} over its geometric mean, within {@link #MAX_SPREAD} of it. */
    double[] scales(double[] ms) {
        double floor = 0;
        for (double v : ms) {
            floor = Math.max(floor, v);
        }
        floor = Math.max(floor * 1e-12, Double.MIN_NORMAL); // a channel that never fired must not give log(0)
        double[] s = new double[ms.length];
        double logMean = 0;
        for (int k = 0; k < ms.length; k++) {
            s[k] = Math.pow(Math.max(ms[k], floor), alpha / 2);
            logMean += Math.log(s[k]);
        }
        double gm = Math.exp(logMean / ms.length);
        for (int k = 0; k < ms.length; k++) {
            s[k] = Math.min(MAX_SPREAD, Math.max(1 / MAX_SPREAD, s[k] / gm));
        }
        return s;
    }

    private static Tensor scaleWeight(Tensor w, double[] s, boolean transB) {
        int rows = w.dim(0);
        int cols = w.dim(1);
        float[] v = w.floats().clone();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                v[r * cols + c] = (float) (v[r * cols + c] * s[transB ? c : r]);
            }
        }
        return Tensor.of(v, rows, cols);
    }

    private static double amOverGm(double[] ms) {
        double sum = 0;
        double logSum = 0;
        for (double v : ms) {
            sum += v;
            logSum += Math.log(Math.max(v, Double.MIN_NORMAL));
        }
        return sum / ms.length / Math.exp(logSum / ms.length);
    }

    private static double min(double[] a) {
        return java.util.Arrays.stream(a).min().orElse(Double.NaN);
    }

    private static double max(double[] a) {
        return java.util.Arrays.stream(a).max().orElse(Double.NaN);
    }
}
