package dev.nnzip.ops.nn;

import dev.nnzip.graph.Node;
import dev.nnzip.kernels.Activation;
import dev.nnzip.kernels.ConvGeometry;
import dev.nnzip.kernels.Convolution;
import dev.nnzip.kernels.PackedFilters;
import dev.nnzip.ops.ExecContext;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;

/**
 * ONNX Conv (opsets 1, 11, 22: X {@code [N, C, D1..Dn]}, W {@code [M, C/group, k1..kn]}, optional B {@code [M]}) and
 * nnzip's {@code FusedConv}, the same with an activation applied in the kernel's epilogue. 1-D, 2-D and 3-D.
 */
final class ConvOp implements OpKernel {
    private final String name;
    private final WindowAttributes window;
    private final int group;
    private final Activation activation;
    /** The filters in the kernel's packed layout while W stays the same array (a constant weight). */
    private final PackedWeight<PackedFilters> filters = new PackedWeight<>();

    private ConvOp(String name, WindowAttributes window, int group, Activation activation) {
        this.name = name;
        this.window = window;
        this.group = group;
        this.activation = activation;
    }

    static OpKernel create(Node node, boolean fused) {
        long group = node.attributes().getInt("group", 1);
        if (group < 1 || group > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("group must be >= 1, got " + group);
        }
        Activation act = fused ? ActivationAttributes.parse(node.attributes()) : Activation.none();
        return new ConvOp(node.opType(), WindowAttributes.parse(node.attributes()), (int) group, act);
    }

    @Override
    public Tensor[] run(Tensor[] inputs, ExecContext ctx) {
        Tensor x = Operands.require(inputs[0], name, "X");
        Tensor w = Operands.require(inputs.length > 1 ? inputs[1] : null, name, "W");
        Tensor b = inputs.length > 2 ? inputs[2] : null;
        float[] xd = Operands.floats(x, name, "X");
        float[] wd = Operands.floats(w, name, "W");
        Operands.sameType(x, w, name);
        int[] xs = x.shape();
        int[] ws = w.shape();
        if (ws.length != xs.length) {
            throw new IllegalArgumentException(name + ": W " + Arrays.toString(ws) + " must have the rank of X "
                    + Arrays.toString(xs));
        }
        if (xs.length < 3) {
            throw new IllegalArgumentException(name + ": X must be [N, C, D1..Dn], got " + Arrays.toString(xs));
        }
        if (ws[1] * group != xs[1] || ws[0] % group != 0) {
            throw new IllegalArgumentException(name + ": W " + Arrays.toString(ws) + " with group " + group
                    + " needs X to have " + ws[1] * group + " channels and M divisible by the group; X is "
                    + Arrays.toString(xs));
        }
        int[] kernel = Arrays.copyOfRange(ws, 2, ws.length);
        if (window.kernelShape() != null
                && !Arrays.equals(WindowAttributes.perAxis("kernel_shape", window.kernelShape(), kernel.length, 1),
                kernel)) {
            throw new IllegalArgumentException(name + ": kernel_shape " + Arrays.toString(window.kernelShape())
                    + " does not match W " + Arrays.toString(ws));
        }
        float[] bd = null;
        if (b != null) {
            bd = Operands.floats(b, name, "B");
            if (b.size() != ws[0]) {
                throw new IllegalArgumentException(name + ": B has shape " + Arrays.toString(b.shape())
                        + ", expected [" + ws[0] + "]");
            }
        }
        ConvGeometry g = window.forward(xs, ws[0], group, kernel);
        Tensor y = ctx.zeros(x.dtype(), g.outputShape());
        PackedFilters packed = filters.lookup(ctx.isWeight(1), wd, ws, () -> Convolution.packFilters(g, wd));
        Convolution.forward(g, xd, wd, packed, bd, activation, y.floats(), ctx.parallel());
        return new Tensor[] {y};
    }
}
