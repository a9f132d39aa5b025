package dev.nnzip.kernels;

import java.util.Arrays;

/**
 * A convolution's filters repacked for its fast kernel, to be reused across calls with the same filters and geometry
 * (see {@link Convolution#packFilters}). Immutable; safe to share between threads.
 */
public final class PackedFilters {
    final ConvGeometry geometry;
    /** A-panels per group for {@link ShiftedConvolution}, or null. */
    final float[][] panels;
    /** Wᵀ as a packed B for {@link PointwiseByPixels}, or null: only the form the geometry chose is kept. */
    final PackedB pixelRows;

    PackedFilters(ConvGeometry geometry, float[][] panels, PackedB pixelRows) {
        this.geometry = geometry;
        this.panels = panels;
        this.pixelRows = pixelRows;
    }

    /** True if these filters were packed for a convolution with the same filter shape and grouping as {@code g}. */
    boolean fits(ConvGeometry g) {
        return g.groups() == geometry.groups() && g.outChannels() == geometry.outChannels()
                && g.inChannels() == geometry.inChannels() && Arrays.equals(g.kernel(), geometry.kernel());
    }

    /** Floats held. */
    public long size() {
        long n = pixelRows == null ? 0 : pixelRows.heapBytes() / 4;
        for (float[] p : panels == null ? new float[0][] : panels) {
            n += p.length;
        }
        return n;
    }
}
