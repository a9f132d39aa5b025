package dev.nnzip.compress;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.nnzip.compress.transform.GraphEdits;
import dev.nnzip.graph.Graph;
import dev.nnzip.graph.Weight;
import dev.nnzip.onnx.OnnxImporter;
import dev.nnzip.onnx.OnnxTensors;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Folds each inference-mode BatchNormalization that directly follows a Conv into that Conv's weights and bias, in the
 * ONNX graph itself, before compression: {@code y = γ·(conv(x, W) + b − μ)/√(σ² + ε) + β} is
 * {@code conv(x, W') + b'} with {@code W'[o] = W[o]·s[o]}, {@code b'[o] = (b[o] − μ[o])·s[o] + β[o]},
 * {@code s = γ/√(σ² + ε)} (Ioffe and Szegedy 2015, §3.2; the same algebra as the runtime's lazy
 * {@code graph.optimize.BatchNormFolding}).
 *
 * <p>Why at compression time: a BatchNormalization carries four per-channel vectors that must stay near-exact (a small
 * error in σ² of a low-variance channel scales that channel's whole output), so they are stored losslessly at ~30 bits
 * each. On MobileNetV2-style models they are 14 % of the weights and over 40 % of the compressed file. Folded, they
 * become one bias vector, and the per-channel scale moves into the filter, whose error the lossy codec then bounds
 * directly — the bound applies to the weights the network actually computes with.
 *
 * <p>The result is an ordinary ONNX model (Conv nodes with a bias), so {@code export} of the .nnz still loads in any
 * runtime. Folding is done in double and rounded once to float: outputs match the unfolded graph to float rounding.
 * A pair is folded only when it is safe: the Conv output feeds nothing but the BatchNormalization (and is not a graph
 * output), every parameter is a float initializer, and the Conv's weight and bias are used by no other node.
 */
public final class BatchNormFolder {
    private BatchNormFolder() {
    }

    /**
     * The folded model, the number of pairs folded, the initializers whose data it now holds inline, and for each
     * folded bias the standard deviation of every output channel it is added to.
     *
     * @param biasOutputScales folded bias name → per channel {@code |γ|·σ/√(σ² + ε)}: the spread of the folded
     *                         convolution's output under the statistics the BatchNormalization was trained with (its
     *                         normalised output has unit variance before the scale γ). {@link CompressionPolicy} bounds
     *                         a bias's error against this scale, the one the error shifts, not against the spread of
     *                         the bias values themselves.
     */
    public record Folded(ModelProto model, int pairs, Set<String> rewritten, Map<String, float[]> biasOutputScales) {
        public Folded {
            rewritten = Set.copyOf(rewritten);
            biasOutputScales = Map.copyOf(biasOutputScales);
        }

        /**
         * The folded model as a graph: the weights folding rewrote from {@link #model()}, every other weight as
         * {@code original} holds it (possibly memory-mapped, not copied); {@code original} itself when nothing was
         * folded.
         */
        public Graph graph(Graph original) {
            if (pairs == 0) {
                return original;
            }
            Map<String, Weight> unchanged = new HashMap<>(original.weights());
            unchanged.keySet().removeAll(rewritten);
            return OnnxImporter.convert(model, unchanged);
        }
    }

    /** Nothing folded: {@code model} as it is. */
    public static Folded none(ModelProto model) {
        return new Folded(model, 0, Set.of(), Map.of());
    }

    /** The model with foldable pairs folded; {@code weights} supplies initializer values by name. */
    public static Folded fold(ModelProto model, Map<String, Weight> weights) {
        GraphProto graph = model.getGraph();
        Map<String, Integer> uses = GraphEdits.useCounts(graph);
        Map<String, NodeProto> producer = new HashMap<>();
        for (NodeProto n : graph.getNodeList()) {
            for (String o : n.getOutputList()) {
                producer.put(o, n);
            }
        }
        // Insertion-ordered so the folded initializers come out in graph order: protobuf messages hash by their descriptor's
        // identity, so a HashMap order (and with it the .nnz bytes) would change from one JVM run to the next.
        Map<NodeProto, NodeProto> folds = new LinkedHashMap<>(); // BatchNormalization -> its Conv
        for (NodeProto bn : graph.getNodeList()) {
            NodeProto conv = bn.getInputCount() == 5 ? producer.get(bn.getInput(0)) : null;
            if (conv != null && foldable(conv, bn, uses, weights)) {
                folds.put(bn, conv);
            }
        }
        if (folds.isEmpty()) {
            return none(model);
        }
        Map<NodeProto, NodeProto> replacedConv = new HashMap<>();
        Map<String, TensorProto> newData = new LinkedHashMap<>();
        Set<String> dropped = new HashSet<>();
        Map<String, float[]> outputScales = new HashMap<>();
        for (var e : folds.entrySet()) {
            NodeProto bn = e.getKey();
            NodeProto conv = e.getValue();
            String biasName = conv.getInputCount() > 2 && !conv.getInput(2).isEmpty() ? conv.getInput(2)
                    : conv.getInput(1) + ".folded_bias";
            Tensor[] folded = foldValues(conv, bn, weights);
            newData.put(conv.getInput(1), OnnxTensors.toProto(conv.getInput(1), folded[0]));
            newData.put(biasName, OnnxTensors.toProto(biasName, folded[1]));
            outputScales.put(biasName, folded[2].floats());
            NodeProto.Builder c = conv.toBuilder().clearInput().addInput(conv.getInput(0)).addInput(conv.getInput(1))
                    .addInput(biasName).setOutput(0, bn.getOutput(0));
            replacedConv.put(conv, c.build());
            for (int i = 1; i < 5; i++) {
                dropped.add(bn.getInput(i));
            }
        }
        GraphProto.Builder g = graph.toBuilder().clearNode().clearInitializer();
        for (NodeProto n : graph.getNodeList()) {
            if (!folds.containsKey(n)) {
                g.addNode(replacedConv.getOrDefault(n, n));
            }
        }
        // A BatchNormalization parameter still read by another node (or a graph output) stays.
        Map<String, Integer> remainingUses = GraphEdits.useCounts(g.build());
        Set<String> written = new HashSet<>();
        for (TensorProto t : graph.getInitializerList()) {
            if (dropped.contains(t.getName()) && !remainingUses.containsKey(t.getName())) {
                continue;
            }
            TensorProto replacement = newData.get(t.getName());
            g.addInitializer(replacement != null ? replacement : t);
            written.add(t.getName());
        }
        for (var e : newData.entrySet()) {
            if (!written.contains(e.getKey())) {
                g.addInitializer(e.getValue());
            }
        }
        // Graph inputs that only declared a dropped initializer (IR < 4 style) go too.
        List<ValueInfoProto> inputs = new ArrayList<>(graph.getInputList());
        g.clearInput();
        for (ValueInfoProto in : inputs) {
            if (!dropped.contains(in.getName()) || remainingUses.containsKey(in.getName())) {
                g.addInput(in);
            }
        }
        return new Folded(model.toBuilder().setGraph(g).build(), folds.size(), newData.keySet(), outputScales);
    }

    private static boolean foldable(NodeProto conv, NodeProto bn, Map<String, Integer> uses,
                                    Map<String, Weight> weights) {
        if (!standard(conv) || !standard(bn) || !conv.getOpType().equals("Conv")
                || !bn.getOpType().equals("BatchNormalization") || bn.getOutputCount() != 1
                || conv.getOutputCount() != 1 || conv.getInputCount() < 2) {
            return false;
        }
        for (AttributeProto a : bn.getAttributeList()) {
            if (a.getName().equals("training_mode") && a.getI() != 0) {
                return false;
            }
        }
        if (uses.getOrDefault(conv.getOutput(0), 0) != 1) {
            return false;
        }
        Weight w = weights.get(conv.getInput(1));
        if (w == null || w.dtype() != DType.FLOAT || w.shape().length < 1 || uses.get(conv.getInput(1)) != 1) {
            return false;
        }
        int channels = w.shape()[0];
        boolean hasBias = conv.getInputCount() > 2 && !conv.getInput(2).isEmpty();
        if (hasBias && !vector(weights.get(conv.getInput(2)), channels) || hasBias && uses.get(conv.getInput(2)) != 1) {
            return false;
        }
        for (int i = 1; i < 5; i++) {
            if (!vector(weights.get(bn.getInput(i)), channels)) {
                return false;
            }
        }
        return true;
    }

    private static boolean vector(Weight w, int length) {
        return w != null && w.dtype() == DType.FLOAT && w.shape().length == 1 && w.shape()[0] == length;
    }

    private static boolean standard(NodeProto n) {
        return n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx");
    }

    /** {@code [W', b', output standard deviation per channel]}. */
    private static Tensor[] foldValues(NodeProto conv, NodeProto bn, Map<String, Weight> weights) {
        Tensor w = weights.get(conv.getInput(1)).decode();
        int channels = w.dim(0);
        boolean hasBias = conv.getInputCount() > 2 && !conv.getInput(2).isEmpty();
        float[] b = hasBias ? weights.get(conv.getInput(2)).decode().floats() : new float[channels];
        float[] gamma = weights.get(bn.getInput(1)).decode().floats();
        float[] beta = weights.get(bn.getInput(2)).decode().floats();
        float[] mean = weights.get(bn.getInput(3)).decode().floats();
        float[] var = weights.get(bn.getInput(4)).decode().floats();
        double eps = 1e-5;
        for (AttributeProto a : bn.getAttributeList()) {
            if (a.getName().equals("epsilon")) {
                eps = a.getF();
            }
        }
        float[] src = w.floats();
        float[] dst = new float[src.length];
        float[] bias = new float[channels];
        float[] outputStd = new float[channels];
        int per = src.length / channels;
        for (int o = 0; o < channels; o++) {
            double s = gamma[o] / Math.sqrt((double) var[o] + eps);
            outputStd[o] = (float) Math.abs(s * Math.sqrt(Math.max(0, var[o])));
            for (int i = o * per; i < (o + 1) * per; i++) {
                dst[i] = (float) (src[i] * s);
            }
            bias[o] = (float) (((double) b[o] - mean[o]) * s + beta[o]);
        }
        return new Tensor[] {Tensor.of(dst, w.shape()), Tensor.of(bias, channels), Tensor.of(outputStd, channels)};
    }
}
