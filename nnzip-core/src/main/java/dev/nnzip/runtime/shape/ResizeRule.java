package dev.nnzip.runtime.shape;

import java.util.Arrays;

/**
 * Resize (opsets 10-19) and Upsample (7, 9) output shapes: per resized axis {@code floor(in · scale)} computed in
 * float32 as the kernel (and ONNX Runtime) does, or the given size; Resize-18's {@code axes} limit scales/sizes to some
 * axes and {@code keep_aspect_ratio_policy} not_larger / not_smaller uses one common scale,
 * {@code round_half_up(in · scale)}.
 */
final class ResizeRule {
    private ResizeRule() {
    }

    static void register(ShapeRules r) {
        r.register("Resize", ResizeRule::resize);
        r.register("Upsample", n -> {
            double[] scales = n.opset() < 9 ? floats(n.attributes().getFloats("scales", new float[0])) : n.doubles(1);
            return LayoutRules.same(n, outputShape(n, scales, null, null, "stretch"));
        });
    }

    private static double[] floats(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private static TensorType[] resize(NodeShapes n) {
        if (n.opset() < 11) {
            return LayoutRules.same(n, outputShape(n, n.doubles(1), null, null, "stretch"));
        }
        boolean hasScales = n.has(2) && n.input(2).size() > 0;
        boolean hasSizes = n.has(3) && n.input(3).size() > 0;
        if (hasScales == hasSizes) {
            throw n.mismatch("Resize needs exactly one of scales and sizes");
        }
        long[] axes = n.opset() >= 18 ? n.attributes().getInts("axes", null) : null;
        String policy = n.opset() >= 18 ? n.attributes().getString("keep_aspect_ratio_policy", "stretch") : "stretch";
        return LayoutRules.same(n, outputShape(n, hasScales ? n.doubles(2) : null, hasSizes ? n.ints(3) : null, axes,
                policy));
    }

    private static int[] outputShape(NodeShapes n, double[] scales, long[] sizes, long[] axes, String policy) {
        int[] in = n.shape(0);
        int rank = in.length;
        int[] ax = new int[axes == null ? rank : axes.length];
        for (int i = 0; i < ax.length; i++) {
            ax[i] = axes == null ? i : n.axis(axes[i], rank);
        }
        int[] out = in.clone();
        if (scales != null) {
            if (scales.length != ax.length) {
                throw n.mismatch("Resize scales " + Arrays.toString(scales) + " need " + ax.length + " entries");
            }
            for (int i = 0; i < ax.length; i++) {
                out[ax[i]] = (int) Math.floor((float) scales[i] * in[ax[i]]);
            }
            return out;
        }
        if (sizes.length != ax.length) {
            throw n.mismatch("Resize sizes " + Arrays.toString(sizes) + " need " + ax.length + " entries");
        }
        double common = policy.equals("not_larger") ? Double.POSITIVE_INFINITY : 0;
        for (int i = 0; i < ax.length; i++) {
            out[ax[i]] = Math.toIntExact(sizes[i]);
            double scale = (double) sizes[i] / in[ax[i]];
            common = policy.equals("not_larger") ? Math.min(common, scale) : Math.max(common, scale);
        }
        if (!policy.equals("stretch")) {
            for (int d : ax) {
                out[d] = (int) (common * in[d] + 0.5);
            }
        }
        return out;
    }
}
