package dev.nnzip.ops.tensor;

import dev.nnzip.graph.Node;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * ONNX Dropout (opsets 7, 10, 12, 13, 22). At inference (the default; before opset 12 always) the output is the input
 * and the optional mask is all ones (type T before opset 10, bool after). From opset 12 the optional inputs
 * {@code ratio} (default 0.5) and {@code training_mode} (default false) can ask for training behaviour: each element is
 * kept with probability {@code 1 - ratio} and scaled by {@code 1 / (1 - ratio)}. The draws come from
 * {@link MersenneTwister} seeded by the {@code seed} attribute (a fresh random seed per call without it), so a seeded
 * node gives the same mask on every run, and the ONNX reference's mask for that seed.
 */
final class Dropout {
    private Dropout() {
    }

    static OpKernel create(Node node, int opset) {
        Long seed = node.attributes().has("seed") ? node.attributes().getInt("seed", 0) : null;
        boolean boolMask = opset >= 10;
        // the mask is an optional output; at inference it is usually not asked for, so do not allocate it then
        boolean wantsMask = node.outputs().size() > 1 && !node.outputs().get(1).isEmpty();
        return (in, ctx) -> {
            Tensor x = Args.required(in, 0, "data");
            Tensor ratioT = opset >= 12 ? Args.optional(in, 1) : null;
            Tensor trainingT = opset >= 12 ? Args.optional(in, 2) : null;
            boolean training = trainingT != null && trainingT.getDouble(0) != 0;
            double ratio = ratioT == null ? 0.5 : Args.scalar(ratioT, "ratio");
            if (!training || ratio == 0) {
                if (!wantsMask) {
                    return new Tensor[] {x};
                }
                Tensor mask = boolMask ? Tensor.zeros(DType.BOOL, x.shape()) : Tensor.zeros(x.dtype(), x.shape());
                ElementArrays.fill(mask.data(), 0, mask.size(), 1);
                return new Tensor[] {x, mask};
            }
            if (!(ratio >= 0 && ratio <= 1)) {
                throw new IllegalArgumentException("Dropout ratio " + ratio + " is outside [0, 1]");
            }
            return train(x, ratio, seed == null ? ThreadLocalRandom.current().nextInt() & 0xffffffffL : seed);
        };
    }

    private static Tensor[] train(Tensor x, double ratio, long seed) {
        MersenneTwister rng = new MersenneTwister(seed);
        boolean[] keep = new boolean[x.size()];
        for (int i = 0; i < keep.length; i++) {
            keep[i] = rng.nextDouble() >= ratio;
        }
        double scale = ratio >= 1 ? 0 : 1 / (1 - ratio);
        Tensor out = Tensor.zeros(x.dtype(), x.shape());
        switch (x.data()) {
            case float[] s -> {
                float[] d = out.floats();
                float sc = (float) scale;
                for (int i = 0; i < d.length; i++) {
                    d[i] = keep[i] ? s[i] * sc : 0;
                }
            }
            case double[] s -> {
                double[] d = out.doubles();
                for (int i = 0; i < d.length; i++) {
                    d[i] = keep[i] ? s[i] * scale : 0;
                }
            }
            default -> throw new IllegalArgumentException("Dropout in training mode needs a float tensor, got "
                    + x.dtype() + Arrays.toString(x.shape()));
        }
        return new Tensor[] {out, Tensor.of(keep, x.shape())};
    }
}
