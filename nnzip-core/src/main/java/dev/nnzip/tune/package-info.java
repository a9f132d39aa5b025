/**
 * The accuracy-budget tuner: per-layer compression settings chosen to maximise the compression ratio under a budget on
 * a quality metric (top-1 accuracy for classifiers, cosine for embedding models).
 *
 * <p>Method (after DeepSZ, Jin et al., HPDC 2019, changed where measurements showed it must be): find the best single
 * global setting (per technique, a binary search for the loosest setting that keeps the budget on the whole model);
 * measure each layer's sensitivity to each candidate setting on its own with a smooth metric (softmax KL divergence
 * from the original on a few hundred images, rather than top-1 flips, which are 0/1 noise at that scale); solve the
 * multiple-choice knapsack "fewest bytes with total sensitivity at most K" for K growing from the global setting's
 * total, verifying every solution as a real compressed model against the budget on a separate set of images (a
 * pessimistic top-1 drop estimate); then try single-layer loosenings, each verified; keep the smallest model that
 * passed; finally report the loss on a disjoint held-out split.
 */
package dev.nnzip.tune;
