package dev.nnzip.ops.math;

import dev.nnzip.graph.Node;
import dev.nnzip.ops.ExecContext;
import dev.nnzip.ops.InPlaceKernel;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;

/** Add, Sub, Mul, Div, Max, Min and Mod as {@link BinaryOp}s, and the node factories that use them. */
final class Arithmetic {
    private Arithmetic() {
    }

    static final BinaryOp ADD = BinaryOp.numeric("Add", FloatKernels.ADD, Double::sum, t -> Long::sum);
    static final BinaryOp SUB = BinaryOp.numeric("Sub", FloatKernels.SUB, (a, b) -> a - b, t -> (a, b) -> a - b);
    static final BinaryOp MUL = BinaryOp.numeric("Mul", FloatKernels.MUL, (a, b) -> a * b, t -> (a, b) -> a * b);
    /** Integer division truncates toward zero (the spec follows C); unsigned for UINT64. */
    static final BinaryOp DIV = BinaryOp.numeric("Div", FloatKernels.DIV, (a, b) -> a / b,
            t -> (a, b) -> IntegerTypes.divide(t, a, b));
    /** Math.max/min propagate NaN, as numpy.maximum/minimum (the reference of Max/Min) do. */
    static final BinaryOp MAX = BinaryOp.numeric("Max", FloatKernels.of(Math::max), Math::max,
            t -> (a, b) -> IntegerTypes.compare(t, a, b) >= 0 ? a : b);
    static final BinaryOp MIN = BinaryOp.numeric("Min", FloatKernels.of(Math::min), Math::min,
            t -> (a, b) -> IntegerTypes.compare(t, a, b) <= 0 ? a : b);

    /**
     * Factory for Add, Sub, Mul and Div. Before opset 7 these ops did not broadcast numpy-style but had
     * {@code broadcast=1} with an optional {@code axis} at which B's dims line up with A's; that is rewritten here as the
     * equivalent numpy broadcast (B padded with trailing 1s).
     */
    static OpKernel binary(BinaryOp op, Node node, int opset) {
        boolean legacy = opset < 7 && node.attributes().getInt("broadcast", 0) != 0;
        long axis = node.attributes().getInt("axis", Long.MIN_VALUE);
        boolean aligned = legacy && axis != Long.MIN_VALUE;
        return new InPlaceKernel() {
            @Override
            public Tensor[] run(Tensor[] inputs, ExecContext ctx) {
                Tensor a = Elementwise.requireInput(op.name(), inputs, 0, "A");
                Tensor b = Elementwise.requireInput(op.name(), inputs, 1, "B");
                if (aligned) {
                    b = b.reshape(alignLegacy(a.rank(), b.shape(), axis));
                }
                return new Tensor[] {op.apply(a, b, ctx.parallel(), ctx.mayOverwrite(0), ctx.mayOverwrite(1))};
            }

            @Override
            public int overwrittenInput(DType[] types, int[][] shapes, int[] output, long overwritable) {
                int[] b = aligned ? alignLegacy(shapes[0].length, shapes[1], axis) : shapes[1];
                return BinaryOp.overwrittenInput(types[0], shapes[0], b, output, (overwritable & 1) != 0,
                        (overwritable & 2) != 0);
            }
        };
    }

    /** B's shape with trailing 1s so that its first dim sits at {@code axis} of an input of rank {@code rankA}. */
    static int[] alignLegacy(int rankA, int[] b, long axis) {
        int start = (int) (axis < 0 ? axis + rankA : axis);
        int trailing = rankA - start - b.length;
        if (start < 0 || trailing < 0) {
            throw new IllegalArgumentException("legacy broadcast axis " + axis + " does not fit B " + Arrays.toString(b)
                    + " into an input of rank " + rankA);
        }
        int[] shape = Arrays.copyOf(b, b.length + trailing);
        Arrays.fill(shape, b.length, shape.length, 1);
        return shape;
    }

    /**
     * Mod: with {@code fmod=0} (default) the remainder takes the divisor's sign (Python's %); with {@code fmod=1} the
     * dividend's (C's fmod). The spec requires fmod=1 for floating types; fmod=0 on floats is given the Python meaning
     * rather than refused, matching the integer case.
     */
    static OpKernel mod(Node node, int opset) {
        long fmodAttr = node.attributes().getInt("fmod", 0);
        if (fmodAttr != 0 && fmodAttr != 1) {
            throw new IllegalArgumentException("Mod fmod must be 0 or 1, was " + fmodAttr);
        }
        boolean fmod = fmodAttr == 1;
        BinaryOp op = BinaryOp.numeric("Mod",
                FloatKernels.of(fmod ? (a, b) -> a % b : (a, b) -> (float) floorRemainder(a, b)),
                fmod ? (a, b) -> a % b : Arithmetic::floorRemainder,
                t -> (a, b) -> remainder(t, a, b, fmod));
        return (inputs, ctx) -> new Tensor[] {op.apply(Elementwise.requireInput("Mod", inputs, 0, "A"),
                Elementwise.requireInput("Mod", inputs, 1, "B"), ctx.parallel())};
    }

    /** Remainder with the sign of the divisor. */
    private static double floorRemainder(double a, double b) {
        double r = a % b;
        return r != 0 && (r < 0) != (b < 0) ? r + b : r;
    }

    private static long remainder(DType t, long a, long b, boolean fmod) {
        if (b == 0) {
            throw new ArithmeticException("integer Mod by zero");
        }
        if (t == DType.UINT64) {
            return Long.remainderUnsigned(a, b);
        }
        return fmod ? a % b : Math.floorMod(a, b);
    }
}
