package dev.nnzip.kernels;

import java.util.Arrays;

/**
 * A convolution's filters repacked for its fast kernel, to be reused across calls with the same filters and geometry
 * (see {@link Convolution#packFilters}). Immutable; safe to share between threads.
 */
public final class PackedFilters {
    final ConvGeometry geometry;
    final float[][] panels;

    PackedFilters(ConvGeometry geometry, float[][] panels) {
        this.geometry = geometry;
        this.panels = panels;
    }

    /** True if these filters were packed for a convolution with the same filter shape and grouping as {@code g}. */
    boolean fits(ConvGeometry g) {
        return g.groups() == geometry.groups() && g.outChannels() == geometry.outChannels()
                && g.inChannels() == geometry.inChannels() && Arrays.equals(g.kernel(), geometry.kernel());
    }

    /** Floats held. */
    public long size() {
        long n = 0;
        for (float[] p : panels) {
            n += p.length;
        }
        return n;
    }
}
