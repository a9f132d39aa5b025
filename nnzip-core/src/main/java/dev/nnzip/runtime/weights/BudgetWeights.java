package dev.nnzip.runtime.weights;

import dev.nnzip.tensor.Tensor;

/** {@code budget=BYTES}: one session's view of its model's {@link DecodedWeightCache}. */
public final class BudgetWeights implements WeightStore {
    private final DecodedWeightCache cache;
    private final DecodedWeightCache.Lease[] leases;

    public BudgetWeights(DecodedWeightCache cache, int weightCount) {
        this.cache = cache;
        this.leases = new DecodedWeightCache.Lease[weightCount];
    }

    @Override
    public Tensor acquire(int index) {
        DecodedWeightCache.Lease l = leases[index];
        if (l == null) {
            l = cache.acquire(index);
            leases[index] = l;
        }
        return l.tensor();
    }

    @Override
    public void release(int index) {
        DecodedWeightCache.Lease l = leases[index];
        if (l != null) {
            leases[index] = null;
            cache.release(index, l);
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < leases.length; i++) {
            release(i);
        }
    }
}
