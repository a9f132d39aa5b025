package dev.nnzip.ops.nn;

import dev.nnzip.graph.Node;
import dev.nnzip.kernels.Activation;
import dev.nnzip.kernels.ConvGeometry;
import dev.nnzip.kernels.blocked.BlockedDenseConv;
import dev.nnzip.kernels.blocked.BlockedDepthwise;
import dev.nnzip.kernels.blocked.BlockedLayout;
import dev.nnzip.kernels.blocked.BlockedPointwise;
import dev.nnzip.kernels.blocked.PlainInputConv;
import dev.nnzip.ops.ExecContext;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;

/**
 * nnzip's {@code BlockedConv}: a Conv (or FusedConv, same attributes) whose X and Y are channel-blocked tensors
 * {@code [N, ceil(C/B), H, W, B]} (see {@code dev.nnzip.kernels.blocked}), created by the graph optimizer's blocked
 * layout pass for a 1×1 stride-1 unpadded convolution or a depthwise one; or a dense convolution whose X is a plain
 * {@code [N, C, H, W]} of few channels (a stem) writing a blocked Y of attribute {@code block}. W and B are the ONNX
 * Conv's own inputs, repacked into the blocked kernels' layout and kept across runs while W is the same weight array (as
 * {@link ConvOp} keeps its packed filters), so lazily decoded weights (layerwise/prefetch memory modes) are simply
 * packed again when they arrive as a new array. Optional input 3, {@code Sum}, is a residual of Y's shape added
 * before the activation (an Add fused into a pointwise convolution).
 */
final class BlockedConvOp implements OpKernel {
    private final String name;
    private final WindowAttributes window;
    private final int group;
    private final Activation activation;
    /** The output block for a plain X (attribute {@code block}); a blocked X carries its own. */
    private final int block;
    private final PackedWeight<float[]> filters = new PackedWeight<>();
    private final PackedWeight<float[]> biases = new PackedWeight<>();

    private BlockedConvOp(String name, WindowAttributes window, int group, Activation activation, int block) {
        this.name = name;
        this.block = block;
        this.window = window;
        this.group = group;
        this.activation = activation;
    }

    static OpKernel create(Node node) {
        long group = node.attributes().getInt("group", 1);
        if (group < 1 || group > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("group must be >= 1, got " + group);
        }
        return new BlockedConvOp(node.opType(), WindowAttributes.parse(node.attributes()), (int) group,
                ActivationAttributes.parse(node.attributes()), (int) node.attributes().getInt("block", 0));
    }

    @Override
    public Tensor[] run(Tensor[] inputs, ExecContext ctx) {
        Tensor x = Operands.require(inputs[0], name, "X");
        Tensor w = Operands.require(inputs.length > 1 ? inputs[1] : null, name, "W");
        Tensor b = inputs.length > 2 ? inputs[2] : null;
        Tensor sum = inputs.length > 3 ? inputs[3] : null;
        float[] xd = Operands.floats(x, name, "X");
        float[] wd = Operands.floats(w, name, "W");
        int[] xs = x.shape();
        int[] ws = w.shape();
        boolean plainInput = xs.length == 4;
        if ((xs.length != 5 && !plainInput) || ws.length != 4) {
            throw new IllegalArgumentException(name + ": needs X [N, C/B, H, W, B] (or a plain [N, C, H, W]) and W "
                    + "[M, C/group, kh, kw], got X " + Arrays.toString(xs) + ", W " + Arrays.toString(ws));
        }
        int block = plainInput ? this.block : xs[4];
        int channels = ws[1] * group;
        if (block < 1 || (plainInput ? xs[1] != channels : BlockedLayout.blocks(channels, block) != xs[1])
                || ws[0] % group != 0) {
            throw new IllegalArgumentException(name + ": W " + Arrays.toString(ws) + " with group " + group
                    + " does not fit X " + Arrays.toString(xs) + (plainInput ? " (block " + block + ")" : ""));
        }
        int[] kernel = {ws[2], ws[3]};
        if (window.kernelShape() != null
                && !Arrays.equals(WindowAttributes.perAxis("kernel_shape", window.kernelShape(), 2, 1), kernel)) {
            throw new IllegalArgumentException(name + ": kernel_shape " + Arrays.toString(window.kernelShape())
                    + " does not match W " + Arrays.toString(ws));
        }
        ConvGeometry g = window.forward(new int[] {xs[0], channels, xs[2], xs[3]}, ws[0], group, kernel);
        int outChannels = ws[0];
        float[] bd = b == null ? null : Operands.floats(b, name, "B");
        if (bd != null && bd.length != outChannels) {
            throw new IllegalArgumentException(name + ": B has shape " + Arrays.toString(b.shape()) + ", expected ["
                    + outChannels + "]");
        }
        int[] ys = BlockedLayout.blockedShape(g.outputShape(), block);
        float[] packedBias = bias(bd, outChannels, block, ctx);
        Tensor y = ctx.uninitialized(x.dtype(), ys);
        if (plainInput) {
            if (!PlainInputConv.supports(g) || sum != null) {
                throw new IllegalArgumentException(name + ": a plain input needs a group-1 2-D convolution, got " + g);
            }
            float[] packed = packed(ctx, wd, ws, block, () -> PlainInputConv.packFilters(wd, outChannels, channels,
                    g.kernelSize(), block));
            PlainInputConv.forward(g, xd, packed, packedBias, activation, y.floats(), block, ctx.parallel());
        } else if (g.groups() == 1 && g.isPointwise()) {
            float[] sd = null;
            if (sum != null) {
                if (!Arrays.equals(sum.shape(), ys)) {
                    throw new IllegalArgumentException(name + ": Sum " + Arrays.toString(sum.shape())
                            + " must have Y's shape " + Arrays.toString(ys));
                }
                sd = Operands.floats(sum, name, "Sum");
            }
            float[] packed = packed(ctx, wd, ws, block, () -> BlockedPointwise.packFilters(wd, outChannels, channels,
                    block));
            BlockedPointwise.forward(xd, g.batch(), channels, outChannels, g.inPlane(), block, packed, packedBias, sd,
                    activation, y.floats(), ctx.parallel());
        } else if (BlockedDepthwise.supports(g) && sum == null) {
            float[] packed = packed(ctx, wd, ws, block, () -> BlockedDepthwise.packFilters(wd, channels,
                    g.kernelSize(), block));
            BlockedDepthwise.forward(g, xd, packed, packedBias, activation, y.floats(), block, ctx.parallel());
        } else if (BlockedDenseConv.supports(g) && sum == null) {
            float[] packed = packed(ctx, wd, ws, block, () -> BlockedDenseConv.packFilters(wd, outChannels, channels,
                    g.kernelSize(), block));
            BlockedDenseConv.forward(g, xd, packed, packedBias, activation, y.floats(), block, ctx.parallel());
        } else {
            throw new IllegalArgumentException(name + ": only 2-D convolutions of group 1 or depthwise ones run blocked"
                    + " (a Sum only with a pointwise one); got " + g);
        }
        return new Tensor[] {y};
    }

    private float[] packed(ExecContext ctx, float[] wd, int[] ws, int block,
                           java.util.function.Supplier<float[]> pack) {
        int[] key = {ws[0], ws[1], ws[2], ws[3], group, block};
        float[] p = filters.lookup(ctx.isWeight(1), wd, key, pack);
        return p != null ? p : pack.get();
    }

    private float[] bias(float[] bd, int outChannels, int block, ExecContext ctx) {
        if (bd == null) {
            return BlockedPointwise.packBias(null, outChannels, block);
        }
        float[] p = biases.lookup(ctx.isWeight(2), bd, new int[] {outChannels, block},
                () -> BlockedPointwise.packBias(bd, outChannels, block));
        return p != null ? p : BlockedPointwise.packBias(bd, outChannels, block);
    }
}
