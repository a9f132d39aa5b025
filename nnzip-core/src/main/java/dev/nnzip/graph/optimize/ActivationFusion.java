package dev.nnzip.graph.optimize;

import dev.nnzip.graph.Graph;
import dev.nnzip.graph.Node;
import dev.nnzip.graph.ValueInfo;
import dev.nnzip.graph.Weight;
import dev.nnzip.kernels.Activation;
import dev.nnzip.ops.nn.ActivationAttributes;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.util.List;
import java.util.Set;

/**
 * Fuses an element-wise activation (Relu, LeakyRelu, Clip with constant bounds, Sigmoid, HardSwish) into the Conv, Gemm
 * or MatMul (or already bias-fused {@code dev.nnzip.Fused*} node) that produces its input, giving
 * {@code dev.nnzip.FusedConv / FusedGemm / FusedMatMul} with attributes {@code activation} and
 * {@code activation_params}. The kernels apply the activation to each output tile after its last accumulation, so the
 * result is the same as running the two operators (up to the activation's float rounding).
 *
 * <p>Only when the product's output feeds nothing but the activation and is not a graph output. Gemm and MatMul are
 * fused only when their operands are known to be float (a float weight, or a declared float input), because the
 * integer forms of those operators have no fused kernel.
 */
final class ActivationFusion implements GraphPass {
    private static final Set<String> ACTIVATION_ATTRS =
            Set.of(ActivationAttributes.ACTIVATION, ActivationAttributes.PARAMS);

    @Override
    public String name() {
        return "fuse activations into Conv/Gemm/MatMul";
    }

    @Override
    public Graph apply(Graph graph) {
        GraphIndex index = new GraphIndex(graph);
        Rewrite rw = new Rewrite(index);
        List<Node> nodes = graph.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            Node actNode = nodes.get(i);
            Activation act = activation(index, actNode, graph.onnxOpset());
            if (act == null) {
                continue;
            }
            String v = actNode.input(0);
            int p = index.producerOf(v);
            if (p < 0 || !index.hasSingleConsumer(v) || !rw.free(p, i)) {
                continue;
            }
            Node prod = nodes.get(p);
            String fusedOp = fusedOpType(index, prod);
            if (fusedOp == null) {
                continue;
            }
            Node fused = new Node(prod.name(), fusedOp, ActivationAttributes.DOMAIN, prod.inputs(),
                    List.of(actNode.outputs().get(0)),
                    Ops.with(prod.attributes(), ACTIVATION_ATTRS, ActivationAttributes.toAttributes(act)));
            rw.fuse(fused, p, i);
        }
        return rw.build();
    }

    /** The fused operator a producer becomes, or null if it cannot take an activation. */
    private static String fusedOpType(GraphIndex index, Node prod) {
        if (Ops.is(prod, "Conv")) {
            return "FusedConv";
        }
        if (Ops.is(prod, "Gemm") && isFloat(index, prod)) {
            return "FusedGemm";
        }
        if (Ops.is(prod, "MatMul") && isFloat(index, prod)) {
            return "FusedMatMul";
        }
        boolean bare = !prod.attributes().has(ActivationAttributes.ACTIVATION);
        if (bare && (Ops.isPrivate(prod, "FusedConv") || Ops.isPrivate(prod, "FusedGemm")
                || Ops.isPrivate(prod, "FusedMatMul"))) {
            return prod.opType();
        }
        return null;
    }

    /** True when an operand of the product is known to be float32/16: a weight, a graph input or a declared value. */
    private static boolean isFloat(GraphIndex index, Node prod) {
        Graph g = index.graph();
        for (int k = 0; k < 2; k++) {
            String name = prod.input(k);
            Weight w = g.weights().get(name);
            DType t = w != null ? w.dtype() : null;
            if (t == null) {
                ValueInfo vi = g.valueInfos().get(name);
                if (vi == null) {
                    vi = g.inputs().stream().filter(in -> in.name().equals(name)).findFirst().orElse(null);
                }
                t = vi == null ? null : vi.dtype();
            }
            if (t != null) {
                return t.storage() == DType.Storage.FLOAT;
            }
        }
        return false;
    }

    /** The activation an ONNX node computes, or null if it is not one this pass can fuse. */
    private static Activation activation(GraphIndex index, Node n, int opset) {
        if (!n.domain().isEmpty() || n.inputs().isEmpty() || n.outputs().size() != 1) {
            return null;
        }
        return switch (n.opType()) {
            case "Relu" -> Activation.relu();
            case "Sigmoid" -> Activation.sigmoid();
            case "HardSwish" -> Activation.hardSwish();
            case "LeakyRelu" -> Activation.leakyRelu(n.attributes().getFloat("alpha", 0.01f));
            case "Clip" -> clip(index, n, opset);
            default -> null;
        };
    }

    private static Activation clip(GraphIndex index, Node n, int opset) {
        if (opset < 11) { // Clip-6: bounds are attributes, defaulting to the float range
            return Activation.clip(n.attributes().getFloat("min", -Float.MAX_VALUE),
                    n.attributes().getFloat("max", Float.MAX_VALUE));
        }
        Float lo = bound(index, n.input(1), Float.NEGATIVE_INFINITY);
        Float hi = bound(index, n.input(2), Float.POSITIVE_INFINITY);
        return lo == null || hi == null ? null : Activation.clip(lo, hi);
    }

    /** A Clip bound input: absent (the default), or a constant scalar; null when it is computed at run time. */
    private static Float bound(GraphIndex index, String name, float dflt) {
        if (name.isEmpty()) {
            return dflt;
        }
        if (!index.isFloatConstant(name)) {
            return null;
        }
        Tensor t = index.constant(name);
        return t.size() == 1 ? t.floats()[0] : null;
    }
}
