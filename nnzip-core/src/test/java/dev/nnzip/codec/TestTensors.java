package dev.nnzip.codec;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Weight-like and adversarial test tensors, deterministic per seed. */
final class TestTensors {
    enum Kind { GAUSSIAN, LAPLACIAN, ZEROS, CONSTANT, OUTLIER, DENORMALS, TINY_RANGE, HUGE_RANGE, CHANNEL_SCALED, SPARSE }

    private TestTensors() {
    }

    static float[] make(Kind kind, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        switch (kind) {
            case GAUSSIAN -> fillGaussian(v, r, 0.05);
            case LAPLACIAN -> {
                for (int i = 0; i < n; i++) {
                    double u = r.nextDouble() - 0.5;
                    v[i] = (float) (-0.03 * Math.signum(u) * Math.log(1 - 2 * Math.abs(u)));
                }
            }
            case ZEROS -> Arrays.fill(v, 0f);
            case CONSTANT -> Arrays.fill(v, 0.3125f);
            case OUTLIER -> {
                fillGaussian(v, r, 0.02);
                if (n > 0) {
                    v[r.nextInt(n)] = 1e4f;
                }
            }
            case DENORMALS -> {
                for (int i = 0; i < n; i++) {
                    v[i] = Float.intBitsToFloat(r.nextInt(1 << 23)) * (r.nextBoolean() ? 1 : -1);
                }
            }
            case TINY_RANGE -> {
                fillGaussian(v, r, 1e-30);
            }
            case HUGE_RANGE -> {
                fillGaussian(v, r, 1e30);
            }
            case CHANNEL_SCALED -> channelScaled(v, Math.max(1, n / 64), r);
            case SPARSE -> {
                fillGaussian(v, r, 0.05);
                for (int i = 0; i < n; i++) {
                    if (r.nextDouble() < 0.7) {
                        v[i] = 0;
                    }
                }
            }
        }
        return v;
    }

    static void fillGaussian(float[] v, SplittableRandom r, double sigma) {
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (gaussian(r) * sigma);
        }
    }

    static double gaussian(SplittableRandom r) {
        double u1 = r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    /**
     * Rows of {@code rowLength} values, each Gaussian with its own scale (log-normal around 0.05) and a small mean, like the
     * output channels of a trained conv or linear layer.
     */
    static float[] channelScaled(float[] v, int rowLength, SplittableRandom r) {
        for (int row = 0; row * rowLength < v.length; row++) {
            double sigma = 0.05 * Math.exp(0.5 * gaussian(r));
            double mean = 0.1 * sigma * gaussian(r);
            for (int i = row * rowLength; i < Math.min(v.length, (row + 1) * rowLength); i++) {
                v[i] = (float) (mean + sigma * gaussian(r));
            }
        }
        return v;
    }
}
