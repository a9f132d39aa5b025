package dev.nnzip.ops.nn;

import dev.nnzip.tensor.DType;

/**
 * Matrix products for the element types the float kernels do not cover: float64 in double arithmetic, and the integer
 * types in 64-bit arithmetic wrapped to the declared width, as C and ONNX Runtime compute them. Textbook loops: these
 * types are rare in inference graphs.
 */
final class ExactMatMul {
    private ExactMatMul() {
    }

    /** {@code c[m×n] = op(a)·op(b)}, row-major, op = transpose when the flag is set. */
    static void gemm(boolean ta, boolean tb, int m, int n, int k, double[] a, int ao, double[] b, int bo,
                     double[] c, int co) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += (ta ? a[ao + p * m + i] : a[ao + i * k + p]) * (tb ? b[bo + j * k + p] : b[bo + p * n + j]);
                }
                c[co + i * n + j] = s;
            }
        }
    }

    static void gemm(boolean ta, boolean tb, int m, int n, int k, long[] a, int ao, long[] b, int bo,
                     long[] c, int co, DType type) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                long s = 0;
                for (int p = 0; p < k; p++) {
                    s += (ta ? a[ao + p * m + i] : a[ao + i * k + p]) * (tb ? b[bo + j * k + p] : b[bo + p * n + j]);
                }
                c[co + i * n + j] = wrap(type, s);
            }
        }
    }

    /** Reduces a 64-bit result to the value the declared integer type would hold (two's complement wrap-around). */
    static long wrap(DType type, long v) {
        return switch (type) {
            case INT8 -> (byte) v;
            case UINT8 -> v & 0xFFL;
            case INT16 -> (short) v;
            case UINT16 -> v & 0xFFFFL;
            case INT32 -> (int) v;
            case UINT32 -> v & 0xFFFFFFFFL;
            default -> v;
        };
    }
}
