package dev.nnzip.runtime.shape;

import dev.nnzip.kernels.blocked.BlockedLayout;
import dev.nnzip.ops.nn.ActivationAttributes;
import dev.nnzip.ops.nn.WindowShapes;
import java.util.Arrays;

/**
 * Shape rules of the channel-blocked region operators the graph optimizer creates (see
 * {@code dev.nnzip.kernels.blocked}): a blocked tensor is {@code [N, ceil(C/B), d..., B]}. BlockedConv's output is
 * Conv's output for the plain input {@code [N, C, d...]} (C from W and the group), blocked with X's block.
 */
final class BlockedRules {
    private BlockedRules() {
    }

    static void register(ShapeRules r) {
        String d = ActivationAttributes.DOMAIN;
        r.register(d, "ReorderToBlocked", n -> new TensorType[] {TensorType.of(n.dtype(0),
                BlockedLayout.blockedShape(n.shape(0), (int) n.attributes().getInt("block", 1)))});
        r.register(d, "ReorderFromBlocked", n -> new TensorType[] {TensorType.of(n.dtype(0),
                BlockedLayout.plainShape(n.shape(0), (int) n.attributes().getInt("channels", 1)))});
        r.register(d, "BlockedGlobalAveragePool", n -> {
            int[] s = new int[n.shape(0).length - 1];
            Arrays.fill(s, 1);
            s[0] = n.shape(0)[0];
            s[1] = (int) n.attributes().getInt("channels", 1);
            return new TensorType[] {TensorType.of(n.dtype(0), s)};
        });
        r.register(d, "BlockedConv", BlockedRules::conv);
    }

    private static TensorType[] conv(NodeShapes n) {
        int[] x = n.shape(0);
        int[] w = n.shape(1);
        if (x.length == w.length) { // a plain X (a stem convolution): Conv's own output, blocked
            try {
                return new TensorType[] {TensorType.of(n.dtype(0), BlockedLayout.blockedShape(
                        WindowShapes.conv(n.attributes(), x, w), (int) n.attributes().getInt("block", 1)))};
            } catch (IllegalArgumentException e) {
                throw n.mismatch(e.getMessage());
            }
        }
        if (x.length != w.length + 1) {
            throw n.mismatch("BlockedConv needs a blocked X of W's rank + 1, got X " + Arrays.toString(x) + " and W "
                    + Arrays.toString(w));
        }
        int block = x[x.length - 1];
        int channels = w[1] * (int) n.attributes().getInt("group", 1);
        int[] plain = BlockedLayout.plainShape(x, channels);
        try {
            return new TensorType[] {TensorType.of(n.dtype(0),
                    BlockedLayout.blockedShape(WindowShapes.conv(n.attributes(), plain, w), block))};
        } catch (IllegalArgumentException e) {
            throw n.mismatch(e.getMessage());
        }
    }
}
