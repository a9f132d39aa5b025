package dev.nnzip.compress.transform;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.nnzip.graph.Weight;
import dev.nnzip.onnx.OnnxTensors;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Structured filter pruning by L1 norm (Li et al., "Pruning Filters for Efficient ConvNets", ICLR 2017): in each eligible
 * Conv the {@code floor(sparsity × O)} output channels whose filters have the smallest {@code Σ|w|} are removed, and the
 * layers that consume them shrink with it, so the model really gets smaller and faster (unlike unstructured pruning,
 * whose zeros still cost a multiply in a dense kernel).
 *
 * <p>A Conv (group 1, filter an initializer used once) is eligible when its output reaches, through a chain of
 * single-consumer nodes that act on each channel alone — {@link #CHANNELWISE} and BatchNormalization with initializer
 * parameters — exactly one of: a Conv with group 1 (its input channels are cut), or Flatten (axis 1) followed by a Gemm
 * (the {@code S} features of each removed channel are cut from its weight, {@code S = K / C}). Anything else on the path
 * (a residual Add, a Concat, a depthwise Conv, a graph output) makes the Conv ineligible: removing a channel there would
 * need the other operand pruned identically, which this transform does not attempt. Value infos of the changed values
 * are dropped (they would state the old channel count); shapes are inferred again at load.
 */
public final class FilterPruneTransform implements GraphTransform {
    public static final String NAME = "filters";
    /** Ops that map channel c of input 0 to channel c of output 0 and nothing else. */
    static final Set<String> CHANNELWISE = Set.of("Relu", "LeakyRelu", "Clip", "Sigmoid", "Tanh", "HardSigmoid",
            "HardSwish", "Elu", "Selu", "Softplus", "MaxPool", "AveragePool", "LpPool", "Identity", "Dropout");

    private final double sparsity;

    public FilterPruneTransform(double sparsity) {
        if (!(sparsity >= 0 && sparsity < 1)) {
            throw new IllegalArgumentException("filters: sparsity must be in [0, 1), was " + sparsity);
        }
        this.sparsity = sparsity;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** What one pruned Conv touches. */
    private record Plan(NodeProto conv, List<NodeProto> path, NodeProto consumer, boolean consumerIsGemm) {
    }

    @Override
    public Result apply(ModelProto model, Map<String, Weight> weights) {
        GraphProto graph = model.getGraph();
        Map<String, Integer> uses = GraphEdits.useCounts(graph);
        Map<String, NodeProto> consumerOf = new HashMap<>();
        for (NodeProto n : graph.getNodeList()) {
            for (String in : n.getInputList()) {
                consumerOf.put(in, n); // meaningful only where uses == 1
            }
        }
        Map<String, Tensor> edited = new LinkedHashMap<>();
        Set<String> changedValues = new HashSet<>();
        List<String> log = new ArrayList<>();
        for (NodeProto n : graph.getNodeList()) {
            if (!n.getOpType().equals("Conv")) {
                continue;
            }
            Plan plan = plan(n, weights, uses, consumerOf);
            if (plan == null) {
                continue;
            }
            Tensor filter = current(n.getInput(1), weights, edited);
            int channels = filter.dim(0);
            int drop = (int) Math.floor(sparsity * channels);
            if (drop == 0 || drop >= channels) {
                continue;
            }
            int[] keep = strongest(filter, channels - drop);
            edited.put(n.getInput(1), slice(filter, 0, keep, 1));
            if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
                edited.put(n.getInput(2), slice(current(n.getInput(2), weights, edited), 0, keep, 1));
            }
            changedValues.add(n.getOutput(0));
            for (NodeProto p : plan.path()) {
                if (p.getOpType().equals("BatchNormalization")) {
                    for (int i = 1; i <= 4; i++) {
                        edited.put(p.getInput(i), slice(current(p.getInput(i), weights, edited), 0, keep, 1));
                    }
                }
                changedValues.add(p.getOutput(0));
            }
            NodeProto c = plan.consumer();
            String cw = c.getInput(1);
            Tensor consumerWeight = current(cw, weights, edited);
            if (plan.consumerIsGemm()) {
                boolean transB = GraphEdits.intAttr(c, "transB", 0) != 0;
                int features = consumerWeight.dim(transB ? 1 : 0);
                edited.put(cw, slice(consumerWeight, transB ? 1 : 0, keep, features / channels));
            } else {
                edited.put(cw, slice(consumerWeight, 1, keep, 1));
            }
            log.add(String.format("Conv %s: %d of %d filters kept (L1), %s %s shrunk", n.getName(), keep.length,
                    channels, c.getOpType(), c.getName()));
        }
        List<TensorProto> added = new ArrayList<>();
        edited.forEach((name, t) -> added.add(OnnxTensors.toProto(name, t)));
        ModelProto out = GraphEdits.withNodes(model, graph.getNodeList(), added, edited.keySet());
        GraphProto.Builder g = out.getGraph().toBuilder().clearValueInfo();
        out.getGraph().getValueInfoList().stream().filter(v -> !changedValues.contains(v.getName()))
                .forEach(g::addValueInfo);
        // Initializers were re-added under their own names; where the model also declared them as graph inputs (IR < 4
        // exporters do), declare them again with the new shape.
        for (var in : model.getGraph().getInputList()) {
            Tensor t = edited.get(in.getName());
            if (t != null && in.getType().hasTensorType()) {
                var shape = ai.onnx.proto.OnnxMl.TensorShapeProto.newBuilder();
                for (int d : t.shape()) {
                    shape.addDim(ai.onnx.proto.OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
                }
                var type = in.getType().toBuilder();
                type.getTensorTypeBuilder().setShape(shape);
                g.addInput(in.toBuilder().setType(type));
            }
        }
        return new Result(out.toBuilder().setGraph(g).build(), log);
    }

    /** The chain from {@code conv} to the layer that consumes its channels, or null if it is not prunable. */
    private static Plan plan(NodeProto conv, Map<String, Weight> weights, Map<String, Integer> uses,
                             Map<String, NodeProto> consumerOf) {
        if (GraphEdits.intAttr(conv, "group", 1) != 1 || !isParam(conv.getInput(1), weights, uses)
                || conv.getInputCount() > 2 && !conv.getInput(2).isEmpty() && !isParam(conv.getInput(2), weights, uses)) {
            return null;
        }
        List<NodeProto> path = new ArrayList<>();
        String value = conv.getOutput(0);
        while (true) {
            if (uses.getOrDefault(value, 0) != 1) {
                return null;
            }
            NodeProto next = consumerOf.get(value);
            if (next == null || !next.getInput(0).equals(value) || !next.getDomain().isEmpty()) {
                return null;
            }
            String op = next.getOpType();
            if (op.equals("BatchNormalization")) {
                if (next.getOutputCount() > 1 && !next.getOutput(1).isEmpty()) {
                    return null; // training-mode outputs
                }
                for (int i = 1; i <= 4; i++) {
                    if (!isParam(next.getInput(i), weights, uses)) {
                        return null;
                    }
                }
            } else if (op.equals("Conv")) {
                boolean ok = GraphEdits.intAttr(next, "group", 1) == 1 && isParam(next.getInput(1), weights, uses);
                return ok ? new Plan(conv, path, next, false) : null;
            } else if (op.equals("Flatten")) {
                String flat = next.getOutput(0);
                NodeProto gemm = uses.getOrDefault(flat, 0) == 1 ? consumerOf.get(flat) : null;
                boolean ok = GraphEdits.intAttr(next, "axis", 1) == 1 && gemm != null && gemm.getOpType().equals("Gemm")
                        && gemm.getInput(0).equals(flat) && GraphEdits.intAttr(gemm, "transA", 0) == 0
                        && isParam(gemm.getInput(1), weights, uses);
                if (!ok) {
                    return null;
                }
                path.add(next);
                return new Plan(conv, path, gemm, true);
            } else if (!CHANNELWISE.contains(op) || next.getOutputCount() != 1 && !op.equals("Dropout")
                    && !op.equals("MaxPool")) {
                return null;
            } else if (op.equals("Clip") && next.getInputCount() > 1
                    && next.getInputList().subList(1, next.getInputCount()).stream().anyMatch(s -> !s.isEmpty()
                    && weights.containsKey(s) && weights.get(s).shape().length > 0)) {
                return null; // per-channel Clip bounds are not a thing in ONNX, but be safe
            }
            if (next.getOutputCount() > 1 && next.getOutputList().subList(1, next.getOutputCount()).stream()
                    .anyMatch(s -> !s.isEmpty())) {
                return null; // MaxPool indices or Dropout mask in use
            }
            path.add(next);
            value = next.getOutput(0);
        }
    }

    private static boolean isParam(String name, Map<String, Weight> weights, Map<String, Integer> uses) {
        Weight w = weights.get(name);
        return w != null && w.dtype() == DType.FLOAT && uses.getOrDefault(name, 0) == 1;
    }

    private static Tensor current(String name, Map<String, Weight> weights, Map<String, Tensor> edited) {
        Tensor t = edited.get(name);
        return t != null ? t : weights.get(name).decode();
    }

    /** Indices (ascending) of the {@code count} filters with the largest L1 norm; ties keep the lower index. */
    static int[] strongest(Tensor filter, int count) {
        int channels = filter.dim(0);
        int per = filter.size() / channels;
        float[] w = filter.floats();
        double[] l1 = new double[channels];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < per; i++) {
                l1[c] += Math.abs(w[c * per + i]);
            }
        }
        Integer[] order = new Integer[channels];
        for (int c = 0; c < channels; c++) {
            order[c] = c;
        }
        Arrays.sort(order, (a, b) -> l1[a] != l1[b] ? Double.compare(l1[b], l1[a]) : Integer.compare(a, b));
        int[] keep = new int[count];
        for (int i = 0; i < count; i++) {
            keep[i] = order[i];
        }
        Arrays.sort(keep);
        return keep;
    }

    /** {@code t} with only the slabs {@code keep[i]} (each {@code group} wide) along {@code axis}. */
    static Tensor slice(Tensor t, int axis, int[] keep, int group) {
        int[] shape = t.shape();
        int outer = 1;
        for (int d = 0; d < axis; d++) {
            outer *= shape[d];
        }
        int inner = 1;
        for (int d = axis + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        int along = shape[axis];
        int[] newShape = shape.clone();
        newShape[axis] = keep.length * group;
        float[] src = t.floats();
        float[] dst = new float[outer * newShape[axis] * inner];
        int o = 0;
        for (int a = 0; a < outer; a++) {
            for (int k : keep) {
                int from = (a * along + k * group) * inner;
                System.arraycopy(src, from, dst, o, group * inner);
                o += group * inner;
            }
        }
        return Tensor.of(dst, newShape);
    }
}
