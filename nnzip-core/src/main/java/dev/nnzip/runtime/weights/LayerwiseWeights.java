package dev.nnzip.runtime.weights;

import dev.nnzip.format.NnzWeight;
import dev.nnzip.graph.Weight;
import dev.nnzip.kernels.Parallel;
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
    private final Parallel parallel;

    /** {@code parallel}: the session's threads, which decode a weight's blocks together while the session waits. */
    public LayerwiseWeights(Weight[] weights, WeightAccounting accounting, Parallel parallel) {
        this.weights = weights;
        this.accounting = accounting;
        this.parallel = parallel;
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
        return decode(index, parallel);
    }

    /** Decodes weight {@code index} (a .nnz weight's blocks over {@code threads}) and counts it resident. */
    protected final Tensor decode(int index, Parallel threads) {
        Tensor t = weights[index] instanceof NnzWeight nw ? nw.decode(threads) : weights[index].decode();
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
