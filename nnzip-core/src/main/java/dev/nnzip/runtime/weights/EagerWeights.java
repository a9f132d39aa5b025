package dev.nnzip.runtime.weights;

import dev.nnzip.graph.Weight;
import dev.nnzip.tensor.Tensor;

/** {@code eager}: every weight decoded once, at load, and shared read-only by all sessions of the model. */
public final class EagerWeights implements WeightStore {
    private final Tensor[] decoded;

    public EagerWeights(Weight[] weights, WeightAccounting accounting) {
        decoded = new Tensor[weights.length];
        for (int i = 0; i < weights.length; i++) {
            decoded[i] = weights[i].decode();
            accounting.add(decoded[i].heapBytes());
        }
    }

    @Override
    public Tensor acquire(int index) {
        return decoded[index];
    }

    @Override
    public void release(int index) {
        // resident for the model's lifetime
    }
}
