package dev.nnzip.tune;

import dev.nnzip.codec.Codecs;
import dev.nnzip.codec.EncodedTensor;
import dev.nnzip.codec.WeightCodec;
import dev.nnzip.compress.BatchNormFolder;
import dev.nnzip.compress.CompressionPolicy;
import dev.nnzip.graph.Graph;
import dev.nnzip.kernels.Parallel;
import dev.nnzip.onnx.OnnxImporter;
import dev.nnzip.runtime.Model;
import dev.nnzip.runtime.weights.MemoryMode;
import dev.nnzip.tensor.Tensor;
import java.util.Map;

/**
 * The graph {@link dev.nnzip.compress.ModelCompressor} encodes for a policy (BatchNormalization folded when the policy
 * folds it) and the codec and bound the policy gives each of its weights: what a measurement must perturb to predict
 * the compressed model.
 */
record EncodedGraph(Graph graph, Map<String, CompressionPolicy.Choice> choices) {
    /** Weight {@code name} as {@code codecSpec} at the bound its choice gives it would decode. */
    Tensor decoded(String name, String codecSpec, Parallel parallel) {
        Tensor t = graph.weights().get(name).decode();
        WeightCodec codec = Codecs.configure(codecSpec);
        EncodedTensor e = codec.encode(name, t.floats(), t.shape(),
                choices.get(name).bound().toAbsolute(t.floats(), t.shape()));
        return Tensor.of(codec.decode(e, parallel), t.shape());
    }

    /** A model of {@link #graph} with some weights replaced. */
    Model model(Map<String, Tensor> replaced) {
        return new Model(graph.name(), graph.withWeightValues(replaced), MemoryMode.EAGER, null);
    }

    static EncodedGraph of(OnnxImporter.Imported imported, CompressionPolicy policy) {
        BatchNormFolder.Folded folding = policy.fold(imported.proto(), imported.graph().weights());
        Graph graph = folding.graph(imported.graph());
        return new EncodedGraph(graph, policy.decide(graph, folding));
    }
}
