package dev.nnzip.kernels;

/**
 * One GEMM call, {@code C = act(alpha · op(A) · op(B) + beta · C + bias)}, row-major with leading dimensions, as the
 * {@link Sgemm} façade validated it. Element (i, k) of op(A) is {@code a[aOff + i*lda + k]}, or {@code a[aOff + k*lda +
 * i]} when {@code transA}; likewise for B; when {@code packedB} is non-null it replaces b/bOff/ldb/transB.
 */
record GemmProblem(boolean transA, boolean transB, int m, int n, int k, float alpha,
                   float[] a, int aOff, int lda, float[] b, int bOff, int ldb, PackedB packedB,
                   float beta, float[] c, int cOff, int ldc, Epilogue epilogue) {

    float aAt(int i, int kk) {
        return transA ? a[aOff + kk * lda + i] : a[aOff + i * lda + kk];
    }

    float bAt(int kk, int j) {
        if (packedB != null) {
            return packedB.get(kk, j);
        }
        return transB ? b[bOff + j * ldb + kk] : b[bOff + kk * ldb + j];
    }

    /** True when B is a plain row-major matrix (rows of op(B) are contiguous). */
    boolean bRowMajor() {
        return packedB == null && !transB;
    }
}
