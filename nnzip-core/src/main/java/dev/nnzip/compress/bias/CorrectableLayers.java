package dev.nnzip.compress.bias;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.nnzip.compress.transform.GraphEdits;
import dev.nnzip.graph.Graph;
import dev.nnzip.graph.Node;
import dev.nnzip.graph.Weight;
import dev.nnzip.onnx.OnnxTensors;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the layers bias correction can apply to and gives each one a bias of its own, in the ONNX graph, before any
 * weight is encoded.
 *
 * <p>A layer qualifies when its weight is one the codec compresses lossily and its input is an activation (not a
 * weight): a Conv (any group count, so depthwise too; 1 to 3 spatial axes), a Gemm whose C is absent or a per-column
 * vector ({@code [N]} or {@code [1, N]}) and whose {@code beta} is not 0, or a MatMul with a 2-D weight as its second
 * input. A Conv or Gemm without a bias gets a zero one (the correction is then its only content); a MatMul's output is
 * renamed and an {@code Add} of a zero {@code [N]} bias restores the name, so every consumer is unchanged. A bias another
 * node also reads is not the layer's to move: such layers are skipped (as are MatMuls whose weight is the first input,
 * where the shift depends on the output column and a bias cannot absorb it, and ConvTranspose).
 */
public final class CorrectableLayers {
    /** The edited model (and the zero biases it added, by name) and the layers to correct. */
    public record Prepared(ModelProto model, List<CorrectableLayer> layers, Set<String> addedInitializers) {
    }

    private CorrectableLayers() {
    }

    /**
     * The layers of {@code model} bias correction can apply to, in graph order; the model is not changed.
     *
     * @param model        the model as it will be compressed (after BatchNorm folding)
     * @param graph        its graph, for weight shapes and attributes
     * @param lossyWeights the weights the policy gives a lossy codec
     */
    public static List<CorrectableLayer> find(ModelProto model, Graph graph, Set<String> lossyWeights) {
        Map<String, Integer> uses = GraphEdits.useCounts(model.getGraph());
        Set<String> names = valueNames(model.getGraph());
        Map<String, CorrectableLayer> byOutput = new LinkedHashMap<>();
        for (Node n : graph.nodes()) {
            if (n.outputs().isEmpty() || !(n.domain().isEmpty() || n.domain().equals("ai.onnx"))
                    || n.inputs().size() < 2 || !lossyWeights.contains(n.input(1))
                    || graph.weights().containsKey(n.input(0)) || n.input(0).isEmpty()) {
                continue;
            }
            CorrectableLayer layer = switch (n.opType()) {
                case "Conv" -> conv(n, graph.weights(), uses, names);
                case "Gemm" -> gemm(n, graph.weights(), uses, names);
                case "MatMul" -> matMul(n, graph.weights(), names);
                default -> null;
            };
            if (layer != null) {
                byOutput.put(n.outputs().getFirst(), layer);
                names.add(layer.bias());
            }
        }
        return List.copyOf(byOutput.values());
    }

    private static CorrectableLayer conv(Node n, Map<String, Weight> weights, Map<String, Integer> uses,
                                         Set<String> names) {
        Weight w = weights.get(n.input(1));
        if (w.dtype() != DType.FLOAT || w.shape().length < 3 || w.shape().length > 5) {
            return null;
        }
        long group = n.attributes().getInt("group", 1);
        int m = w.shape()[0];
        if (group < 1 || m % group != 0) {
            return null;
        }
        String bias = n.inputs().size() > 2 ? n.input(2) : "";
        if (!bias.isEmpty() && !ownVector(bias, weights, uses, m)) {
            return null;
        }
        boolean added = bias.isEmpty();
        return new CorrectableLayer(CorrectableLayer.Kind.CONV, n.outputs().getFirst(), n.input(0), w.name(),
                added ? fresh(w.name() + ".bias_correction", names) : bias, added, (int) group, false, false, 1, 1);
    }

    private static CorrectableLayer gemm(Node n, Map<String, Weight> weights, Map<String, Integer> uses,
                                         Set<String> names) {
        Weight w = weights.get(n.input(1));
        if (w.dtype() != DType.FLOAT || w.shape().length != 2) {
            return null;
        }
        boolean transB = n.attributes().getInt("transB", 0) != 0;
        int columns = w.shape()[transB ? 0 : 1];
        double alpha = n.attributes().getFloat("alpha", 1f);
        double beta = n.attributes().getFloat("beta", 1f);
        if (beta == 0 || alpha == 0) {
            return null;
        }
        String bias = n.inputs().size() > 2 ? n.input(2) : "";
        if (!bias.isEmpty()) {
            Weight c = weights.get(bias);
            if (c == null || c.dtype() != DType.FLOAT || uses.getOrDefault(bias, 0) != 1
                    || !(c.shape().length == 1 && c.shape()[0] == columns
                    || c.shape().length == 2 && c.shape()[0] == 1 && c.shape()[1] == columns)) {
                return null;
            }
        }
        boolean added = bias.isEmpty();
        return new CorrectableLayer(CorrectableLayer.Kind.GEMM, n.outputs().getFirst(), n.input(0), w.name(),
                added ? fresh(w.name() + ".bias_correction", names) : bias, added, 1,
                n.attributes().getInt("transA", 0) != 0, transB, alpha, beta);
    }

    private static CorrectableLayer matMul(Node n, Map<String, Weight> weights, Set<String> names) {
        Weight w = weights.get(n.input(1));
        if (w.dtype() != DType.FLOAT || w.shape().length != 2) {
            return null;
        }
        return new CorrectableLayer(CorrectableLayer.Kind.MATMUL, n.outputs().getFirst(), n.input(0), w.name(),
                fresh(w.name() + ".bias_correction", names), true, 1, false, false, 1, 1);
    }

    private static boolean ownVector(String name, Map<String, Weight> weights, Map<String, Integer> uses, int length) {
        Weight b = weights.get(name);
        return b != null && b.dtype() == DType.FLOAT && b.shape().length == 1 && b.shape()[0] == length
                && uses.getOrDefault(name, 0) == 1;
    }

    /** {@code model} with a zero bias for every layer of {@code correct} that has none ({@link CorrectableLayer#addedBias}). */
    public static Prepared edit(ModelProto model, Graph graph, List<CorrectableLayer> correct) {
        Map<String, CorrectableLayer> layers = new LinkedHashMap<>();
        correct.forEach(l -> layers.put(l.output(), l));
        List<NodeProto> nodes = new ArrayList<>();
        List<TensorProto> added = new ArrayList<>();
        Set<String> addedNames = new HashSet<>();
        for (NodeProto n : model.getGraph().getNodeList()) {
            CorrectableLayer layer = n.getOutputCount() > 0 ? layers.get(n.getOutput(0)) : null;
            if (layer == null || !layer.addedBias()) {
                nodes.add(n);
                continue;
            }
            int channels = channels(layer, graph.weights().get(layer.weight()).shape());
            added.add(OnnxTensors.toProto(layer.bias(), Tensor.zeros(DType.FLOAT, channels)));
            addedNames.add(layer.bias());
            if (layer.kind() == CorrectableLayer.Kind.MATMUL) {
                String raw = fresh(layer.output() + ".before_bias_correction", valueNames(model.getGraph()));
                nodes.add(n.toBuilder().setOutput(0, raw).build());
                nodes.add(NodeProto.newBuilder().setOpType("Add")
                        .setName((n.getName().isEmpty() ? layer.output() : n.getName()) + "/bias_correction")
                        .addInput(raw).addInput(layer.bias()).addOutput(layer.output()).build());
            } else {
                NodeProto.Builder b = n.toBuilder();
                if (b.getInputCount() > 2) {
                    b.setInput(2, layer.bias());
                } else {
                    b.addInput(layer.bias());
                }
                nodes.add(b.build());
            }
        }
        GraphProto.Builder g = model.getGraph().toBuilder().clearNode().addAllNode(nodes).addAllInitializer(added);
        return new Prepared(model.toBuilder().setGraph(g).build(), List.copyOf(layers.values()), Set.copyOf(addedNames));
    }

    private static Set<String> valueNames(GraphProto g) {
        Set<String> names = new HashSet<>();
        for (NodeProto n : g.getNodeList()) {
            names.addAll(n.getInputList());
            names.addAll(n.getOutputList());
        }
        g.getInitializerList().forEach(t -> names.add(t.getName()));
        g.getInputList().forEach(v -> names.add(v.getName()));
        g.getOutputList().forEach(v -> names.add(v.getName()));
        return names;
    }

    private static String fresh(String base, Set<String> taken) {
        String name = base;
        for (int i = 2; taken.contains(name); i++) {
            name = base + "." + i;
        }
        return name;
    }

    /** The number of bias channels (output channels) of {@code layer} with weight shape {@code w}. */
    static int channels(CorrectableLayer layer, int[] w) {
        return switch (layer.kind()) {
            case CONV -> w[0];
            case GEMM -> w[layer.transB() ? 0 : 1];
            case MATMUL -> w[1];
        };
    }
}
