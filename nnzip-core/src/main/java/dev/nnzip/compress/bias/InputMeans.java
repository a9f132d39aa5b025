package dev.nnzip.compress.bias;

import dev.nnzip.graph.Graph;
import dev.nnzip.graph.Node;
import java.util.List;
import java.util.Map;

/** Where the mean inputs of the layers to correct come from ({@link BiasCorrection}'s modes). */
public interface InputMeans {
    /**
     * Each layer's input means in the {@link TapMeans} layout, by {@link CorrectableLayer#output()}; a layer this
     * source cannot tell is absent (and is not corrected).
     *
     * @param graph  the model as it will be compressed
     * @param layers its correctable layers
     */
    Map<String, double[]> of(Graph graph, List<CorrectableLayer> layers);

    /** The node that computes {@code layer} in {@code graph}. */
    static Node node(Graph graph, CorrectableLayer layer) {
        for (Node n : graph.nodes()) {
            if (!n.outputs().isEmpty() && n.outputs().getFirst().equals(layer.output())) {
                return n;
            }
        }
        throw new IllegalArgumentException("no node computes '" + layer.output() + "'");
    }
}
