package dev.nnzip.compress.bias;

import dev.nnzip.compress.transform.ValueProbe;
import dev.nnzip.graph.Graph;
import dev.nnzip.graph.Weight;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Empirical bias correction layer by layer (the variant Nagel et al., ICCV 2019, §4.2, describe for when data is
 * available; also Banner et al., NeurIPS 2019): instead of predicting a layer's mean shift from its weight error and the
 * original model's inputs, run the <em>compressed</em> model, whose earlier layers are already corrected, on calibration
 * inputs, and move each layer's bias by the difference between its mean output there and in the original model:
 * {@code b' = b − (E[ŷ] − E[y]) / beta}. The shift so measured includes what no per-layer prediction sees — the changed
 * inputs from the compressed layers before, and the coding error of their own (lossy) biases — so the mean of every
 * corrected layer's output equals the original's on the calibration data, up to its own bias's coding error.
 *
 * <p>Layers are corrected in graph (topological) order; each correction is encoded at once and its <em>decoded</em>
 * value is what the following measurements run with. Cost: one pass of the calibration inputs through the model per
 * corrected layer, plus one through the original.
 */
public final class SequentialBiasCorrection {
    /** Encodes one corrected bias and returns the values it decodes to. */
    @FunctionalInterface
    public interface BiasEncoder {
        float[] encode(String bias, Tensor corrected);
    }

    private final Graph graph;
    private final List<CorrectableLayer> layers;
    private final List<Map<String, Tensor>> feeds;
    private final int threads;

    /**
     * @param graph  the model as it will be compressed, every correctable layer with a bias of its own
     * @param layers the layers to correct, in graph order
     * @param feeds  calibration inputs
     */
    public SequentialBiasCorrection(Graph graph, List<CorrectableLayer> layers, List<Map<String, Tensor>> feeds,
                                    int threads) {
        if (feeds.isEmpty() && !layers.isEmpty()) {
            throw new IllegalArgumentException("no calibration inputs to measure the layers' mean outputs on");
        }
        this.graph = graph;
        this.layers = List.copyOf(layers);
        this.feeds = feeds;
        this.threads = threads;
    }

    /**
     * Corrects every layer's bias, in order, and hands each to {@code encoder}.
     *
     * @param compressed the weights as the codecs reconstruct them (every weight but the layers' biases, which are
     *                   taken from the graph and replaced as they are corrected)
     */
    public void run(Map<String, Weight> compressed, BiasEncoder encoder) {
        Set<String> outputs = new LinkedHashSet<>();
        layers.forEach(l -> outputs.add(l.output()));
        Map<String, double[]> target = new HashMap<>();
        measure(graph, outputs, target);
        Map<String, Weight> current = new LinkedHashMap<>(graph.weights());
        current.putAll(compressed);
        for (CorrectableLayer l : layers) {
            current.put(l.bias(), graph.weights().get(l.bias()));
            Map<String, double[]> now = new HashMap<>();
            measure(withWeights(current), Set.of(l.output()), now);
            double[] want = target.get(l.output());
            double[] got = now.get(l.output());
            Tensor bias = graph.weights().get(l.bias()).decode();
            float[] b = bias.floats();
            if (b.length != got.length) {
                throw new IllegalArgumentException("layer '" + l.output() + "' has " + got.length + " output channels"
                        + " but its bias '" + l.bias() + "' " + b.length + " values");
            }
            float[] corrected = new float[b.length];
            for (int m = 0; m < b.length; m++) {
                corrected[m] = (float) (b[m] - (got[m] - want[m]) / l.biasGain());
            }
            float[] decoded = encoder.encode(l.bias(), Tensor.of(corrected, bias.shape()));
            current.put(l.bias(), Weight.of(l.bias(), Tensor.of(decoded, bias.shape())));
        }
    }

    private Graph withWeights(Map<String, Weight> weights) {
        return new Graph(graph.name(), graph.nodes(), graph.inputs(), graph.outputs(), Map.copyOf(weights),
                graph.valueInfos(), graph.opsets());
    }

    /** Per-channel means of {@code values} over the feeds: axis 1 of a Conv output, the last axis of a dense one. */
    private void measure(Graph g, Set<String> values, Map<String, double[]> out) {
        Map<String, double[]> sums = new HashMap<>();
        Map<String, Long> counts = new HashMap<>();
        Map<String, CorrectableLayer> byOutput = new HashMap<>();
        layers.forEach(l -> byOutput.put(l.output(), l));
        ValueProbe.run(g, values, feeds, threads, result -> {
            for (String v : values) {
                Tensor y = result.get(v);
                if (y == null || y.dtype() != DType.FLOAT || y.rank() < 2) {
                    throw new IllegalArgumentException("the output '" + v + "' is not a float tensor of rank >= 2");
                }
                int axis = byOutput.get(v).kind() == CorrectableLayer.Kind.CONV ? 1 : y.rank() - 1;
                int channels = y.dim(axis);
                int inner = 1;
                for (int a = axis + 1; a < y.rank(); a++) {
                    inner *= y.dim(a);
                }
                double[] sum = sums.computeIfAbsent(v, k -> new double[channels]);
                float[] x = y.floats();
                for (int i = 0; i < x.length; i++) {
                    sum[(i / inner) % channels] += x[i];
                }
                counts.merge(v, (long) (x.length / channels), Long::sum);
            }
        });
        sums.forEach((v, sum) -> {
            double[] mean = new double[sum.length];
            for (int c = 0; c < sum.length; c++) {
                mean[c] = sum[c] / counts.get(v);
            }
            out.put(v, mean);
        });
    }
}
