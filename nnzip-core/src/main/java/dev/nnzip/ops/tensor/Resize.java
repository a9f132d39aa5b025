package dev.nnzip.ops.tensor;

import dev.nnzip.graph.Attributes;
import dev.nnzip.graph.Node;
import dev.nnzip.ops.ExecContext;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;

/**
 * ONNX Resize (opsets 10, 11, 13, 18, 19) and Upsample (opsets 7, 9).
 *
 * <ul>
 *   <li>Upsample-7: {@code scales} attribute; Upsample-9 and Resize-10: {@code scales} input. These have no coordinate
 *       or rounding attributes: coordinates are {@code asymmetric}, nearest rounds down when upscaling and up when
 *       downscaling (ONNX Runtime's legacy rule), modes are {@code nearest} and {@code linear} (alias
 *       {@code bilinear}).</li>
 *   <li>Resize-11/13: inputs {@code X, roi, scales, sizes}, exactly one of scales/sizes given (an empty tensor counts
 *       as absent); attributes {@code mode} (nearest, linear, cubic), {@code coordinate_transformation_mode},
 *       {@code nearest_mode}, {@code cubic_coeff_a}, {@code exclude_outside}, {@code extrapolation_value}.</li>
 *   <li>Resize-18: {@code antialias}, {@code axes} (scales, sizes and roi then cover only those axes) and
 *       {@code keep_aspect_ratio_policy} (stretch, not_larger, not_smaller). Resize-19: {@code half_pixel_symmetric}.</li>
 * </ul>
 *
 * <p>The output length of an axis is {@code floor(in · scale)} for scales, or the given size (for not_larger /
 * not_smaller: one common scale, {@code round_half_up(in · scale)}). Each resized axis is then one separable
 * {@link AxisResampler} pass. Integer tensors interpolate in double and truncate, as the reference does.
 */
final class Resize {
    private enum AspectPolicy { STRETCH, NOT_LARGER, NOT_SMALLER }

    private Resize() {
    }

    static OpKernel createUpsample(Node node, int opset) {
        ResizeAxis.Filter filter = legacyFilter(node.attributes());
        if (opset < 9) {
            float[] scales = node.attributes().getFloats("scales", null);
            if (scales == null) {
                throw new IllegalArgumentException("Upsample before opset 9 needs the 'scales' attribute");
            }
            return (in, ctx) -> new Tensor[] {resize(Args.required(in, 0, "X"), filter, toDoubles(scales), null,
                    null, null, AspectPolicy.STRETCH, 0, ctx)};
        }
        return (in, ctx) -> new Tensor[] {resize(Args.required(in, 0, "X"), filter,
                scales(Args.required(in, 1, "scales")), null, null, null, AspectPolicy.STRETCH, 0, ctx)};
    }

    static OpKernel create(Node node, int opset) {
        Attributes a = node.attributes();
        if (opset < 11) {
            ResizeAxis.Filter filter = legacyFilter(a);
            return (in, ctx) -> new Tensor[] {resize(Args.required(in, 0, "X"), filter,
                    scales(Args.required(in, 1, "scales")), null, null, null, AspectPolicy.STRETCH, 0, ctx)};
        }
        ResizeAxis.Mode mode = parseMode(a.getString("mode", "nearest"), false);
        boolean antialias = opset >= 18 && a.getInt("antialias", 0) != 0;
        ResizeAxis.Filter filter = new ResizeAxis.Filter(mode,
                ResizeCoordinates.parse(a.getString("coordinate_transformation_mode", "half_pixel"), opset),
                ResizeAxis.Nearest.parse(a.getString("nearest_mode", "round_prefer_floor")),
                a.getFloat("cubic_coeff_a", -0.75f), a.getInt("exclude_outside", 0) != 0,
                antialias && mode != ResizeAxis.Mode.NEAREST);
        double extrapolation = a.getFloat("extrapolation_value", 0f);
        long[] axes = opset >= 18 ? a.getInts("axes", null) : null;
        AspectPolicy policy = switch (opset >= 18 ? a.getString("keep_aspect_ratio_policy", "stretch") : "stretch") {
            case "stretch" -> AspectPolicy.STRETCH;
            case "not_larger" -> AspectPolicy.NOT_LARGER;
            case "not_smaller" -> AspectPolicy.NOT_SMALLER;
            default -> throw new IllegalArgumentException("Resize keep_aspect_ratio_policy '"
                    + a.getString("keep_aspect_ratio_policy", "") + "' is not one of [stretch, not_larger, "
                    + "not_smaller]");
        };
        return (in, ctx) -> {
            Tensor x = Args.required(in, 0, "X");
            Tensor roiT = present(Args.optional(in, 1));
            Tensor scalesT = present(Args.optional(in, 2));
            Tensor sizesT = present(Args.optional(in, 3));
            if ((scalesT == null) == (sizesT == null)) {
                throw new IllegalArgumentException("Resize needs exactly one of 'scales' and 'sizes', got "
                        + (scalesT == null ? "neither" : "both"));
            }
            double[] roi = roiT == null ? null : toDoubles(roiT);
            return new Tensor[] {resize(x, filter, scalesT == null ? null : scales(scalesT),
                    sizesT == null ? null : Args.ints(sizesT, "sizes"), roi, axes, policy, extrapolation, ctx)};
        };
    }

    private static ResizeAxis.Filter legacyFilter(Attributes a) {
        ResizeAxis.Mode mode = parseMode(a.getString("mode", "nearest"), true);
        return new ResizeAxis.Filter(mode, ResizeCoordinates.ASYMMETRIC, ResizeAxis.Nearest.LEGACY, -0.75, false,
                false);
    }

    private static ResizeAxis.Mode parseMode(String mode, boolean legacy) {
        return switch (mode) {
            case "nearest" -> ResizeAxis.Mode.NEAREST;
            case "linear" -> ResizeAxis.Mode.LINEAR;
            case "bilinear" -> {
                if (!legacy) {
                    throw new IllegalArgumentException("Resize mode 'bilinear' is not one of [nearest, linear, cubic]");
                }
                yield ResizeAxis.Mode.LINEAR;
            }
            case "cubic" -> {
                if (legacy) {
                    throw new IllegalArgumentException("mode 'cubic' needs Resize opset 11+; valid: [nearest, linear]");
                }
                yield ResizeAxis.Mode.CUBIC;
            }
            default -> throw new IllegalArgumentException("Resize mode '" + mode + "' is not one of "
                    + (legacy ? "[nearest, linear]" : "[nearest, linear, cubic]"));
        };
    }

    private static Tensor present(Tensor t) {
        return t == null || t.size() == 0 ? null : t;
    }

    private static double[] scales(Tensor t) {
        if (!t.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("Resize scales must be float, got " + t.dtype());
        }
        return toDoubles(t);
    }

    private static double[] toDoubles(Tensor t) {
        double[] d = new double[t.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = t.getDouble(i);
        }
        return d;
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /**
     * Resizes {@code x}. Exactly one of {@code scales} / {@code sizes} is non-null; both, and {@code roi}, list the
     * entries for {@code axes} (all axes when null).
     */
    static Tensor resize(Tensor x, ResizeAxis.Filter filter, double[] scales, long[] sizes, double[] roi, long[] axes,
                         AspectPolicy policy, double extrapolation, ExecContext ctx) {
        int rank = x.rank();
        int[] ax = axes == null ? identity(rank) : Args.axes(axes, rank, "Resize axes");
        int n = ax.length;
        int[] inShape = x.shape();
        double[] scale = new double[rank];
        int[] outShape = inShape.clone();
        Arrays.fill(scale, 1);
        if (scales != null) {
            if (scales.length != n) {
                throw new IllegalArgumentException("Resize scales " + Arrays.toString(scales) + " must have " + n
                        + " entries for the input " + Arrays.toString(inShape));
            }
            for (int i = 0; i < n; i++) {
                if (!(scales[i] > 0)) {
                    throw new IllegalArgumentException("Resize scales " + Arrays.toString(scales) + " must be > 0");
                }
                scale[ax[i]] = scales[i];
                // in float32, as ONNX Runtime does: 10 × 0.7f must give 7 (PyTorch's size), not 6.9999999 → 6
                outShape[ax[i]] = (int) Math.floor((float) scales[i] * inShape[ax[i]]);
            }
        } else {
            if (sizes.length != n) {
                throw new IllegalArgumentException("Resize sizes " + Arrays.toString(sizes) + " must have " + n
                        + " entries for the input " + Arrays.toString(inShape));
            }
            int[] sz = Args.dims(sizes, "Resize sizes");
            for (int i = 0; i < n; i++) {
                if (inShape[ax[i]] == 0 && sz[i] != 0) {
                    throw new IllegalArgumentException("Resize cannot make axis " + ax[i] + " of "
                            + Arrays.toString(inShape) + " non-empty (sizes " + Arrays.toString(sizes) + ")");
                }
                scale[ax[i]] = (double) sz[i] / inShape[ax[i]];
                outShape[ax[i]] = sz[i];
            }
            if (policy != AspectPolicy.STRETCH) {
                // one scale for every listed axis, so the aspect ratio survives (Resize-18)
                double common = policy == AspectPolicy.NOT_LARGER ? Double.POSITIVE_INFINITY : 0;
                for (int d : ax) {
                    common = policy == AspectPolicy.NOT_LARGER ? Math.min(common, scale[d]) : Math.max(common, scale[d]);
                }
                for (int d : ax) {
                    scale[d] = common;
                    outShape[d] = (int) (common * inShape[d] + 0.5);
                }
            }
        }
        double[] roiStart = new double[rank];
        double[] roiEnd = new double[rank];
        Arrays.fill(roiEnd, 1);
        if (roi != null && filter.coordinates() == ResizeCoordinates.TF_CROP_AND_RESIZE) {
            if (roi.length != 2 * n) {
                throw new IllegalArgumentException("Resize roi " + Arrays.toString(roi) + " must have 2 × " + n
                        + " entries");
            }
            for (int i = 0; i < n; i++) {
                roiStart[ax[i]] = roi[i];
                roiEnd[ax[i]] = roi[n + i];
            }
        }
        boolean integer = x.dtype().storage() == DType.Storage.LONG && filter.mode() != ResizeAxis.Mode.NEAREST;
        Tensor cur = integer ? toDouble(x) : x;
        for (int d = 0; d < rank; d++) {
            boolean cropped = filter.coordinates() == ResizeCoordinates.TF_CROP_AND_RESIZE
                    && (roiStart[d] != 0 || roiEnd[d] != 1);
            if (inShape[d] == 0 || outShape[d] == 0 || (scale[d] == 1 && outShape[d] == inShape[d] && !cropped)) {
                // an axis the node does not resize stays as it is (ONNX Runtime agrees); otherwise
                // tf_half_pixel_for_nn's (x + 0.5) / 1 would shift it by a pixel under round_prefer_ceil
                continue;
            }
            ResizeAxis table = ResizeAxis.build(filter, inShape[d], outShape[d], scale[d], roiStart[d], roiEnd[d]);
            if (!table.isIdentity(inShape[d])) {
                cur = AxisResampler.apply(cur, d, table, extrapolation, ctx);
            }
        }
        if (Args.product(outShape, 0, rank) == 0) {
            return Tensor.zeros(x.dtype(), outShape);
        }
        return integer ? toInteger(cur, x.dtype()) : cur;
    }

    private static int[] identity(int rank) {
        int[] a = new int[rank];
        for (int i = 0; i < rank; i++) {
            a[i] = i;
        }
        return a;
    }

    private static Tensor toDouble(Tensor t) {
        long[] l = t.longs();
        double[] d = new double[l.length];
        for (int i = 0; i < l.length; i++) {
            d[i] = l[i];
        }
        return Tensor.of(d, t.shape());
    }

    private static Tensor toInteger(Tensor t, DType dtype) {
        double[] d = t.doubles();
        long[] l = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            l[i] = (long) d[i];
        }
        return Tensor.wrap(dtype, t.shape(), l);
    }
}
