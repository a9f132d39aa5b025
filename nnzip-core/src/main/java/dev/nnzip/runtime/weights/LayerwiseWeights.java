package dev.nnzip.runtime.weights;

import dev.nnzip.graph.Weight;
import dev.nnzip.tensor.Tensor;

/**
 * {@code layerwise}: Smart-DNN+'s partial decompression. A weight is decoded when its node is about to run and dropped
 * after its last reader, so at most the weights of the running node (plus any a later node still needs) are resident.
 * One instance per session.
 */
public class LayerwiseWeights implements WeightStore {
    protected final Weight[] weights;
    protected final WeightAccounting accounting;
    private final Tensor[] live;

    public LayerwiseWeights(Weight[] weights, WeightAccounting accounting) {
        this.weights = weights;
        this.accounting = accounting;
        this.live = new Tensor[weights.length];
    }

    @Override
    public Tensor acquire(int index) {
        Tensor t = live[index];
        if (t == null) {
            t = obtain(index);
            live[index] = t;
        }
        return t;
    }

    /** Whether weight {@code index} is decoded and held right now. */
    protected final boolean isLive(int index) {
        return live[index] != null;
    }

    /** Decodes weight {@code index} and counts it resident. Subclasses may hand over a tensor decoded in advance. */
    protected Tensor obtain(int index) {
        Tensor t = weights[index].decode();
        accounting.add(t.heapBytes());
        return t;
    }

    @Override
    public void release(int index) {
        Tensor t = live[index];
        if (t != null) {
            live[index] = null;
            accounting.remove(t.heapBytes());
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < live.length; i++) {
            release(i);
        }
    }
}
