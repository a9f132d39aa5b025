package dev.nnzip.eval;

import dev.nnzip.tensor.Tensor;

/**
 * Anything that maps a batch of images to class scores: an nnzip {@link dev.nnzip.runtime.Model} (through
 * {@link ModelClassifier}), another engine used as a reference, or a plain Java function in a test.
 */
@FunctionalInterface
public interface BatchClassifier {
    /**
     * @param images float [n, 1, rows, cols], pixel / 255
     * @return scores [n, classes] (logits or probabilities: only their order within a row matters)
     */
    Tensor scores(Tensor images);
}
