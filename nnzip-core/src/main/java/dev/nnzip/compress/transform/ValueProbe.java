package dev.nnzip.compress.transform;

import dev.nnzip.graph.Graph;
import dev.nnzip.graph.ValueInfo;
import dev.nnzip.runtime.Model;
import dev.nnzip.runtime.Session;
import dev.nnzip.runtime.SessionOptions;
import dev.nnzip.runtime.weights.MemoryMode;
import dev.nnzip.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs a graph with some of its intermediate values declared as extra outputs, so calibration code can look at them
 * (activation statistics, table lookups, layer inputs for bias correction). Eager weights, one session for all feeds.
 */
public final class ValueProbe {
    private ValueProbe() {
    }

    /** Runs {@code graph} on each feed and hands the outputs (the graph's own plus {@code values}) to {@code sink}. */
    public static void run(Graph graph, Set<String> values, List<Map<String, Tensor>> feeds, int threads,
                    Consumer<Map<String, Tensor>> sink) {
        List<ValueInfo> outputs = new ArrayList<>(graph.outputs());
        Set<String> declared = new LinkedHashSet<>();
        graph.outputs().forEach(o -> declared.add(o.name()));
        for (String v : values) {
            if (declared.add(v)) {
                outputs.add(new ValueInfo(v, null, null));
            }
        }
        Graph probed = new Graph(graph.name(), graph.nodes(), graph.inputs(), outputs, graph.weights(),
                graph.valueInfos(), graph.opsets());
        try (Model model = new Model(graph.name(), probed, MemoryMode.EAGER, null);
             Session session = model.newSession(new SessionOptions(threads))) {
            for (Map<String, Tensor> feed : feeds) {
                sink.accept(session.run(feed));
            }
        }
    }
}
