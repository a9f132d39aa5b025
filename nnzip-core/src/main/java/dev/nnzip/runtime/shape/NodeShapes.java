package dev.nnzip.runtime.shape;

import dev.nnzip.graph.Attributes;
import dev.nnzip.graph.Node;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Shapes;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;

/** What a {@link ShapeRule} sees of a node: the node, its opset, and the types (and known values) of its inputs. */
public final class NodeShapes {
    private final Node node;
    private final int opset;
    private final TensorType[] inputs;

    /** {@code inputs[i]} is null for an absent optional input. */
    public NodeShapes(Node node, int opset, TensorType[] inputs) {
        this.node = node;
        this.opset = opset;
        this.inputs = inputs.clone();
    }

    public Node node() {
        return node;
    }

    public int opset() {
        return opset;
    }

    public Attributes attributes() {
        return node.attributes();
    }

    public int inputCount() {
        return inputs.length;
    }

    /** Number of outputs the node declares (including optional ones it leaves unnamed). */
    public int outputCount() {
        return node.outputs().size();
    }

    /** True when the node names output {@code k} (an optional output with an empty name is not asked for). */
    public boolean wantsOutput(int k) {
        return k < node.outputs().size() && !node.outputs().get(k).isEmpty();
    }

    /** True when input {@code i} is present (an empty tensor counts as present). */
    public boolean has(int i) {
        return i < inputs.length && inputs[i] != null;
    }

    public TensorType input(int i) {
        if (!has(i)) {
            throw new IllegalArgumentException(node.describe() + ": required input " + i + " is absent");
        }
        return inputs[i];
    }

    public int[] shape(int i) {
        return input(i).shape();
    }

    public DType dtype(int i) {
        return input(i).dtype();
    }

    public int rank(int i) {
        return input(i).rank();
    }

    /** The value of input {@code i}, which the output shape depends on; unknown when it is computed from data. */
    public Tensor value(int i) {
        TensorType t = input(i);
        if (t.value() == null) {
            throw new ShapeUnknownException(node.describe() + ": the output shape depends on the values of input " + i
                    + " ('" + node.inputs().get(i) + "', " + t + "), which are computed at run time");
        }
        return t.value();
    }

    /** The value of an integer input of rank 0 or 1 (shapes, axes, pads, repeats). */
    public long[] ints(int i) {
        return value(i).toLongArray();
    }

    /** Input {@code i}'s integer values when present and non-empty, else null. */
    public long[] intsOrNull(int i) {
        return has(i) && input(i).size() > 0 ? ints(i) : null;
    }

    /** Input {@code i}'s values as doubles. */
    public double[] doubles(int i) {
        Tensor t = value(i);
        double[] d = new double[t.size()];
        for (int k = 0; k < d.length; k++) {
            d[k] = t.getDouble(k);
        }
        return d;
    }

    /** A negative axis counts from the end; fails naming the node when out of range. */
    public int axis(long axis, int rank) {
        try {
            return Shapes.axis(axis, rank);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(node.describe() + ": " + e.getMessage());
        }
    }

    /** A shape rule's failure for inputs that do not fit the operator. */
    public IllegalArgumentException mismatch(String what) {
        return new IllegalArgumentException(node.describe() + ": " + what + " (inputs " + Arrays.toString(inputs)
                + ")");
    }
}
