package dev.nnzip.ops.math;

import dev.nnzip.UnsupportedOperatorException;
import dev.nnzip.graph.Node;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;

/**
 * Cast (opsets 6-21): converts a tensor to the type named by the {@code to} attribute.
 *
 * <ul>
 *   <li>float → integer truncates toward zero and saturates to the target's range (NaN → 0), see
 *       {@link IntegerTypes#fromDouble}; integer → integer wraps to the target width, as numpy's astype does;</li>
 *   <li>to float16 / bfloat16: one round-to-nearest-even, also from double (see {@link HalfPrecision#fromDouble});</li>
 *   <li>to bool: non-zero (and NaN) is true; from bool: 1 / 0;</li>
 *   <li>to and from string as numpy's {@code str()} and {@code float()} do (see {@link NumpyStrings}).</li>
 * </ul>
 * Types nnzip does not hold (float8, int4, complex) fail at load. The opset-19 {@code saturate} attribute only concerns
 * float8 targets and is therefore accepted and ignored.
 */
public final class CastOp {
    private CastOp() {
    }

    static OpKernel create(Node node, int opset) {
        long to = node.attributes().getInt("to", -1);
        if (to < 0) {
            throw new IllegalArgumentException("Cast needs the 'to' attribute (an ONNX element type number)");
        }
        DType target;
        try {
            target = DType.fromOnnx((int) to);
        } catch (IllegalArgumentException e) {
            throw new UnsupportedOperatorException("Cast to element type " + to + " is not supported; nnzip casts to "
                    + Arrays.toString(DType.values()));
        }
        return (inputs, ctx) -> new Tensor[] {cast(Elementwise.requireInput("Cast", inputs, 0, "input"), target)};
    }

    /** {@code x} converted to {@code to}; a copy when it already has that type. */
    public static Tensor cast(Tensor x, DType to) {
        if (x.dtype() == to) {
            return x.copy();
        }
        Object data = switch (to.storage()) {
            case FLOAT -> toFloats(x, to);
            case DOUBLE -> toDoubles(x);
            case LONG -> toLongs(x, to);
            case BOOL -> toBooleans(x);
            case STRING -> toStrings(x);
        };
        return Tensor.wrap(to, x.shape(), data);
    }

    private static float[] toFloats(Tensor x, DType to) {
        DType from = x.dtype();
        int n = x.size();
        float[] out = new float[n];
        switch (x.data()) {
            case float[] f -> {
                for (int i = 0; i < n; i++) {
                    out[i] = HalfPrecision.round(to, f[i]); // the source value is exact in float32: one rounding
                }
            }
            case double[] d -> {
                for (int i = 0; i < n; i++) {
                    out[i] = HalfPrecision.fromDouble(to, d[i]);
                }
            }
            case long[] l -> {
                for (int i = 0; i < n; i++) {
                    // exact via double up to 2^53, far beyond where float16/bfloat16 can still tell integers apart
                    out[i] = to == DType.FLOAT && from != DType.UINT64 ? (float) l[i]
                            : HalfPrecision.fromDouble(to, IntegerTypes.toDouble(from, l[i]));
                }
            }
            case boolean[] b -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b[i] ? 1f : 0f;
                }
            }
            case String[] s -> {
                for (int i = 0; i < n; i++) {
                    out[i] = to == DType.FLOAT ? NumpyStrings.parseFloat(s[i])
                            : HalfPrecision.fromDouble(to, NumpyStrings.parseDouble(s[i]));
                }
            }
            default -> throw new IllegalStateException("unexpected storage " + x.data().getClass());
        }
        return out;
    }

    private static double[] toDoubles(Tensor x) {
        DType from = x.dtype();
        int n = x.size();
        double[] out = new double[n];
        switch (x.data()) {
            case float[] f -> {
                for (int i = 0; i < n; i++) {
                    out[i] = f[i];
                }
            }
            case long[] l -> {
                for (int i = 0; i < n; i++) {
                    out[i] = IntegerTypes.toDouble(from, l[i]);
                }
            }
            case boolean[] b -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b[i] ? 1 : 0;
                }
            }
            case String[] s -> {
                for (int i = 0; i < n; i++) {
                    out[i] = NumpyStrings.parseDouble(s[i]);
                }
            }
            default -> throw new IllegalStateException("unexpected storage " + x.data().getClass());
        }
        return out;
    }

    private static long[] toLongs(Tensor x, DType to) {
        int n = x.size();
        long[] out = new long[n];
        switch (x.data()) {
            case float[] f -> {
                for (int i = 0; i < n; i++) {
                    out[i] = IntegerTypes.fromDouble(to, f[i]);
                }
            }
            case double[] d -> {
                for (int i = 0; i < n; i++) {
                    out[i] = IntegerTypes.fromDouble(to, d[i]);
                }
            }
            case long[] l -> {
                for (int i = 0; i < n; i++) {
                    out[i] = IntegerTypes.wrap(to, l[i]);
                }
            }
            case boolean[] b -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b[i] ? 1 : 0;
                }
            }
            case String[] s -> {
                for (int i = 0; i < n; i++) {
                    out[i] = NumpyStrings.parseInteger(to, s[i]);
                }
            }
            default -> throw new IllegalStateException("unexpected storage " + x.data().getClass());
        }
        return out;
    }

    private static boolean[] toBooleans(Tensor x) {
        int n = x.size();
        boolean[] out = new boolean[n];
        switch (x.data()) {
            case float[] f -> {
                for (int i = 0; i < n; i++) {
                    out[i] = f[i] != 0; // NaN != 0 is true, as C's (bool) NaN
                }
            }
            case double[] d -> {
                for (int i = 0; i < n; i++) {
                    out[i] = d[i] != 0;
                }
            }
            case long[] l -> {
                for (int i = 0; i < n; i++) {
                    out[i] = l[i] != 0;
                }
            }
            case String[] s -> {
                for (int i = 0; i < n; i++) {
                    out[i] = NumpyStrings.parseBoolean(s[i]);
                }
            }
            default -> throw new IllegalStateException("unexpected storage " + x.data().getClass());
        }
        return out;
    }

    private static String[] toStrings(Tensor x) {
        DType from = x.dtype();
        int n = x.size();
        String[] out = new String[n];
        switch (x.data()) {
            case float[] f -> {
                for (int i = 0; i < n; i++) {
                    out[i] = NumpyStrings.format(from, f[i]);
                }
            }
            case double[] d -> {
                for (int i = 0; i < n; i++) {
                    out[i] = NumpyStrings.format(d[i]);
                }
            }
            case long[] l -> {
                for (int i = 0; i < n; i++) {
                    out[i] = from == DType.UINT64 ? Long.toUnsignedString(l[i]) : Long.toString(l[i]);
                }
            }
            case boolean[] b -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b[i] ? "True" : "False";
                }
            }
            default -> throw new IllegalStateException("unexpected storage " + x.data().getClass());
        }
        return out;
    }
}
