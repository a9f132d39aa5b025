package dev.nnzip.kernels.blocked;

import dev.nnzip.kernels.Activation;
import dev.nnzip.kernels.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API form of {@link BlockedPointwise}: register tiles of two output blocks × seven pixels (fourteen
 * accumulators, two filter vectors and one broadcast: 17 of AVX-512's 32 registers), or one block × seven pixels for an
 * odd last block, after MLAS's NCHWc pointwise kernel (which tiles output blocks × up to six outputs for AVX2's 16
 * registers). Seven because MobileNet's maps are 7 × 7 and 14 × 14: 49 and 196 pixels are whole tiles (six computed 54
 * of 49; 48 → 512 on 7 × 7 went from 29 to 26 µs). Each tile is a plain loop over the input channels in its own method
 * taking only arrays and ints, so C2 compiles it whole with every vector in a register; nothing is unrolled beyond the
 * tile and no masks are used. A pixel run that is not a multiple of the tile ends with a tile shifted back to overlap
 * the previous one (the same values are written twice), so only runs shorter than a tile take the one-pixel loop.
 */
final class VectorBlockedPointwise {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int TILE = 7;

    private VectorBlockedPointwise() {
    }

    static void forward(float[] x, int batch, int inChannels, int outBlocks, int plane, float[] w, float[] bias,
                        float[] sum, Activation act, float[] y, Parallel par) {
        ActivationBounds bounds = ActivationBounds.of(act);
        float lo = bounds.lower();
        float hi = bounds.upper();
        int pairs = (outBlocks + 1) / 2;
        int inBlocks = BlockedLayout.blocks(inChannels, L);
        // Pixel chunks only when images × block pairs are too few to give every thread work (batch 1, a 16-channel
        // projection); a chunk is whole tiles so that only a map's last chunk can end in a short run.
        int per = batch * pairs;
        int tiles = (plane + TILE - 1) / TILE;
        int chunks = par.threads() == 1 ? 1 : Math.max(1, Math.min(tiles, (2 * par.threads() + per - 1) / per));
        int chunkPixels = (tiles + chunks - 1) / chunks * TILE;
        int chunkCount = (plane + chunkPixels - 1) / chunkPixels;
        int units = per * chunkCount;
        long unitWork = (long) chunkPixels * inChannels * L * 2;
        int minUnits = (int) Math.max(1, BlockedLayout.MIN_PARALLEL_WORK / Math.max(1, unitWork));
        par.forRange(units, minUnits, (from, to) -> {
            for (int u = from; u < to; u++) {
                int chunk = u % chunkCount;
                int pair = (u / chunkCount) % pairs;
                int n = u / (chunkCount * pairs);
                int p0 = chunk * chunkPixels;
                int p1 = Math.min(plane, p0 + chunkPixels);
                int ob = 2 * pair;
                boolean two = ob + 1 < outBlocks;
                int xImage = n * inBlocks * plane * L;
                int y0 = (n * outBlocks + ob) * plane * L;
                int y1 = y0 + plane * L;
                int w0 = ob * inChannels * L;
                int w1 = w0 + inChannels * L;
                int b0 = ob * L;
                int b1 = b0 + L;
                int stride = plane * L;
                if (p1 - p0 < TILE) {
                    for (int p = p0; p < p1; p++) {
                        pixel(x, xImage + p * L, inChannels, stride, w, w0, bias, b0, sum, y, y0 + p * L, lo, hi);
                        if (two) {
                            pixel(x, xImage + p * L, inChannels, stride, w, w1, bias, b1, sum, y, y1 + p * L, lo, hi);
                        }
                    }
                } else {
                    for (int p = p0; p < p1; p += TILE) {
                        int q = Math.min(p, p1 - TILE); // the last tile overlaps the one before
                        if (two) {
                            tile2(x, xImage + q * L, inChannels, stride, w, w0, w1, bias, b0, b1, sum, y, y0 + q * L,
                                    y1 + q * L, lo, hi);
                        } else {
                            tile1(x, xImage + q * L, inChannels, stride, w, w0, bias, b0, sum, y, y0 + q * L, lo, hi);
                        }
                    }
                }
                if (!bounds.inRegisters()) {
                    act.applyInPlace(y, y0 + p0 * L, (p1 - p0) * L);
                    if (two) {
                        act.applyInPlace(y, y1 + p0 * L, (p1 - p0) * L);
                    }
                }
            }
        });
    }

    /** Two output blocks × 7 pixels from {@code xo} (channel 0 of the first pixel). */
    private static void tile2(float[] x, int xo, int inChannels, int stride, float[] w, int w0, int w1,
                              float[] bias, int b0, int b1, float[] sum, float[] y, int y0, int y1, float lo,
                              float hi) {
        FloatVector bias0 = FloatVector.fromArray(S, bias, b0);
        FloatVector bias1 = FloatVector.fromArray(S, bias, b1);
        FloatVector a0 = bias0;
        FloatVector a1 = bias0;
        FloatVector a2 = bias0;
        FloatVector a3 = bias0;
        FloatVector a4 = bias0;
        FloatVector a5 = bias0;
        FloatVector a6 = bias0;
        FloatVector c0 = bias1;
        FloatVector c1 = bias1;
        FloatVector c2 = bias1;
        FloatVector c3 = bias1;
        FloatVector c4 = bias1;
        FloatVector c5 = bias1;
        FloatVector c6 = bias1;
        int c = 0;
        for (int xb = xo; c < inChannels; xb += stride) {
            int end = Math.min(inChannels, c + L);
            for (int xi = xb; c < end; c++, xi++) {
                FloatVector f0 = FloatVector.fromArray(S, w, w0 + c * L);
                FloatVector f1 = FloatVector.fromArray(S, w, w1 + c * L);
                FloatVector v = FloatVector.broadcast(S, x[xi]);
                a0 = f0.fma(v, a0);
                c0 = f1.fma(v, c0);
                v = FloatVector.broadcast(S, x[xi + L]);
                a1 = f0.fma(v, a1);
                c1 = f1.fma(v, c1);
                v = FloatVector.broadcast(S, x[xi + 2 * L]);
                a2 = f0.fma(v, a2);
                c2 = f1.fma(v, c2);
                v = FloatVector.broadcast(S, x[xi + 3 * L]);
                a3 = f0.fma(v, a3);
                c3 = f1.fma(v, c3);
                v = FloatVector.broadcast(S, x[xi + 4 * L]);
                a4 = f0.fma(v, a4);
                c4 = f1.fma(v, c4);
                v = FloatVector.broadcast(S, x[xi + 5 * L]);
                a5 = f0.fma(v, a5);
                c5 = f1.fma(v, c5);
                v = FloatVector.broadcast(S, x[xi + 6 * L]);
                a6 = f0.fma(v, a6);
                c6 = f1.fma(v, c6);
            }
        }
        if (sum != null) {
            a0 = a0.add(FloatVector.fromArray(S, sum, y0));
            a1 = a1.add(FloatVector.fromArray(S, sum, y0 + L));
            a2 = a2.add(FloatVector.fromArray(S, sum, y0 + 2 * L));
            a3 = a3.add(FloatVector.fromArray(S, sum, y0 + 3 * L));
            a4 = a4.add(FloatVector.fromArray(S, sum, y0 + 4 * L));
            a5 = a5.add(FloatVector.fromArray(S, sum, y0 + 5 * L));
            a6 = a6.add(FloatVector.fromArray(S, sum, y0 + 6 * L));
            c0 = c0.add(FloatVector.fromArray(S, sum, y1));
            c1 = c1.add(FloatVector.fromArray(S, sum, y1 + L));
            c2 = c2.add(FloatVector.fromArray(S, sum, y1 + 2 * L));
            c3 = c3.add(FloatVector.fromArray(S, sum, y1 + 3 * L));
            c4 = c4.add(FloatVector.fromArray(S, sum, y1 + 4 * L));
            c5 = c5.add(FloatVector.fromArray(S, sum, y1 + 5 * L));
            c6 = c6.add(FloatVector.fromArray(S, sum, y1 + 6 * L));
        }
        a0.max(lo).min(hi).intoArray(y, y0);
        a1.max(lo).min(hi).intoArray(y, y0 + L);
        a2.max(lo).min(hi).intoArray(y, y0 + 2 * L);
        a3.max(lo).min(hi).intoArray(y, y0 + 3 * L);
        a4.max(lo).min(hi).intoArray(y, y0 + 4 * L);
        a5.max(lo).min(hi).intoArray(y, y0 + 5 * L);
        a6.max(lo).min(hi).intoArray(y, y0 + 6 * L);
        c0.max(lo).min(hi).intoArray(y, y1);
        c1.max(lo).min(hi).intoArray(y, y1 + L);
        c2.max(lo).min(hi).intoArray(y, y1 + 2 * L);
        c3.max(lo).min(hi).intoArray(y, y1 + 3 * L);
        c4.max(lo).min(hi).intoArray(y, y1 + 4 * L);
        c5.max(lo).min(hi).intoArray(y, y1 + 5 * L);
        c6.max(lo).min(hi).intoArray(y, y1 + 6 * L);
    }

    /** One output block × 7 pixels. */
    private static void tile1(float[] x, int xo, int inChannels, int stride, float[] w, int w0, float[] bias, int b0,
                              float[] sum, float[] y, int y0, float lo, float hi) {
        FloatVector bias0 = FloatVector.fromArray(S, bias, b0);
        FloatVector a0 = bias0;
        FloatVector a1 = bias0;
        FloatVector a2 = bias0;
        FloatVector a3 = bias0;
        FloatVector a4 = bias0;
        FloatVector a5 = bias0;
        FloatVector a6 = bias0;
        int c = 0;
        for (int xb = xo; c < inChannels; xb += stride) {
            int end = Math.min(inChannels, c + L);
            for (int xi = xb; c < end; c++, xi++) {
                FloatVector f0 = FloatVector.fromArray(S, w, w0 + c * L);
                a0 = f0.fma(FloatVector.broadcast(S, x[xi]), a0);
                a1 = f0.fma(FloatVector.broadcast(S, x[xi + L]), a1);
                a2 = f0.fma(FloatVector.broadcast(S, x[xi + 2 * L]), a2);
                a3 = f0.fma(FloatVector.broadcast(S, x[xi + 3 * L]), a3);
                a4 = f0.fma(FloatVector.broadcast(S, x[xi + 4 * L]), a4);
                a5 = f0.fma(FloatVector.broadcast(S, x[xi + 5 * L]), a5);
                a6 = f0.fma(FloatVector.broadcast(S, x[xi + 6 * L]), a6);
            }
        }
        if (sum != null) {
            a0 = a0.add(FloatVector.fromArray(S, sum, y0));
            a1 = a1.add(FloatVector.fromArray(S, sum, y0 + L));
            a2 = a2.add(FloatVector.fromArray(S, sum, y0 + 2 * L));
            a3 = a3.add(FloatVector.fromArray(S, sum, y0 + 3 * L));
            a4 = a4.add(FloatVector.fromArray(S, sum, y0 + 4 * L));
            a5 = a5.add(FloatVector.fromArray(S, sum, y0 + 5 * L));
            a6 = a6.add(FloatVector.fromArray(S, sum, y0 + 6 * L));
        }
        a0.max(lo).min(hi).intoArray(y, y0);
        a1.max(lo).min(hi).intoArray(y, y0 + L);
        a2.max(lo).min(hi).intoArray(y, y0 + 2 * L);
        a3.max(lo).min(hi).intoArray(y, y0 + 3 * L);
        a4.max(lo).min(hi).intoArray(y, y0 + 4 * L);
        a5.max(lo).min(hi).intoArray(y, y0 + 5 * L);
        a6.max(lo).min(hi).intoArray(y, y0 + 6 * L);
    }

    /** One output block × one pixel: maps of fewer than six pixels. */
    private static void pixel(float[] x, int xo, int inChannels, int stride, float[] w, int w0, float[] bias, int b0,
                              float[] sum, float[] y, int y0, float lo, float hi) {
        FloatVector a = FloatVector.fromArray(S, bias, b0);
        int c = 0;
        for (int xb = xo; c < inChannels; xb += stride) {
            int end = Math.min(inChannels, c + L);
            for (int xi = xb; c < end; c++, xi++) {
                a = FloatVector.fromArray(S, w, w0 + c * L).fma(FloatVector.broadcast(S, x[xi]), a);
            }
        }
        if (sum != null) {
            a = a.add(FloatVector.fromArray(S, sum, y0));
        }
        a.max(lo).min(hi).intoArray(y, y0);
    }
}
