package dev.nnzip.graph.optimize;

import dev.nnzip.graph.Weight;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;

/**
 * A weight defined as another weight with each output channel (slice along axis 0) multiplied by a factor — a Conv
 * filter with a BatchNormalization folded in. Nothing is decoded until {@link #decode()}, so folding does not take the
 * source weight out of the runtime's memory mode: a compressed filter stays compressed, and is decoded (and scaled)
 * layer by layer like any other weight.
 */
record ScaledChannelsWeight(String name, Weight source, double[] factors) implements Weight {
    @Override
    public DType dtype() {
        return source.dtype();
    }

    @Override
    public int[] shape() {
        return source.shape();
    }

    @Override
    public long storedBytes() {
        return source.storedBytes() + 8L * factors.length;
    }

    @Override
    public Tensor decode() {
        Tensor t = source.decode();
        float[] w = t.floats();
        int per = w.length / Math.max(1, factors.length);
        for (int c = 0; c < factors.length; c++) {
            double f = factors[c];
            for (int j = c * per; j < (c + 1) * per; j++) {
                w[j] = (float) (w[j] * f);
            }
        }
        return t;
    }
}
