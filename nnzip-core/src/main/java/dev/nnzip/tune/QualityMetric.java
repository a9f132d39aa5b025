package dev.nnzip.tune;

import dev.nnzip.runtime.Model;

/**
 * What compression must preserve, as a score of a model on some data, higher is better: top-1 accuracy in percent for
 * a classifier ({@link ClassificationAccuracy}), mean cosine × 100 against the original's embeddings for an embedding
 * model. The tuner's budget is a loss in the same unit ({@code baseline − score}). Implementations must give the same
 * score for the same model every time (fixed data, deterministic engine).
 */
public interface QualityMetric {
    /** E.g. "top-1 accuracy (%) on Fashion-MNIST test[0, 5000)". */
    String describe();

    /** The score of {@code model}; the model is not closed. */
    double score(Model model);

    /**
     * The score of {@code model} when it is at least {@code floor}; otherwise any value below {@code floor}. Lets a
     * metric over many images stop as soon as the model has surely failed (most candidates the tuner verifies do);
     * the default measures everything.
     */
    default double scoreAtLeast(Model model, double floor) {
        return score(model);
    }
}
