package dev.nnzip.ops.tensor;

import dev.nnzip.ops.ExecContext;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;

/**
 * Applies one axis' {@link ResizeAxis} table: {@code out[o, j, i] = Σ_t w[j,t] · in[o, index[j,t], i]}. Linear, cubic
 * and antialiased filters are separable, so an N-D resize is one such pass per resized axis and equals the reference's
 * N-D interpolation. Nearest tables (one tap of weight 1) move elements without arithmetic, so they work for every
 * element type.
 */
final class AxisResampler {
    private AxisResampler() {
    }

    static Tensor apply(Tensor in, int axis, ResizeAxis table, double extrapolation, ExecContext ctx) {
        int[] shape = in.shape();
        int outer = Args.product(shape, 0, axis);
        int inner = Args.product(shape, axis + 1, shape.length);
        int dim = shape[axis];
        Tensor out;
        if (table.taps() == 1) {
            out = AxisGather.gather(in, axis, table.index(), ctx);
        } else {
            shape[axis] = table.outLen();
            out = switch (in.data()) {
                case float[] src -> {
                    float[] dst = new float[Args.product(shape, 0, shape.length)];
                    interpolate(src, dst, outer, dim, inner, table, ctx);
                    yield Tensor.wrap(in.dtype(), shape, dst);
                }
                case double[] src -> {
                    double[] dst = new double[Args.product(shape, 0, shape.length)];
                    interpolate(src, dst, outer, dim, inner, table, ctx);
                    yield Tensor.wrap(in.dtype(), shape, dst);
                }
                default -> throw new IllegalArgumentException("Resize linear/cubic needs float tensors, got "
                        + in.dtype());
            };
        }
        fillOutside(out, axis, table, extrapolation);
        return out;
    }

    private static void interpolate(float[] src, float[] dst, int outer, int dim, int inner, ResizeAxis table,
                                    ExecContext ctx) {
        int len = table.outLen();
        int taps = table.taps();
        int[] index = table.index();
        double[] weight = table.weight();
        Work.split(ctx, outer * len, inner * taps, (from, to) -> {
            double[] acc = new double[inner];
            for (int r = from; r < to; r++) {
                int o = r / len;
                int j = r - o * len;
                Arrays.fill(acc, 0);
                for (int t = 0; t < taps; t++) {
                    double w = weight[j * taps + t];
                    if (w == 0) {
                        continue;
                    }
                    int base = (o * dim + index[j * taps + t]) * inner;
                    for (int i = 0; i < inner; i++) {
                        acc[i] += w * src[base + i];
                    }
                }
                int d = r * inner;
                for (int i = 0; i < inner; i++) {
                    dst[d + i] = (float) acc[i];
                }
            }
        });
    }

    private static void interpolate(double[] src, double[] dst, int outer, int dim, int inner, ResizeAxis table,
                                    ExecContext ctx) {
        int len = table.outLen();
        int taps = table.taps();
        int[] index = table.index();
        double[] weight = table.weight();
        Work.split(ctx, outer * len, inner * taps, (from, to) -> {
            for (int r = from; r < to; r++) {
                int o = r / len;
                int j = r - o * len;
                int d = r * inner;
                Arrays.fill(dst, d, d + inner, 0);
                for (int t = 0; t < taps; t++) {
                    double w = weight[j * taps + t];
                    if (w == 0) {
                        continue;
                    }
                    int base = (o * dim + index[j * taps + t]) * inner;
                    for (int i = 0; i < inner; i++) {
                        dst[d + i] += w * src[base + i];
                    }
                }
            }
        });
    }

    /** Writes the extrapolation value over every output slice whose coordinate fell outside the crop region. */
    private static void fillOutside(Tensor out, int axis, ResizeAxis table, double extrapolation) {
        boolean[] outside = table.outside();
        int[] shape = out.shape();
        int outer = Args.product(shape, 0, axis);
        int inner = Args.product(shape, axis + 1, shape.length);
        int len = table.outLen();
        for (int j = 0; j < len; j++) {
            if (!outside[j]) {
                continue;
            }
            for (int o = 0; o < outer; o++) {
                int from = (o * len + j) * inner;
                ElementArrays.fill(out.data(), from, from + inner, extrapolationFor(out.dtype(), extrapolation));
            }
        }
    }

    private static double extrapolationFor(DType dtype, double value) {
        return dtype.isInteger() ? Math.rint(value) : value;
    }
}
