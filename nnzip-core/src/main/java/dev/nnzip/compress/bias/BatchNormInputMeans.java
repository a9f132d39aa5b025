package dev.nnzip.compress.bias;

import dev.nnzip.compress.transform.ValueProbe;
import dev.nnzip.graph.Graph;
import dev.nnzip.graph.Node;
import dev.nnzip.graph.Weight;
import dev.nnzip.kernels.ConvGeometry;
import dev.nnzip.ops.nn.WindowShapes;
import dev.nnzip.runtime.SyntheticInputs;
import dev.nnzip.tensor.Tensor;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Data-free bias correction's statistics (Nagel et al., ICCV 2019, §4.2): a BatchNormalization's output channel c is
 * taken to be normal, {@code N(β_c, γ_c²)}, so the mean of what a following ReLU or Clip passes on is that of a clipped
 * normal, in closed form (with {@code α = (a − μ)/σ}, {@code β' = (b − μ)/σ}):
 * {@code E[clip(z, a, b)] = a·Φ(α) + μ·(Φ(β') − Φ(α)) + σ·(φ(α) − φ(β')) + b·(1 − Φ(β'))}.
 *
 * <p>Means are traced from there through the operators that keep a per-channel mean computable: Add of two traced
 * values (residual connections; the sum is no longer normal, so a ReLU after it is not traced), GlobalAveragePool,
 * Flatten, Identity and Dropout. A dense layer after a Flatten of C channels of S positions each reads channel
 * {@code k / S} at feature k (NCHW order). Anything else (pooling by max, the model's input, a normalisation by other
 * statistics) ends the trace, and the layers it feeds are not corrected: the LeNets (no BatchNormalization) get no
 * correction at all, a VGG only its convolutions that directly follow a Conv→BN→ReLU.
 *
 * <p>The statistics are read from the model <em>before</em> BatchNorm folding ({@code original}); folding keeps the
 * BatchNormalization output names, which the folded Conv now produces. Zero padding: a tap that reads padding reads 0,
 * so a channel's mean is scaled per tap by the fraction of output positions at which the tap reads the image; the
 * feature-map sizes come from one run on a synthetic input (only its shape matters).
 */
public final class BatchNormInputMeans implements InputMeans {
    /** Per-channel mean, and standard deviation where the value is the normal output of a BatchNormalization. */
    private record Channels(double[] mean, double[] std) {
    }

    private final Graph original;
    private final int threads;

    /**
     * @param original the model with its BatchNormalization nodes (before folding)
     * @param threads  threads for the shape-probing run
     */
    public BatchNormInputMeans(Graph original, int threads) {
        this.original = original;
        this.threads = threads;
    }

    @Override
    public Map<String, double[]> of(Graph graph, List<CorrectableLayer> layers) {
        Tracer tracer = new Tracer(original);
        Map<String, double[]> channelMeans = new LinkedHashMap<>();
        Set<String> convInputs = new LinkedHashSet<>();
        for (CorrectableLayer l : layers) {
            Channels c = tracer.trace(l.input());
            if (c != null) {
                channelMeans.put(l.output(), c.mean());
                if (l.kind() == CorrectableLayer.Kind.CONV) {
                    convInputs.add(l.input());
                }
            }
        }
        Map<String, int[]> shapes = new HashMap<>();
        if (!convInputs.isEmpty()) {
            var feed = SyntheticInputs.forModel(graph.feedInputs(), 1, 1, Map.of(), 0);
            ValueProbe.run(graph, convInputs, List.of(feed), threads, out -> {
                for (String v : convInputs) {
                    shapes.put(v, out.get(v).shape());
                }
            });
        }
        Map<String, double[]> out = new LinkedHashMap<>();
        for (CorrectableLayer l : layers) {
            double[] mean = channelMeans.get(l.output());
            if (mean == null) {
                continue;
            }
            int[] w = graph.weights().get(l.weight()).shape();
            double[] taps = l.kind() == CorrectableLayer.Kind.CONV
                    ? convTaps(WindowShapes.convGeometry(InputMeans.node(graph, l).attributes(),
                            shapes.get(l.input()), w), mean)
                    : denseFeatures(mean, l.kind() == CorrectableLayer.Kind.GEMM && l.transB() ? w[1] : w[0]);
            if (taps != null) {
                out.put(l.output(), taps);
            }
        }
        return out;
    }

    private static double[] convTaps(ConvGeometry g, double[] mean) {
        if (mean.length != g.inChannels()) {
            return null;
        }
        double[] inside = TapMeans.insideFractions(g);
        double[] out = new double[mean.length * inside.length];
        for (int c = 0; c < mean.length; c++) {
            for (int t = 0; t < inside.length; t++) {
                out[c * inside.length + t] = mean[c] * inside[t];
            }
        }
        return out;
    }

    private static double[] denseFeatures(double[] mean, int features) {
        if (features % mean.length != 0) {
            return null;
        }
        int positions = features / mean.length;
        double[] out = new double[features];
        for (int k = 0; k < features; k++) {
            out[k] = mean[k / positions];
        }
        return out;
    }

    /** Follows a value back to BatchNormalization statistics, memoised. */
    private static final class Tracer {
        private final Graph graph;
        private final Map<String, Node> producers = new HashMap<>();
        private final Map<String, Channels> memo = new HashMap<>();

        Tracer(Graph graph) {
            this.graph = graph;
            for (Node n : graph.nodes()) {
                n.outputs().forEach(o -> producers.put(o, n));
            }
        }

        Channels trace(String value) {
            if (memo.containsKey(value)) {
                return memo.get(value);
            }
            Channels c = compute(value);
            memo.put(value, c);
            return c;
        }

        private Channels compute(String value) {
            Node n = producers.get(value);
            if (n == null || !(n.domain().isEmpty() || n.domain().equals("ai.onnx"))
                    || !n.outputs().getFirst().equals(value)) {
                return null;
            }
            return switch (n.opType()) {
                case "BatchNormalization" -> batchNorm(n);
                case "Relu" -> clipped(trace(n.input(0)), 0, Double.POSITIVE_INFINITY);
                case "Clip" -> clip(n);
                case "Add" -> add(n);
                case "GlobalAveragePool", "Identity", "Dropout" -> meanOnly(trace(n.input(0)));
                case "Flatten" -> n.attributes().getInt("axis", 1) == 1 ? meanOnly(trace(n.input(0))) : null;
                default -> null;
            };
        }

        private Channels batchNorm(Node n) {
            if (n.inputs().size() != 5 || n.attributes().getInt("training_mode", 0) != 0) {
                return null;
            }
            float[] gamma = vector(n.input(1));
            float[] beta = vector(n.input(2));
            if (gamma == null || beta == null || gamma.length != beta.length) {
                return null;
            }
            double[] mean = new double[beta.length];
            double[] std = new double[beta.length];
            for (int c = 0; c < mean.length; c++) {
                mean[c] = beta[c];
                std[c] = Math.abs(gamma[c]);
            }
            return new Channels(mean, std);
        }

        private Channels clip(Node n) {
            double lo = Double.NEGATIVE_INFINITY;
            double hi = Double.POSITIVE_INFINITY;
            if (graph.onnxOpset() < 11) {
                lo = n.attributes().getFloat("min", Float.NEGATIVE_INFINITY);
                hi = n.attributes().getFloat("max", Float.POSITIVE_INFINITY);
            } else {
                if (n.inputs().size() > 1 && !n.input(1).isEmpty()) {
                    float[] v = vector(n.input(1));
                    if (v == null || v.length != 1) {
                        return null;
                    }
                    lo = v[0];
                }
                if (n.inputs().size() > 2 && !n.input(2).isEmpty()) {
                    float[] v = vector(n.input(2));
                    if (v == null || v.length != 1) {
                        return null;
                    }
                    hi = v[0];
                }
            }
            return clipped(trace(n.input(0)), lo, hi);
        }

        private Channels add(Node n) {
            if (n.inputs().size() != 2) {
                return null;
            }
            Channels a = trace(n.input(0));
            Channels b = trace(n.input(1));
            if (a == null || b == null || a.mean().length != b.mean().length) {
                return null;
            }
            double[] mean = new double[a.mean().length];
            for (int c = 0; c < mean.length; c++) {
                mean[c] = a.mean()[c] + b.mean()[c];
            }
            return new Channels(mean, null);
        }

        private static Channels meanOnly(Channels c) {
            return c == null ? null : new Channels(c.mean(), null);
        }

        private float[] vector(String name) {
            Weight w = graph.weights().get(name);
            if (w == null || w.dtype().storage() != dev.nnzip.tensor.DType.Storage.FLOAT) {
                return null;
            }
            Tensor t = w.decode();
            return t.floats();
        }
    }

    /** The per-channel mean of {@code clip(z, lo, hi)} for normal z; null unless {@code c} is normal. */
    static Channels clipped(Channels c, double lo, double hi) {
        if (c == null || c.std() == null) {
            return null;
        }
        double[] mean = new double[c.mean().length];
        for (int k = 0; k < mean.length; k++) {
            mean[k] = clippedNormalMean(c.mean()[k], c.std()[k], lo, hi);
        }
        return new Channels(mean, null);
    }

    /** {@code E[clip(z, lo, hi)]} for {@code z ~ N(mu, sigma²)}; lo and hi may be infinite. */
    static double clippedNormalMean(double mu, double sigma, double lo, double hi) {
        if (sigma == 0) {
            return Math.min(hi, Math.max(lo, mu));
        }
        double a = (lo - mu) / sigma;
        double b = (hi - mu) / sigma;
        double cdfA = Normal.cdf(a);
        double cdfB = Normal.cdf(b);
        double mean = mu * (cdfB - cdfA) + sigma * (Normal.pdf(a) - Normal.pdf(b));
        if (cdfA > 0) {
            mean += lo * cdfA;
        }
        if (cdfB < 1) {
            mean += hi * (1 - cdfB);
        }
        return mean;
    }
}
