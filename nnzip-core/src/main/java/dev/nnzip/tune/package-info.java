/**
 * The accuracy-budget tuner: per-layer compression settings chosen to maximise the compression ratio under a budget on
 * a quality metric (top-1 accuracy for classifiers, cosine for embedding models).
 *
 * <p>Method (DeepSZ, Jin et al., HPDC 2019, improved): measure each layer's sensitivity (quality lost when only that
 * layer is compressed) for each candidate setting on a calibration split; pick one setting per layer with a
 * multiple-choice knapsack that minimises bytes under the budget assuming losses add up; then, instead of trusting the
 * additive model, compress the whole model with that choice, measure the real loss and repair (tighten the layer whose
 * bytes buy the least) until the budget holds; finally report the loss on a disjoint held-out split.
 */
package dev.nnzip.tune;
