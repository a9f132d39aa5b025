package dev.nnzip.runtime.shape;

import dev.nnzip.InvalidInputException;
import dev.nnzip.graph.Graph;
import dev.nnzip.graph.Node;
import dev.nnzip.graph.ValueInfo;
import dev.nnzip.graph.Weight;
import dev.nnzip.ops.ExecContext;
import dev.nnzip.runtime.ExecutionPlan;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Every value's element type and shape before running, from the shapes of the graph inputs.
 *
 * <p>Nodes are visited in plan order. A node whose inputs are all known small values (shape logic: Shape → Gather →
 * Unsqueeze → Concat → Reshape chains, constants) is evaluated outright by its own compiled kernel, so the values the
 * shape-taking operators read (Reshape targets, Slice bounds, Expand shapes) are known and no rule has to mirror an
 * integer operator's semantics. Every other node goes through its operator's {@link ShapeRule}. When a shape depends
 * on data (NonZero on an activation, a Reshape target computed from an input's values) or an operator has no rule, the
 * result names the first such node; values computed from it stay unknown, never guessed.
 */
public final class ShapeInference {
    /** Values of at most this many elements are kept (and computed at plan time when their inputs are known). */
    static final int SMALL = 4096;
    /** Weights of any element type up to this many elements are read as arguments. */
    static final int ARGUMENT = 64;

    private final ShapeRules rules;

    public ShapeInference(ShapeRules rules) {
        this.rules = rules;
    }

    public static ShapeInference standard() {
        return new ShapeInference(ShapeRules.standard());
    }

    /**
     * Infers the types of {@code plan}'s values when its graph inputs have the given types (every input the caller
     * feeds; an initializer listed as an input keeps its stored value when left out).
     *
     * @throws InvalidInputException when an input is missing or contradicts its declared type or fixed dims
     */
    public InferredShapes infer(ExecutionPlan plan, Map<String, TensorType> inputs) {
        Graph graph = plan.graph();
        Map<String, TensorType> types = new HashMap<>();
        for (Map.Entry<String, Weight> e : graph.weights().entrySet()) {
            types.put(e.getKey(), weightType(e.getValue()));
        }
        for (ValueInfo info : graph.inputs()) {
            TensorType t = inputs.get(info.name());
            if (t == null) {
                if (!graph.weights().containsKey(info.name())) {
                    throw new InvalidInputException("missing input '" + info.name() + "' (" + info + "); inputs given: "
                            + inputs.keySet());
                }
                continue;
            }
            info.requireAccepts(t.dtype(), t.shape());
            types.put(info.name(), t);
        }
        Node unknownAt = null;
        String reason = null;
        ExecContext ctx = ExecContext.sequential();
        for (ExecutionPlan.Step step : plan.steps()) {
            Node node = step.node();
            TensorType[] in = new TensorType[node.inputs().size()];
            boolean missing = false;
            for (int i = 0; i < in.length; i++) {
                String name = node.inputs().get(i);
                if (!name.isEmpty()) {
                    in[i] = types.get(name);
                    missing |= in[i] == null;
                }
            }
            if (missing) {
                continue; // downstream of an unknown value: its cause is already recorded
            }
            try {
                TensorType[] out = outputs(node, opset(graph, node), in, step, ctx);
                for (int k = 0; k < node.outputs().size(); k++) {
                    String name = node.outputs().get(k);
                    if (name.isEmpty()) {
                        continue;
                    }
                    if (k >= out.length || out[k] == null) {
                        throw new ShapeUnknownException(node.describe() + ": no type for output " + k + " ('" + name
                                + "')");
                    }
                    types.put(name, out[k]);
                }
            } catch (RuntimeException e) {
                if (unknownAt == null) {
                    unknownAt = node;
                    reason = e instanceof ShapeUnknownException ? e.getMessage()
                            : node.describe() + " fails on inputs " + Arrays.toString(in) + ": " + e.getMessage();
                }
            }
        }
        return new InferredShapes(types, unknownAt, reason);
    }

    /** The rule's answer; when every input is a known small value and so are the outputs, the kernel's values. */
    private TensorType[] outputs(Node node, int opset, TensorType[] in, ExecutionPlan.Step step, ExecContext ctx) {
        TensorType[] ruled = null;
        RuntimeException ruleFailure = null;
        ShapeRule rule = rules.rule(node.domain(), node.opType()).orElse(null);
        if (rule != null) {
            try {
                ruled = rule.infer(new NodeShapes(node, opset, in));
            } catch (ShapeUnknownException e) {
                ruleFailure = e;
            }
        } else {
            ruleFailure = new ShapeUnknownException(node.describe() + ": no shape rule for operator "
                    + node.opType() + (node.domain().isEmpty() ? "" : " of domain '" + node.domain() + "'"));
        }
        if (allKnownValues(in) && (ruled == null ? ruleFailure != null : allSmall(ruled) && !allKnownValues(ruled))) {
            return evaluate(step, in, ctx);
        }
        if (ruleFailure != null) {
            throw ruleFailure;
        }
        return ruled;
    }

    /** Runs the node's kernel on its known inputs (partial evaluation); small outputs keep their values. */
    private static TensorType[] evaluate(ExecutionPlan.Step step, TensorType[] in, ExecContext ctx) {
        Tensor[] values = new Tensor[in.length];
        for (int i = 0; i < in.length; i++) {
            values[i] = in[i] == null ? null : in[i].value();
        }
        Tensor[] out = step.kernel().run(values, ctx);
        TensorType[] types = new TensorType[out.length];
        for (int k = 0; k < out.length; k++) {
            if (out[k] != null) {
                types[k] = out[k].size() <= SMALL ? TensorType.constant(out[k])
                        : TensorType.of(out[k].dtype(), out[k].shape());
            }
        }
        return types;
    }

    private static boolean allKnownValues(TensorType[] types) {
        boolean any = false;
        for (TensorType t : types) {
            if (t != null) {
                if (!t.isConstant()) {
                    return false;
                }
                any = true;
            }
        }
        return any;
    }

    private static boolean allSmall(TensorType[] types) {
        for (TensorType t : types) {
            if (t != null && t.size() > SMALL) {
                return false;
            }
        }
        return true;
    }

    /**
     * A weight's type. Shape arguments are decoded so rules and partial evaluation can read them: integer and bool
     * weights up to {@link #SMALL} elements (Reshape targets, Slice bounds, axes) and any weight up to
     * {@link #ARGUMENT} elements (Resize scales, OneHot depth, Range bounds); float tensors beyond that (biases,
     * normalization parameters) never decide a shape and stay encoded.
     */
    private static TensorType weightType(Weight w) {
        int[] shape = w.shape();
        int size = dev.nnzip.tensor.Shapes.size(shape);
        DType.Storage storage = w.dtype().storage();
        boolean argument = size <= ARGUMENT
                || size <= SMALL && (storage == DType.Storage.LONG || storage == DType.Storage.BOOL);
        return argument ? TensorType.constant(w.decode()) : TensorType.of(w.dtype(), shape);
    }

    private static int opset(Graph graph, Node node) {
        return node.domain().isEmpty() ? graph.onnxOpset() : graph.opsets().getOrDefault(node.domain(), 1);
    }
}
