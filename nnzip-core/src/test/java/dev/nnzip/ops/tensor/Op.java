package dev.nnzip.ops.tensor;

import dev.nnzip.graph.Attribute;
import dev.nnzip.graph.Attributes;
import dev.nnzip.graph.Node;
import dev.nnzip.kernels.Parallel;
import dev.nnzip.ops.ExecContext;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.ops.OpRegistry;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/** Test builder: one node of one op, compiled through the standard registry and run on given tensors. */
final class Op {
    private final String type;
    private final List<Attribute> attributes = new ArrayList<>();
    private int opset = 21;
    private int outputs = 1;
    private ExecContext ctx = ExecContext.sequential();

    private Op(String type) {
        this.type = type;
    }

    static Op of(String type) {
        return new Op(type);
    }

    Op opset(int v) {
        opset = v;
        return this;
    }

    Op outputs(int n) {
        outputs = n;
        return this;
    }

    Op threads(Parallel p) {
        ctx = new ExecContext(p);
        return this;
    }

    Op attr(String name, long v) {
        attributes.add(new Attribute(name, Attribute.Type.INT, v));
        return this;
    }

    Op attr(String name, float v) {
        attributes.add(new Attribute(name, Attribute.Type.FLOAT, v));
        return this;
    }

    Op attr(String name, String v) {
        attributes.add(new Attribute(name, Attribute.Type.STRING, v));
        return this;
    }

    Op attr(String name, Tensor v) {
        attributes.add(new Attribute(name, Attribute.Type.TENSOR, v));
        return this;
    }

    Op ints(String name, long... v) {
        attributes.add(new Attribute(name, Attribute.Type.INTS, v));
        return this;
    }

    Op floats(String name, float... v) {
        attributes.add(new Attribute(name, Attribute.Type.FLOATS, v));
        return this;
    }

    OpKernel compile(int inputCount) {
        List<String> ins = new ArrayList<>();
        for (int i = 0; i < inputCount; i++) {
            ins.add("in" + i);
        }
        List<String> outs = new ArrayList<>();
        for (int i = 0; i < outputs; i++) {
            outs.add("out" + i);
        }
        Node node = new Node("n", type, "", ins, outs, new Attributes(attributes));
        return OpRegistry.standard().create(node, opset);
    }

    /** All outputs; null inputs stand for omitted optional inputs. */
    Tensor[] runAll(Tensor... inputs) {
        return compile(inputs.length).run(inputs, ctx);
    }

    Tensor run(Tensor... inputs) {
        return runAll(inputs)[0];
    }

    // ---- tensor shorthands -----------------------------------------------------------------------------------------

    static Tensor f(float[] data, int... shape) {
        return Tensor.of(data, shape);
    }

    static Tensor l(long... v) {
        return Tensor.vector(v);
    }

    static Tensor scalar(long v) {
        return Tensor.of(new long[] {v});
    }

    static Tensor i32(long[] data, int... shape) {
        return Tensor.wrap(DType.INT32, shape, data);
    }

    /** 0, 1, 2, ... as float32 in the given shape. */
    static Tensor iota(int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        return Tensor.of(v, shape);
    }
}
