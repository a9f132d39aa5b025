package dev.nnzip.kernels;

/**
 * The reference SGEMM: the textbook triple loop, written for clarity, not speed. It is the oracle the vector kernel is
 * tested against and the path taken when the Vector API is off. Accumulation is in float, in increasing k, then
 * {@code alpha · sum + beta · C}.
 */
final class ScalarSgemm {
    private ScalarSgemm() {
    }

    static void gemm(GemmProblem p, Parallel parallel) {
        // Each row of C is independent; a row costs n·k multiply-adds, so ask for enough rows per chunk to pay a task.
        int minRows = Math.max(1, (1 << 16) / Math.max(1, p.n() * p.k()));
        parallel.forRange(p.m(), minRows, (from, to) -> rows(p, from, to));
    }

    static void rows(GemmProblem p, int from, int to) {
        int n = p.n();
        int k = p.k();
        float[] acc = new float[n];
        float[] c = p.c();
        for (int i = from; i < to; i++) {
            java.util.Arrays.fill(acc, 0f);
            if (p.bRowMajor()) {
                // i-k-j order: the inner loop runs along a row of B and of the accumulator.
                for (int kk = 0; kk < k; kk++) {
                    float aik = p.aAt(i, kk);
                    int bRow = p.bOff() + kk * p.ldb();
                    float[] b = p.b();
                    for (int j = 0; j < n; j++) {
                        acc[j] += aik * b[bRow + j];
                    }
                }
            } else {
                for (int j = 0; j < n; j++) {
                    float s = 0;
                    for (int kk = 0; kk < k; kk++) {
                        s += p.aAt(i, kk) * p.bAt(kk, j);
                    }
                    acc[j] = s;
                }
            }
            int row = p.cOff() + i * p.ldc();
            for (int j = 0; j < n; j++) {
                float v = p.alpha() * acc[j];
                c[row + j] = p.beta() == 0 ? v : v + p.beta() * c[row + j];
            }
            p.epilogue().apply(c, p.cOff(), p.ldc(), i, 1, 0, n, false);
        }
    }
}
