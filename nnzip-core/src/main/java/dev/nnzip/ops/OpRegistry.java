package dev.nnzip.ops;

import dev.nnzip.NnzipException;
import dev.nnzip.UnsupportedOperatorException;
import dev.nnzip.graph.Node;
import dev.nnzip.ops.math.MathOps;
import dev.nnzip.ops.nn.NnOps;
import dev.nnzip.ops.reduce.ReduceOps;
import dev.nnzip.ops.tensor.TensorOps;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Operator type → factory, per domain. The standard registry holds every ONNX operator nnzip implements; each op family
 * package registers its own ops ({@code ops.math}, {@code ops.nn}, {@code ops.tensor}, {@code ops.reduce}).
 */
public final class OpRegistry {
    private static final OpRegistry STANDARD = createStandard();

    private final Map<String, OpFactory> factories = new TreeMap<>();

    public static OpRegistry standard() {
        return STANDARD;
    }

    private static OpRegistry createStandard() {
        OpRegistry r = new OpRegistry();
        MathOps.register(r);
        NnOps.register(r);
        TensorOps.register(r);
        ReduceOps.register(r);
        dev.nnzip.ops.norm.NormOps.register(r);
        return r;
    }

    /** Registers an op of the default ONNX domain. */
    public OpRegistry register(String opType, OpFactory factory) {
        return register("", opType, factory);
    }

    public OpRegistry register(String domain, String opType, OpFactory factory) {
        if (factories.putIfAbsent(key(domain, opType), factory) != null) {
            throw new IllegalStateException("operator " + key(domain, opType) + " registered twice");
        }
        return this;
    }

    private static String key(String domain, String opType) {
        return domain.isEmpty() ? opType : domain + "." + opType;
    }

    public boolean supports(String domain, String opType) {
        return factories.containsKey(key(domain, opType));
    }

    /** The supported operator names ("Conv", "com.microsoft.Gelu", ...), sorted. */
    public Set<String> operators() {
        return new TreeSet<>(factories.keySet());
    }

    /**
     * Compiles a node. Unknown ops and unsupported attribute values fail here, at load, naming the op type, the node and
     * the opset.
     */
    public OpKernel create(Node node, int opset) {
        OpFactory f = factories.get(key(node.domain(), node.opType()));
        if (f == null) {
            throw new UnsupportedOperatorException("unsupported operator " + node.describe() + " at opset " + opset
                    + (node.domain().isEmpty() ? "" : " (domain '" + node.domain() + "')")
                    + "; nnzip implements " + factories.size() + " operators: " + String.join(", ", operators()));
        }
        try {
            return f.create(node, opset);
        } catch (NnzipException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new UnsupportedOperatorException("cannot compile " + node.describe() + " at opset " + opset + ": "
                    + e.getMessage());
        }
    }
}
