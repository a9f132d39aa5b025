package dev.nnzip.graph.optimize;

import dev.nnzip.graph.Graph;
import dev.nnzip.graph.Node;
import dev.nnzip.graph.ValueInfo;
import dev.nnzip.ops.ExecContext;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.ops.OpRegistry;
import dev.nnzip.ops.nn.NnOps;
import dev.nnzip.tensor.Shapes;
import dev.nnzip.tensor.Tensor;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/**
 * The unfused side of the optimizer's equivalence tests: a registry with nnzip's nn operators plus textbook
 * implementations (from the ONNX definitions) of the element-wise operators the optimizer fuses, and a small
 * interpreter that runs a graph node by node in file order.
 */
final class ReferenceOps {
    private ReferenceOps() {
    }

    static OpRegistry registry() {
        OpRegistry r = new OpRegistry();
        NnOps.register(r);
        r.register("Relu", (n, o) -> unary(x -> Math.max(x, 0)));
        r.register("Sigmoid", (n, o) -> unary(x -> 1 / (1 + Math.exp(-x))));
        r.register("HardSwish", (n, o) -> unary(x -> x * Math.max(0, Math.min(1, x / 6 + 0.5))));
        r.register("LeakyRelu", (n, o) -> {
            double alpha = n.attributes().getFloat("alpha", 0.01f);
            return unary(x -> x >= 0 ? x : alpha * x);
        });
        r.register("Clip", (n, o) -> (in, ctx) -> {
            double lo = in.length > 1 && in[1] != null ? in[1].getDouble(0) : Double.NEGATIVE_INFINITY;
            double hi = in.length > 2 && in[2] != null ? in[2].getDouble(0) : Double.POSITIVE_INFINITY;
            return map(in[0], x -> Math.min(Math.max(x, lo), hi));
        });
        r.register("Add", (n, o) -> (in, ctx) -> {
            int[] shape = Shapes.broadcast(in[0].shape(), in[1].shape());
            float[] a = expand(in[0], shape);
            float[] b = expand(in[1], shape);
            float[] out = new float[a.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = a[i] + b[i];
            }
            return new Tensor[] {Tensor.of(out, shape)};
        });
        r.register("BatchNormalization", (n, o) -> {
            double eps = n.attributes().getFloat("epsilon", 1e-5f);
            return (in, ctx) -> {
                Tensor x = in[0];
                int c = x.dim(1);
                int plane = x.size() / (x.dim(0) * c);
                float[] y = new float[x.size()];
                for (int i = 0; i < y.length; i++) {
                    int ch = (i / plane) % c;
                    y[i] = (float) ((x.floats()[i] - in[3].floats()[ch]) / Math.sqrt(in[4].floats()[ch] + eps)
                            * in[1].floats()[ch] + in[2].floats()[ch]);
                }
                return new Tensor[] {Tensor.of(y, x.shape())};
            };
        });
        return r;
    }

    private static OpKernel unary(DoubleUnaryOperator f) {
        return (in, ctx) -> map(in[0], f);
    }

    private static Tensor[] map(Tensor x, DoubleUnaryOperator f) {
        float[] y = new float[x.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) f.applyAsDouble(x.floats()[i]);
        }
        return new Tensor[] {Tensor.of(y, x.shape())};
    }

    /** {@code t} broadcast to {@code shape}, by index arithmetic. */
    private static float[] expand(Tensor t, int[] shape) {
        int n = Shapes.size(shape);
        float[] out = new float[n];
        int[] ts = t.shape();
        int[] strides = Shapes.strides(shape);
        for (int i = 0; i < n; i++) {
            int src = 0;
            for (int ax = 0; ax < ts.length; ax++) {
                int oax = shape.length - ts.length + ax;
                int coord = (i / strides[oax]) % shape[oax];
                src = src * ts[ax] + (ts[ax] == 1 ? 0 : coord);
            }
            out[i] = t.floats()[src];
        }
        return out;
    }

    /** Runs {@code g} (nodes already in dependency order) and returns its outputs by name. */
    static Map<String, Tensor> run(Graph g, OpRegistry registry, Map<String, Tensor> inputs) {
        Map<String, Tensor> env = new HashMap<>(inputs);
        g.weights().forEach((name, w) -> env.putIfAbsent(name, w.decode()));
        for (Node n : g.nodes()) {
            int opset = n.domain().isEmpty() ? g.onnxOpset() : 1;
            OpKernel k = registry.create(n, opset);
            Tensor[] in = n.inputs().stream().map(s -> s.isEmpty() ? null : env.get(s)).toArray(Tensor[]::new);
            Tensor[] out = k.run(in, ExecContext.sequential());
            for (int i = 0; i < n.outputs().size(); i++) {
                env.put(n.outputs().get(i), out[i]);
            }
        }
        Map<String, Tensor> result = new LinkedHashMap<>();
        for (ValueInfo v : g.outputs()) {
            result.put(v.name(), env.get(v.name()));
        }
        return result;
    }
}
