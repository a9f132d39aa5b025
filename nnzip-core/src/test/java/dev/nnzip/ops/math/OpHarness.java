package dev.nnzip.ops.math;

import dev.nnzip.graph.Attribute;
import dev.nnzip.graph.Attributes;
import dev.nnzip.graph.Node;
import dev.nnzip.ops.ExecContext;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.ops.OpRegistry;
import dev.nnzip.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds one node of the standard registry and runs it, for operator unit tests:
 * {@code OpHarness.op("Add").opset(14).run(a, b)}. Null inputs are absent optional inputs.
 */
public final class OpHarness {
    private final String opType;
    private final Map<String, Attribute> attributes = new LinkedHashMap<>();
    private int opset = 17;
    private int outputs = 1;
    private ExecContext ctx = ExecContext.sequential();

    private OpHarness(String opType) {
        this.opType = opType;
    }

    public static OpHarness op(String opType) {
        return new OpHarness(opType);
    }

    public OpHarness opset(int v) {
        opset = v;
        return this;
    }

    public OpHarness outputs(int n) {
        outputs = n;
        return this;
    }

    public OpHarness context(ExecContext c) {
        ctx = c;
        return this;
    }

    public OpHarness attr(String name, long v) {
        attributes.put(name, new Attribute(name, Attribute.Type.INT, v));
        return this;
    }

    public OpHarness attr(String name, float v) {
        attributes.put(name, new Attribute(name, Attribute.Type.FLOAT, v));
        return this;
    }

    public OpHarness attr(String name, String v) {
        attributes.put(name, new Attribute(name, Attribute.Type.STRING, v));
        return this;
    }

    public OpHarness attrInts(String name, long... v) {
        attributes.put(name, new Attribute(name, Attribute.Type.INTS, v));
        return this;
    }

    /** Compiles the node (attribute errors surface here, as at model load). */
    public OpKernel compile(int inputCount) {
        List<String> ins = new ArrayList<>();
        for (int i = 0; i < inputCount; i++) {
            ins.add("in" + i);
        }
        List<String> outs = new ArrayList<>();
        for (int i = 0; i < outputs; i++) {
            outs.add("out" + i);
        }
        Node node = new Node("test", opType, "", ins, outs, new Attributes(attributes.values()));
        return OpRegistry.standard().create(node, opset);
    }

    /** Runs the node and returns all its outputs. */
    public Tensor[] runAll(Tensor... inputs) {
        return compile(inputs.length).run(inputs, ctx);
    }

    /** Runs the node and returns its first output. */
    public Tensor run(Tensor... inputs) {
        return runAll(inputs)[0];
    }
}
