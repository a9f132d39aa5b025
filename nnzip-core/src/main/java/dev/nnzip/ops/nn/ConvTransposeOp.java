package dev.nnzip.ops.nn;

import dev.nnzip.graph.Node;
import dev.nnzip.kernels.Activation;
import dev.nnzip.kernels.ConvGeometry;
import dev.nnzip.kernels.TransposedConvolution;
import dev.nnzip.ops.ExecContext;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;

/**
 * ONNX ConvTranspose: X {@code [N, C, D1..Dn]}, W {@code [C, M/group, k1..kn]}, optional B {@code [M]}.
 *
 * <p>Output extent per axis, from the spec: {@code stride·(in−1) + output_padding + ((k−1)·dilation + 1) − padBegin −
 * padEnd}. With {@code output_shape} the pads are derived from it: {@code total = stride·(in−1) + output_padding +
 * ((k−1)·dilation + 1) − output_shape}, split {@code total/2} at the beginning for SAME_UPPER and
 * {@code total − total/2} at the beginning otherwise (a negative total means the requested output is larger than the
 * natural one: the extra positions, at the end, receive only the bias). With SAME_UPPER/SAME_LOWER and no output_shape,
 * the output is {@code in·stride} and the padding is split the same way.
 */
final class ConvTransposeOp implements OpKernel {
    private final WindowAttributes window;
    private final int group;
    private final long[] outputPadding;
    private final long[] outputShape;

    private ConvTransposeOp(WindowAttributes window, int group, long[] outputPadding, long[] outputShape) {
        this.window = window;
        this.group = group;
        this.outputPadding = outputPadding;
        this.outputShape = outputShape;
    }

    static OpKernel create(Node node) {
        var a = node.attributes();
        long group = a.getInt("group", 1);
        if (group < 1 || group > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("group must be >= 1, got " + group);
        }
        long[] op = a.getInts("output_padding", null);
        if (op != null) {
            for (long v : op) {
                if (v < 0) {
                    throw new IllegalArgumentException("output_padding must be >= 0, got " + Arrays.toString(op));
                }
            }
        }
        return new ConvTransposeOp(WindowAttributes.parse(a), (int) group, op, a.getInts("output_shape", null));
    }

    @Override
    public Tensor[] run(Tensor[] inputs, ExecContext ctx) {
        String name = "ConvTranspose";
        Tensor x = Operands.require(inputs[0], name, "X");
        Tensor w = Operands.require(inputs.length > 1 ? inputs[1] : null, name, "W");
        Tensor b = inputs.length > 2 ? inputs[2] : null;
        float[] xd = Operands.floats(x, name, "X");
        float[] wd = Operands.floats(w, name, "W");
        int[] xs = x.shape();
        int[] ws = w.shape();
        int rank = xs.length - 2;
        if (rank < 1 || rank > 3 || ws.length != xs.length) {
            throw new IllegalArgumentException(name + ": X must be [N, C, D1..Dn] (n = 1..3) and W of the same rank; "
                    + "got X " + Arrays.toString(xs) + ", W " + Arrays.toString(ws));
        }
        if (ws[0] != xs[1] || xs[1] % group != 0) {
            throw new IllegalArgumentException(name + ": W " + Arrays.toString(ws)
                    + " must be [C, M/group, k...] with C = " + xs[1] + " channels of X divisible by group " + group);
        }
        int m = ws[1] * group;
        int[] kernel = Arrays.copyOfRange(ws, 2, ws.length);
        int[] in = Arrays.copyOfRange(xs, 2, xs.length);
        int[] s = WindowAttributes.perAxis("strides", window.strides(), rank, 1);
        int[] d = WindowAttributes.perAxis("dilations", window.dilations(), rank, 1);
        WindowAttributes.Transposed t = window.transposed(in, kernel, outputPadding, outputShape);
        int[] pb = t.padBegin();
        int[] pe = t.padEnd();
        int[] out = t.out();
        for (int i = 0; i < rank; i++) {
            if (out[i] < 0) {
                throw new IllegalArgumentException(name + ": pads " + Arrays.toString(pb) + "/" + Arrays.toString(pe)
                        + " leave no output for input " + Arrays.toString(xs));
            }
        }
        float[] bd = null;
        if (b != null) {
            bd = Operands.floats(b, name, "B");
            if (b.size() != m) {
                throw new IllegalArgumentException(name + ": B has shape " + Arrays.toString(b.shape()) + ", expected ["
                        + m + "]");
            }
        }
        ConvGeometry g = ConvGeometry.of(xs[0], xs[1], m, group, in, kernel, s, d, pb, pe, out);
        Tensor y = Tensor.zeros(x.dtype(), g.outputShape());
        TransposedConvolution.forward(g, xd, wd, bd, Activation.none(), y.floats(), ctx.parallel());
        return new Tensor[] {y};
    }
}
