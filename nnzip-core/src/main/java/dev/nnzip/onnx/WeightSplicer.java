package dev.nnzip.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.nnzip.graph.Weight;
import dev.nnzip.tensor.Tensor;
import java.util.Collection;
import java.util.Map;
import java.util.function.Function;

/**
 * Takes the weight data out of an ONNX model and puts it back, leaving everything else (nodes, attributes, metadata,
 * opsets) exactly as the author wrote it. The .nnz container stores the first form; {@code export} produces the second.
 */
public final class WeightSplicer {
    private WeightSplicer() {
    }

    /**
     * The model with every top-level weight reduced to its declaration (name, element type, dims, no data).
     * Top-level {@code Constant} nodes, which nnzip treats as weights, become such initializers, so every weight is
     * found — and compressed — in one place.
     */
    public static ModelProto withoutWeightData(ModelProto model, Collection<Weight> weights) {
        GraphProto.Builder g = model.getGraph().toBuilder();
        Map<String, Weight> byName = new java.util.HashMap<>();
        weights.forEach(w -> byName.put(w.name(), w));
        g.clearInitializer().clearSparseInitializer().clearNode();
        for (NodeProto n : model.getGraph().getNodeList()) {
            boolean constantWeight = (n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx"))
                    && n.getOpType().equals("Constant") && n.getOutputCount() == 1
                    && byName.containsKey(n.getOutput(0));
            if (!constantWeight) {
                g.addNode(n);
            }
        }
        for (Weight w : weights) {
            TensorProto.Builder t = TensorProto.newBuilder().setName(w.name()).setDataType(w.dtype().onnxId());
            for (int d : w.shape()) {
                t.addDims(d);
            }
            g.addInitializer(t);
        }
        return model.toBuilder().setGraph(g).build();
    }

    /** The declared-only model with each initializer's data filled in from {@code data} (by name). */
    public static ModelProto withWeightData(ModelProto stripped, Function<String, Tensor> data) {
        GraphProto.Builder g = stripped.getGraph().toBuilder();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            String name = g.getInitializer(i).getName();
            g.setInitializer(i, OnnxTensors.toProto(name, data.apply(name)));
        }
        return stripped.toBuilder().setGraph(g).build();
    }
}
