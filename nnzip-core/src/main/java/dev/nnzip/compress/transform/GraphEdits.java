package dev.nnzip.compress.transform;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** ModelProto edits the transforms share: use counts, attributes, and swapping nodes and initializers. */
public final class GraphEdits {
    private GraphEdits() {
    }

    /** How many node inputs (top-level and in subgraphs) and graph outputs name each value. */
    public static Map<String, Integer> useCounts(GraphProto graph) {
        Map<String, Integer> uses = new HashMap<>();
        count(graph, uses);
        for (ValueInfoProto o : graph.getOutputList()) {
            uses.merge(o.getName(), 1, Integer::sum);
        }
        return uses;
    }

    private static void count(GraphProto graph, Map<String, Integer> uses) {
        for (NodeProto n : graph.getNodeList()) {
            for (String in : n.getInputList()) {
                if (!in.isEmpty()) {
                    uses.merge(in, 1, Integer::sum);
                }
            }
            for (AttributeProto a : n.getAttributeList()) {
                if (a.hasG()) {
                    count(a.getG(), uses);
                }
                for (GraphProto g : a.getGraphsList()) {
                    count(g, uses);
                }
            }
        }
    }

    static long intAttr(NodeProto node, String name, long fallback) {
        for (AttributeProto a : node.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getI();
            }
        }
        return fallback;
    }

    /**
     * {@code model} with the node list replaced, {@code removed} initializers (and their graph inputs / value infos, as
     * older exporters list initializers among the inputs) dropped and {@code added} appended.
     */
    static ModelProto withNodes(ModelProto model, List<NodeProto> nodes, Collection<TensorProto> added,
                                Set<String> removed) {
        GraphProto g = model.getGraph();
        GraphProto.Builder b = g.toBuilder().clearNode().addAllNode(nodes).clearInitializer();
        for (TensorProto t : g.getInitializerList()) {
            if (!removed.contains(t.getName())) {
                b.addInitializer(t);
            }
        }
        b.addAllInitializer(added);
        b.clearInput();
        for (ValueInfoProto in : g.getInputList()) {
            if (!removed.contains(in.getName())) {
                b.addInput(in);
            }
        }
        b.clearValueInfo();
        for (ValueInfoProto v : g.getValueInfoList()) {
            if (!removed.contains(v.getName())) {
                b.addValueInfo(v);
            }
        }
        return model.toBuilder().setGraph(b).build();
    }
}
