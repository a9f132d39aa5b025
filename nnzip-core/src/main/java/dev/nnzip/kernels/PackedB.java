package dev.nnzip.kernels;

/**
 * The right-hand operand of a GEMM rearranged once into the layout the micro-kernel streams: column panels of
 * {@link #panelWidth()} columns, each stored k-major ({@code K × panelWidth} contiguous floats), the last panel padded
 * with zeros. This is the "packed B panel" of Goto and van de Geijn, "Anatomy of High-Performance Matrix
 * Multiplication" (ACM TOMS 34(3), 2008), built for the whole K extent so a constant weight matrix is packed once
 * instead of on every call.
 *
 * <p>Packing is one pass over B (a copy, no arithmetic), so it is cheap enough to redo whenever weights are decoded
 * again. Instances are immutable after construction and safe to share between threads.
 */
public final class PackedB {
    /** Panel width used when the vector kernels are off (any width works for the scalar reference). */
    static final int SCALAR_PANEL = 16;

    final int k;
    final int n;
    final int nr;
    final float[] data;

    PackedB(int k, int n, int nr, float[] data) {
        this.k = k;
        this.n = n;
        this.nr = nr;
        this.data = data;
    }

    /** The panel width of the active kernels (the micro-kernel's NR). */
    static int defaultPanelWidth() {
        return panelWidth(KernelSupport.vectorEnabled());
    }

    /** The panel width the vector (NR of the micro-kernel) or the scalar kernels expect. */
    static int panelWidth(boolean vector) {
        return vector ? VectorSgemm.NR : SCALAR_PANEL;
    }

    /** An uninitialized (zero) packed matrix to be filled by a packing routine of this package. */
    static PackedB allocate(int k, int n) {
        int nr = defaultPanelWidth();
        int panels = (n + nr - 1) / nr;
        return new PackedB(k, n, nr, new float[Math.multiplyExact(Math.multiplyExact(panels, nr), Math.max(k, 1))]);
    }

    /**
     * Packs {@code op(B)}, a {@code k × n} matrix: element (kk, j) is {@code b[off + kk * ld + j]}, or
     * {@code b[off + j * ld + kk]} when {@code transposed}.
     */
    static PackedB pack(boolean transposed, int k, int n, float[] b, int off, int ld) {
        PackedB p = allocate(k, n);
        int nr = p.nr;
        float[] d = p.data;
        for (int j0 = 0; j0 < n; j0 += nr) {
            int cols = Math.min(nr, n - j0);
            int base = offset(j0, k, nr);
            if (!transposed) {
                for (int kk = 0; kk < k; kk++) {
                    System.arraycopy(b, off + kk * ld + j0, d, base + kk * nr, cols);
                }
            } else {
                for (int j = 0; j < cols; j++) {
                    int src = off + (j0 + j) * ld;
                    for (int kk = 0; kk < k; kk++) {
                        d[base + kk * nr + j] = b[src + kk];
                    }
                }
            }
        }
        return p;
    }

    /** Index in {@link #data} of element (0, j0) of the panel that starts at column {@code j0}. */
    static int offset(int j0, int k, int nr) {
        return (j0 / nr) * nr * k;
    }

    /** Element (kk, j) of the packed matrix. */
    float get(int kk, int j) {
        return data[offset(j, k, nr) + kk * nr + j % nr];
    }

    /** Rows (the shared K dimension). */
    public int rows() {
        return k;
    }

    /** Columns (N). */
    public int columns() {
        return n;
    }

    /** Columns per panel. */
    public int panelWidth() {
        return nr;
    }

    /** Heap bytes of the packed form (includes padding of the last panel). */
    public long heapBytes() {
        return 4L * data.length;
    }
}
