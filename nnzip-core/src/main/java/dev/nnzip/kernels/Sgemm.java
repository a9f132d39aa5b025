package dev.nnzip.kernels;

import java.util.Objects;

/**
 * Single-precision matrix multiply, the one entry point every MatMul, Gemm and convolution goes through:
 *
 * <pre>  C = act(alpha · op(A) · op(B) + beta · C + bias)   with op(X) = X or Xᵀ</pre>
 *
 * Matrices are row-major slices of float arrays: element (i, j) of an {@code r × c} matrix at offset {@code off} with
 * leading dimension {@code ld >= c} is {@code x[off + i * ld + j]}. {@code op(A)} is {@code m × k}, {@code op(B)} is
 * {@code k × n}, C is {@code m × n}. With {@code beta == 0} C is write-only (its old contents, even NaN, are ignored,
 * as in BLAS). The bias and activation of the {@link Epilogue} are applied after the full sum.
 *
 * <p>Routes to the Vector API kernel ({@code VectorSgemm}: packed panels, register-blocked micro-kernel) or, when the
 * Vector API is unavailable or {@code -Dnnzip.kernels.scalar=true}, to the scalar reference ({@code ScalarSgemm}). Work
 * is split over {@code parallel}'s threads. A constant B (weights) can be packed once with {@link #pack} and passed as
 * a {@link PackedB}.
 */
public final class Sgemm {
    private Sgemm() {
    }

    /** {@code C[m×n] = A[m×k] · B[k×n]}, dense row-major, single-threaded. */
    public static void multiply(int m, int n, int k, float[] a, float[] b, float[] c) {
        multiply(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n, Epilogue.none(), Parallel.sequential());
    }

    /** The full form; see the class comment for the meaning of every argument. */
    public static void multiply(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                float beta, float[] c, int cOff, int ldc, Epilogue epilogue, Parallel parallel) {
        checkDims(m, n, k);
        checkMatrix("A", a, aOff, lda, transA ? k : m, transA ? m : k);
        checkMatrix("B", b, bOff, ldb, transB ? n : k, transB ? k : n);
        checkMatrix("C", c, cOff, ldc, m, n);
        run(new GemmProblem(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, null, beta, c, cOff, ldc,
                epilogue == null ? Epilogue.none() : epilogue), parallel);
    }

    /** As the full form, with B given pre-packed ({@code k} must equal {@code b.rows()}, n its columns). */
    public static void multiply(boolean transA, int m, float alpha, float[] a, int aOff, int lda, PackedB b,
                                float beta, float[] c, int cOff, int ldc, Epilogue epilogue, Parallel parallel) {
        Objects.requireNonNull(b, "packed B");
        int n = b.columns();
        int k = b.rows();
        checkDims(m, n, k);
        checkMatrix("A", a, aOff, lda, transA ? k : m, transA ? m : k);
        checkMatrix("C", c, cOff, ldc, m, n);
        if (b.panelWidth() != PackedB.defaultPanelWidth()) {
            throw new IllegalArgumentException("B was packed with panel width " + b.panelWidth()
                    + " but the active kernels use " + PackedB.defaultPanelWidth() + "; pack it again");
        }
        run(new GemmProblem(transA, false, m, n, k, alpha, a, aOff, lda, null, 0, 0, b, beta, c, cOff, ldc,
                epilogue == null ? Epilogue.none() : epilogue), parallel);
    }

    /**
     * Packs {@code op(B)} ({@code k × n}; B itself is {@code n × k} when {@code transposed}) for repeated products with
     * the same right-hand matrix. One copy pass; the packed form takes about as much memory as B.
     */
    public static PackedB pack(boolean transposed, int k, int n, float[] b, int off, int ld) {
        checkDims(1, n, k);
        checkMatrix("B", b, off, ld, transposed ? n : k, transposed ? k : n);
        return PackedB.pack(transposed, k, n, b, off, ld);
    }

    private static void run(GemmProblem p, Parallel parallel) {
        run(p, parallel, KernelSupport.vectorEnabled());
    }

    /** Runs a validated problem on the vector ({@code vector}) or scalar kernel; the other kernels of this package call
    * it. */
    static void run(GemmProblem p, Parallel parallel, boolean vector) {
        if (p.m() == 0 || p.n() == 0) {
            return;
        }
        if (p.k() == 0) {
            // An empty sum: C = beta·C, then the epilogue (bias and activation still apply).
            for (int i = 0; i < p.m(); i++) {
                int row = p.cOff() + i * p.ldc();
                for (int j = 0; j < p.n(); j++) {
                    p.c()[row + j] = p.beta() == 0 ? 0f : p.beta() * p.c()[row + j];
                }
            }
            p.epilogue().apply(p.c(), p.cOff(), p.ldc(), 0, p.m(), 0, p.n(), vector);
            return;
        }
        Parallel par = parallel == null ? Parallel.sequential() : parallel;
        if (vector) {
            VectorSgemm.gemm(p, par);
        } else {
            ScalarSgemm.gemm(p, par);
        }
    }

    private static void checkDims(int m, int n, int k) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("matrix dimensions must be >= 0, were m=" + m + ", n=" + n + ", k=" + k);
        }
    }

    /** Checks that a {@code rows × cols} row-major matrix fits in {@code x} from {@code off} with stride {@code ld}. */
    static void checkMatrix(String name, float[] x, int off, int ld, int rows, int cols) {
        Objects.requireNonNull(x, name);
        if (rows == 0 || cols == 0) {
            return;
        }
        if (off < 0 || ld < cols) {
            throw new IllegalArgumentException(name + ": offset " + off + " must be >= 0 and leading dimension " + ld
                    + " >= " + cols + " columns");
        }
        long lastIndex = off + (long) (rows - 1) * ld + cols - 1;
        if (lastIndex >= x.length) {
            throw new IllegalArgumentException(name + ": a " + rows + "x" + cols + " matrix at offset " + off
                    + " with leading dimension " + ld + " needs " + (lastIndex + 1) + " floats, array has " + x.length);
        }
    }
}
