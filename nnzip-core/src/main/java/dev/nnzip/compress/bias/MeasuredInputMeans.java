package dev.nnzip.compress.bias;

import dev.nnzip.compress.transform.ValueProbe;
import dev.nnzip.compress.transform.ActivationStatistics;
import dev.nnzip.compress.transform.CalibrationInputs;
import dev.nnzip.graph.Graph;
import dev.nnzip.graph.Node;
import dev.nnzip.kernels.ConvGeometry;
import dev.nnzip.ops.nn.WindowShapes;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Empirical bias correction's statistics: the mean input of each layer, per input feature or per channel and filter tap
 * ({@link TapMeans}), measured by running the uncompressed model on calibration inputs. Every correctable layer gets
 * one, whatever precedes it.
 */
public final class MeasuredInputMeans implements InputMeans {
    private final CalibrationInputs calibration;
    private final int threads;

    public MeasuredInputMeans(CalibrationInputs calibration, int threads) {
        this.calibration = java.util.Objects.requireNonNull(calibration, "calibration");
        this.threads = threads;
    }

    @Override
    public Map<String, double[]> of(Graph graph, List<CorrectableLayer> layers) {
        if (layers.isEmpty()) {
            return Map.of();
        }
        var feeds = calibration.feeds(graph);
        if (feeds.isEmpty()) {
            throw new IllegalArgumentException("no calibration inputs to measure the layers' mean inputs on");
        }
        Map<String, Node> nodes = new LinkedHashMap<>();
        Map<String, double[]> sums = new LinkedHashMap<>();
        Map<String, Long> counts = new LinkedHashMap<>();
        Set<String> inputs = new LinkedHashSet<>();
        for (CorrectableLayer l : layers) {
            nodes.put(l.output(), InputMeans.node(graph, l));
            inputs.add(l.input());
            counts.put(l.output(), 0L);
        }
        ValueProbe.run(graph, inputs, feeds, threads, out -> {
            for (CorrectableLayer l : layers) {
                Tensor x = out.get(l.input());
                if (x == null || x.dtype() != DType.FLOAT) {
                    throw new IllegalArgumentException("the input '" + l.input() + "' of layer '" + l.output()
                            + "' is not a float tensor");
                }
                int[] w = graph.weights().get(l.weight()).shape();
                long n;
                if (l.kind() == CorrectableLayer.Kind.CONV) {
                    ConvGeometry g = WindowShapes.convGeometry(nodes.get(l.output()).attributes(), x.shape(), w);
                    double[] sum = sums.computeIfAbsent(l.output(), k -> new double[g.inChannels()
                            * g.kernel()[0] * g.kernel()[1] * g.kernel()[2]]);
                    TapMeans.addConv(g, x.floats(), sum);
                    n = (long) g.batch() * g.outPlane();
                } else {
                    int features = l.kind() == CorrectableLayer.Kind.GEMM && l.transB() ? w[1] : w[0];
                    double[] sum = sums.computeIfAbsent(l.output(), k -> new double[features]);
                    n = TapMeans.addDense(x.floats(), l.transA(), sum);
                }
                counts.merge(l.output(), n, Long::sum);
            }
        });
        return ActivationStatistics.means(sums, counts);
    }
}
