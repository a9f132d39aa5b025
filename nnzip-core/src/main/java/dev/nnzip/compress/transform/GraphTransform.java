package dev.nnzip.compress.transform;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.nnzip.graph.Weight;
import java.util.List;
import java.util.Map;

/**
 * A rewrite of an ONNX model that changes its layers (not just how weights are stored): low-rank factorisation, filter
 * pruning. Runs before the codecs, so its output is compressed like any model (e.g. {@code lowrank} then {@code uniform}).
 */
public interface GraphTransform {
    /** What the transform produced: the new model and one line per layer it considered. */
    record Result(ModelProto model, List<String> log) {
        public Result {
            log = List.copyOf(log);
        }
    }

    String name();

    /**
     * Rewrites {@code model}.
     *
     * @param weights the model's initializers by name, decoded on demand
     */
    Result apply(ModelProto model, Map<String, Weight> weights);
}
