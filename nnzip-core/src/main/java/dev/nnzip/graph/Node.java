package dev.nnzip.graph;

import java.util.List;

/**
 * One operator application. Missing optional inputs are the empty string, as in ONNX. {@code domain} is "" for the
 * default ONNX domain.
 */
public record Node(String name, String opType, String domain, List<String> inputs, List<String> outputs,
                   Attributes attributes) {
    public Node {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        domain = domain == null || domain.equals("ai.onnx") ? "" : domain;
        name = name == null ? "" : name;
    }

    /** Input {@code i}, or "" when absent. */
    public String input(int i) {
        return i < inputs.size() ? inputs.get(i) : "";
    }

    /** "Conv 'conv1'" or "Conv (unnamed, output 'y')" — how errors refer to a node. */
    public String describe() {
        String where = name.isEmpty() ? "(unnamed, output '" + (outputs.isEmpty() ? "?" : outputs.get(0)) + "')"
                : "'" + name + "'";
        return (domain.isEmpty() ? "" : domain + ".") + opType + " " + where;
    }
}
