package dev.nnzip.graph;

import dev.nnzip.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model as nnzip sees it: nodes in the file's order, declared inputs/outputs, and weights by name.
 *
 * <p>Weights are {@link Weight} references, never arrays. {@code opsets} maps a domain ("" = ONNX) to its opset
 * version. A graph is immutable once built; transforms build new graphs.
 */
public record Graph(String name, List<Node> nodes, List<ValueInfo> inputs, List<ValueInfo> outputs,
                    Map<String, Weight> weights, Map<String, ValueInfo> valueInfos, Map<String, Integer> opsets) {
    public Graph {
        nodes = List.copyOf(nodes);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
        valueInfos = Collections.unmodifiableMap(new LinkedHashMap<>(valueInfos));
        opsets = Collections.unmodifiableMap(new LinkedHashMap<>(opsets));
    }

    /** The ONNX (default-domain) opset this graph was written for. */
    public int onnxOpset() {
        return opsets.getOrDefault("", 1);
    }

    /**
     * Inputs a caller must feed: declared inputs that are not also initializers (older exporters list initializers as
     * inputs too, which makes them optional overrides).
     */
    public List<ValueInfo> feedInputs() {
        return inputs.stream().filter(v -> !weights.containsKey(v.name())).toList();
    }

    /**
     * This graph with some weights' values replaced ({@code replaced}: name → new value), everything else shared: a
     * candidate model for measuring what a weight's error does.
     */
    public Graph withWeightValues(Map<String, Tensor> replaced) {
        Map<String, Weight> w = new LinkedHashMap<>(weights);
        replaced.forEach((n, t) -> w.put(n, Weight.of(n, t)));
        return new Graph(name, nodes, inputs, outputs, w, valueInfos, opsets);
    }

    /** Total bytes of all weights in decoded form. */
    public long decodedWeightBytes() {
        return weights.values().stream().mapToLong(Weight::decodedBytes).sum();
    }
}
