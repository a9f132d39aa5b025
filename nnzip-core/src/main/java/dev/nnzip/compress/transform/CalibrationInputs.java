package dev.nnzip.compress.transform;

import dev.nnzip.graph.Graph;
import dev.nnzip.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Model inputs for transforms that measure the model's activations ({@link ActivationScalingTransform}): each element
 * one complete feed. Made by the caller from data the model is meant for (Fashion-MNIST images, tokenized sentences);
 * {@link #NONE} where there is none, which such transforms refuse when they are configured.
 */
@FunctionalInterface
public interface CalibrationInputs {
    /** The feeds for {@code graph} (whose inputs say the names and types to build). */
    List<Map<String, Tensor>> feeds(Graph graph);

    /** No calibration data. */
    CalibrationInputs NONE = graph -> {
        throw new IllegalStateException("no calibration inputs");
    };
}
