package dev.nnzip.graph;

import dev.nnzip.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * One node attribute, typed as ONNX's {@code AttributeProto} is. Values: {@code Float}, {@code Long}, {@code String},
 * {@link Tensor}, {@link Graph}, {@code float[]}, {@code long[]}, {@code String[]}, {@code List<Tensor>}, {@code List<Graph>}.
 */
public record Attribute(String name, Type type, Object value) {
    public enum Type { FLOAT, INT, STRING, TENSOR, GRAPH, FLOATS, INTS, STRINGS, TENSORS, GRAPHS, TYPE_PROTO }

    @Override
    public String toString() {
        Object v = switch (value) {
            case float[] f -> Arrays.toString(f);
            case long[] l -> Arrays.toString(l);
            case String[] s -> Arrays.toString(s);
            case Graph g -> "<graph " + g.name() + ">";
            case List<?> l -> "<" + l.size() + " values>";
            default -> value;
        };
        return name + "=" + v;
    }
}
