package dev.nnzip.tune;

import dev.nnzip.compress.BatchNormFolder;
import dev.nnzip.compress.CompressionPolicy;
import dev.nnzip.graph.Graph;
import dev.nnzip.onnx.OnnxImporter;
import java.util.Map;

/**
 * The graph {@link dev.nnzip.compress.ModelCompressor} encodes for a policy (BatchNormalization folded when the policy
 * folds it) and the codec and bound the policy gives each of its weights: what a measurement must perturb to predict
 * the compressed model.
 */
record EncodedGraph(Graph graph, Map<String, CompressionPolicy.Choice> choices) {
    static EncodedGraph of(OnnxImporter.Imported imported, CompressionPolicy policy) {
        Graph graph = imported.graph();
        if (!policy.foldBatchNorm()) {
            return new EncodedGraph(graph, policy.decide(graph));
        }
        BatchNormFolder.Folded folding = BatchNormFolder.fold(imported.proto(), graph.weights());
        Graph folded = folding.graph(graph);
        return new EncodedGraph(folded, policy.decide(folded, folding.rewritten(), folding.biasOutputScales()));
    }
}
