package dev.nnzip.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * SGEMM on the Vector API, organised as in Goto and van de Geijn, "Anatomy of High-Performance Matrix Multiplication"
 * (ACM TOMS 34(3), 2008) and the BLIS framework (Van Zee and van de Geijn, ACM TOMS 41(3), 2015):
 *
 * <pre>
 * for jc in N step NC                      B block (KC × NC) stays in the core's L2
 *   for pc in K step KC                    pack B block into NR-wide column panels (or use a pre-packed B)
 *     for ic in M step MC                  pack A block into MR-tall row panels, alpha folded in
 *       for ir in MC step MR               one A micro-panel (MR × KC) stays in L1 ...
 *         for jr in NC step NR             ... while the B panels stream past it from L2
 *           micro-kernel: C[MR × NR] += A-panel · B-panel, MR × NV vector accumulators in registers
 * </pre>
 *
 * The micro-kernel keeps an MR × NR block of C in {@code MR · NV} vector registers and per k does NV vector loads of B,
 * MR broadcasts of A and {@code MR · NV} fused multiply-adds. With 512-bit vectors (32 registers) it is 6 × 64 floats:
 * 24 accumulators, 4 B vectors and one broadcast; with 256-bit AVX2 (16 registers) 6 × 16 (12 accumulators).
 *
 * <p>Special shapes: {@code M == 1} (a matrix-vector product, memory-bound) streams B row by row without packing (or
 * panel by panel when B is pre-packed); for small M with a row-major B the micro-kernel reads B in place, since B is
 * then used only a few times and copying it would cost as much as the product; for small M with a transposed B every
 * element is a dot product of two contiguous rows, which avoids transposing B. Threads split M (in MR rows) when there
 * are enough rows, otherwise N (in NR columns); each thread runs the whole blocked loop on its part, packing into its
 * own workspace, so no two threads share a buffer.
 */
final class VectorSgemm {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** Rows of the micro-tile. */
    static final int MR = 6;
    /** Vectors per row of the micro-tile: 4 needs 24 + 5 registers, which only 32-register ISAs have. */
    static final int NV = L >= 16 || "aarch64".equals(System.getProperty("os.arch")) ? 4 : 2;
    /** Columns of the micro-tile. */
    static final int NR = NV * L;
    /** Depth of a packed block: an A micro-panel (MR × KC floats) must stay in L1 while B panels stream by. */
    static final int KC = 256;
    /** Width of a packed B block (KC × NC floats = 512 KiB with NR = 64): the core's L2 holds it. */
    static final int NC = Math.max(NR, 512 / NR * NR);
    /** Height of a packed A block; only bounds the workspace, as each A micro-panel is used once per B block. */
    static final int MC = 30 * MR;
    /** Below this many rows and with a row-major B, B is read in place rather than packed. */
    static final int SMALL_M = 2 * MR;
    /** k values per slab when packing a transposed B (16 floats = one 64-byte line of each source row). */
    private static final int TRANSPOSE_DEPTH = 16;
    /** Up to this many rows, a transposed B is multiplied by dot products instead of being packed. */
    static final int SMALL_M_DOT = 32;
    /** Rows of B processed together by the matrix-vector kernel (its accumulator is read/written once per group). */
    private static final int GEMV_ROWS = 4;
    /** Columns of the matrix-vector accumulator (kept in L1). */
    private static final int GEMV_BLOCK = 2048;
    /** Products below this many multiply-adds are not worth a fork/join. */
    private static final long PARALLEL_MIN_FLOPS = KernelSupport.MIN_PARALLEL_WORK;

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private VectorSgemm() {
    }

    /** This thread's packing buffers, for the other kernels of this package that call {@link #blocked}. */
    static Workspace workspace() {
        return WORKSPACE.get();
    }

    /** Per-thread packing buffers, grown on demand and reused across calls. */
    static final class Workspace {
        float[] aPack = new float[0];
        float[] bPack = new float[0];
        final float[] bEdge = new float[KC * NR];
        final float[] tile = new float[MR * NR];
        final float[] gemvAcc = new float[GEMV_BLOCK];
        float[] vec = new float[0];
        private final int[] strideRows = new int[KC];
        private int strideRowsOf = -1;

        /** The row table {@code k·stride} for {@code k < KC}, rebuilt only when the stride changes. */
        int[] strideRows(int stride) {
            if (stride != strideRowsOf) {
                for (int k = 0; k < KC; k++) {
                    strideRows[k] = k * stride;
                }
                strideRowsOf = stride;
            }
            return strideRows;
        }

        float[] aPack(int size) {
            if (aPack.length < size) {
                aPack = new float[size];
            }
            return aPack;
        }

        float[] bPack(int size) {
            if (bPack.length < size) {
                bPack = new float[size];
            }
            return bPack;
        }

        float[] vec(int size) {
            if (vec.length < size) {
                vec = new float[size];
            }
            return vec;
        }
    }

    static void gemm(GemmProblem p, Parallel parallel) {
        int m = p.m();
        int n = p.n();
        long flops = (long) m * n * p.k();
        int threads = parallel.threads();
        boolean gemv = m == 1 && (p.bRowMajor() || p.packedB() != null);
        boolean dot = m <= SMALL_M_DOT && p.packedB() == null && p.transB();
        if (threads == 1 || flops < PARALLEL_MIN_FLOPS) {
            if (gemv) {
                gemv(p, 0, n);
            } else if (dot) {
                dotRows(p, 0, n);
            } else {
                blocked(p, 0, m, 0, n, WORKSPACE.get());
            }
            return;
        }
        if (gemv) {
            int unit = p.packedB() != null ? p.packedB().nr : L; // whole panels of a packed B
            int units = (n + unit - 1) / unit;
            parallel.forRange(units, Math.max(1, 256 / unit), (f, t) -> gemv(p, f * unit, Math.min(n, t * unit)));
        } else if (dot) {
            int units = (n + 3) / 4;
            parallel.forRange(units, 16, (f, t) -> dotRows(p, f * 4, Math.min(n, t * 4)));
        } else if (m >= threads * 4 * MR) {
            int units = (m + MR - 1) / MR;
            parallel.forRange(units, 1, (f, t) -> blocked(p, f * MR, Math.min(m, t * MR), 0, n, WORKSPACE.get()));
        } else {
            int units = (n + NR - 1) / NR;
            parallel.forRange(units, 1, (f, t) -> blocked(p, 0, m, f * NR, Math.min(n, t * NR), WORKSPACE.get()));
        }
    }

    // ---- the blocked algorithm --------------------------------------------------------------------------------------

    /** C[i0:i1, j0:j1] of problem p, single-threaded. */
    static void blocked(GemmProblem p, int i0, int i1, int j0, int j1, Workspace ws) {
        int k = p.k();
        float[] c = p.c();
        int ldc = p.ldc();
        PackedB packed = p.packedB();
        boolean inPlaceB = packed == null && !p.transB() && i1 - i0 <= SMALL_M;
        Epilogue epi = p.epilogue();
        boolean hasEpilogue = !epi.isNone();
        float[] aPack = ws.aPack(roundUp(Math.min(MC, i1 - i0), MR) * Math.min(KC, k));
        float[] tile = ws.tile;
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                float beta = pc == 0 ? p.beta() : 1f;
                boolean last = pc + kc == k;
                float[] bPack = null;
                int fullPanelsEnd = nc; // columns [0, fullPanelsEnd) of the block are read in place (inPlaceB)
                if (packed == null && !inPlaceB) {
                    bPack = ws.bPack(roundUp(nc, NR) * kc);
                    packB(p, pc, kc, jc, nc, bPack);
                } else if (inPlaceB && nc % NR != 0) {
                    fullPanelsEnd = nc - nc % NR;
                    packB(p, pc, kc, jc + fullPanelsEnd, nc - fullPanelsEnd, ws.bEdge);
                }
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    packA(p, ic, mc, pc, kc, aPack);
                    for (int ir = 0; ir < mc; ir += MR) {
                        int mr = Math.min(MR, mc - ir);
                        int ao = ir * kc; // panel ir/MR starts at (ir/MR)·MR·kc
                        for (int jr = 0; jr < nc; jr += NR) {
                            int nr = Math.min(NR, nc - jr);
                            float[] bArr;
                            int bo;
                            int bs;
                            if (packed != null) {
                                bArr = packed.data;
                                bo = PackedB.offset(jc + jr, packed.k, packed.nr) + pc * packed.nr;
                                bs = packed.nr;
                            } else if (bPack != null) {
                                bArr = bPack;
                                bo = jr * kc;
                                bs = NR;
                            } else if (jr < fullPanelsEnd) {
                                bArr = p.b();
                                bo = p.bOff() + pc * p.ldb() + jc + jr;
                                bs = p.ldb();
                            } else {
                                bArr = ws.bEdge;
                                bo = 0;
                                bs = NR;
                            }
                            int co = p.cOff() + (ic + ir) * ldc + jc + jr;
                            int[] rows = ws.strideRows(bs);
                            if (mr == MR && nr == NR) {
                                kernel(kc, aPack, ao, bArr, bo, rows, 0, c, co, ldc, beta, tile);
                            } else {
                                store(kc, aPack, ao, bArr, bo, rows, 0, tile, 0, NR);
                                mergeTile(tile, mr, nr, c, co, ldc, beta);
                            }
                            if (last && hasEpilogue) {
                                epi.apply(c, p.cOff(), ldc, ic + ir, mr, jc + jr, nr, true);
                            }
                        }
                    }
                }
            }
        }
    }

    static int roundUp(int x, int unit) {
        return (x + unit - 1) / unit * unit;
    }

    /**
     * Packs rows [ic, ic+mc) × columns [pc, pc+kc) of alpha·op(A) into MR-row panels: panel r holds, for each k, the
     * MR values of rows r·MR.. contiguously. Rows past mc in the last panel are zero.
     */
    static void packA(GemmProblem p, int ic, int mc, int pc, int kc, float[] dst) {
        float[] a = p.a();
        float alpha = p.alpha();
        int lda = p.lda();
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int base = ir * kc;
            if (mr < MR) {
                Arrays.fill(dst, base, base + MR * kc, 0f);
            }
            if (!p.transA()) {
                for (int r = 0; r < mr; r++) {
                    int src = p.aOff() + (ic + ir + r) * lda + pc;
                    int d = base + r;
                    for (int kk = 0; kk < kc; kk++, d += MR) {
                        dst[d] = alpha * a[src + kk];
                    }
                }
            } else {
                for (int kk = 0; kk < kc; kk++) {
                    int src = p.aOff() + (pc + kk) * lda + ic + ir;
                    int d = base + kk * MR;
                    for (int r = 0; r < mr; r++) {
                        dst[d + r] = alpha * a[src + r];
                    }
                }
            }
        }
    }

    /**
     * Packs rows [pc, pc+kc) × columns [jc, jc+nc) of op(B) into NR-column panels, panel j at {@code j·kc} (j counted
     * in columns), each k-major. Columns past nc in the last panel are zero.
     */
    static void packB(GemmProblem p, int pc, int kc, int jc, int nc, float[] dst) {
        float[] b = p.b();
        int ldb = p.ldb();
        int tail = nc % NR;
        if (tail != 0) {
            int base = (nc - tail) * kc;
            Arrays.fill(dst, base, base + NR * kc, 0f);
        }
        if (!p.transB()) {
            // k outer so B is read row by row, sequentially (a page-crossing column walk defeats the prefetchers).
            for (int kk = 0; kk < kc; kk++) {
                int src = p.bOff() + (pc + kk) * ldb + jc;
                for (int jr = 0; jr < nc; jr += NR) {
                    System.arraycopy(b, src + jr, dst, jr * kc + kk * NR, Math.min(NR, nc - jr));
                }
            }
        } else {
            // A transpose. Done in slabs of TRANSPOSE_DEPTH k so the destination slab (TRANSPOSE_DEPTH × NR floats)
            // stays in L1 while every source row contributes one cache line to it.
            for (int k0 = 0; k0 < kc; k0 += TRANSPOSE_DEPTH) {
                int depth = Math.min(TRANSPOSE_DEPTH, kc - k0);
                for (int j = 0; j < nc; j++) {
                    int src = p.bOff() + (jc + j) * ldb + pc + k0;
                    int d = (j - j % NR) * kc + k0 * NR + j % NR;
                    for (int kk = 0; kk < depth; kk++, d += NR) {
                        dst[d] = b[src + kk];
                    }
                }
            }
        }
    }

    /** c[mr × nr] = tile + beta·c (beta 0: c is not read, so NaN/garbage in C never leaks in, as BLAS specifies). */
    private static void mergeTile(float[] tile, int mr, int nr, float[] c, int co, int ldc, float beta) {
        for (int r = 0; r < mr; r++) {
            int t = r * NR;
            int d = co + r * ldc;
            if (beta == 0f) {
                System.arraycopy(tile, t, c, d, nr);
            } else {
                for (int j = 0; j < nr; j++) {
                    c[d + j] = tile[t + j] + beta * c[d + j];
                }
            }
        }
    }

    // ---- micro-kernels ----------------------------------------------------------------------------------------------

    /**
     * C[MR × NR] = A-panel · B-panel + beta · C over kc steps. A-panel: MR floats per k at {@code a[ao + k·MR]};
     * B-panel: NR floats per k at {@code b[bo + rows[r0 + k]]}.
     *
     * <p>B's rows are found through a table rather than a fixed stride so that the same register-blocked kernel serves
     * both an ordinary matrix ({@code rows[k] = k·stride}, see {@link Workspace#strideRows}) and a stride-1
     * convolution read straight from its padded input ({@link ShiftedConvolution}), whose rows are shifted windows of
     * the image. The table costs one L1 load per k against 4 vector loads and 24 FMAs.
     */
    static void kernel(int kc, float[] a, int ao, float[] b, int bo, int[] rows, int r0, float[] c, int co, int ldc,
                       float beta, float[] tile) {
        if (beta == 0f) {
            store(kc, a, ao, b, bo, rows, r0, c, co, ldc);
        } else {
            store(kc, a, ao, b, bo, rows, r0, tile, 0, NR);
            accumulateTile(tile, c, co, ldc, beta);
        }
    }

    private static void store(int kc, float[] a, int ao, float[] b, int bo, int[] rows, int r0, float[] c, int co,
                              int ldc) {
        if (NV == 4) {
            kernel6x4(kc, a, ao, b, bo, rows, r0, c, co, ldc);
        } else {
            kernel6x2(kc, a, ao, b, bo, rows, r0, c, co, ldc);
        }
    }

    /**
     * C[MR × NR] = beta·C + tile, in the rounding the kernels had when they read C themselves ({@code fma(c, beta,
     * acc)}, exact for beta 1). Kept out of the micro-kernels on purpose: C2's memory while compiling a method grows
     * faster than linearly with its vector call sites (incremental inlining reruns IGVN over the whole graph per
     * site), and the 48 extra loads and FMAs of this epilogue took the 6×4 kernel's compilation to 45 MB of arena —
     * the largest single item in the engine's peak RSS (measured with {@code -XX:CompileCommand=MemStat,*.*,print}).
     * The tile round trip costs 2·MR·NV vector moves in L1 per kc ≥ 1 steps, and only for k beyond the first block.
     */
    private static void accumulateTile(float[] tile, float[] c, int co, int ldc, float beta) {
        FloatVector bv = FloatVector.broadcast(S, beta);
        for (int r = 0, t = 0, o = co; r < MR; r++, o += ldc) {
            for (int j = 0; j < NR; j += L, t += L) {
                FloatVector.fromArray(S, c, o + j).fma(bv, FloatVector.fromArray(S, tile, t)).intoArray(c, o + j);
            }
        }
    }


    // The accumulators are spelled out one by one: C2 keeps named locals in registers, where an array of vectors
    // would be a heap object. Keep the loop body free of calls that might not inline.
    @SuppressWarnings("DuplicatedCode")
    private static void kernel6x4(int kc, float[] a, int ao, float[] b, int bo, int[] rows, int r0, float[] c,
                                  int co, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        FloatVector c40 = c00, c41 = c00, c42 = c00, c43 = c00;
        FloatVector c50 = c00, c51 = c00, c52 = c00, c53 = c00;
        for (int p = 0; p < kc; p++, ao += MR) {
            int bp = bo + rows[r0 + p];
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, b, bp + 3 * L);
            FloatVector av = FloatVector.broadcast(S, a[ao]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            c02 = av.fma(b2, c02);
            c03 = av.fma(b3, c03);
            av = FloatVector.broadcast(S, a[ao + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            c12 = av.fma(b2, c12);
            c13 = av.fma(b3, c13);
            av = FloatVector.broadcast(S, a[ao + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            c22 = av.fma(b2, c22);
            c23 = av.fma(b3, c23);
            av = FloatVector.broadcast(S, a[ao + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            c32 = av.fma(b2, c32);
            c33 = av.fma(b3, c33);
            av = FloatVector.broadcast(S, a[ao + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            c42 = av.fma(b2, c42);
            c43 = av.fma(b3, c43);
            av = FloatVector.broadcast(S, a[ao + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            c52 = av.fma(b2, c52);
            c53 = av.fma(b3, c53);
        }
        // Stores are written out here rather than in a helper: a FloatVector passed to a method C2 does not inline
        // gets boxed, and the boxes leak into the loop above (a 6x slowdown, measured). C's old value is added by
        // the caller (accumulateTile), not here: see there why.
        int o = co;
        c00.intoArray(c, o);
        c01.intoArray(c, o + L);
        c02.intoArray(c, o + 2 * L);
        c03.intoArray(c, o + 3 * L);
        o += ldc;
        c10.intoArray(c, o);
        c11.intoArray(c, o + L);
        c12.intoArray(c, o + 2 * L);
        c13.intoArray(c, o + 3 * L);
        o += ldc;
        c20.intoArray(c, o);
        c21.intoArray(c, o + L);
        c22.intoArray(c, o + 2 * L);
        c23.intoArray(c, o + 3 * L);
        o += ldc;
        c30.intoArray(c, o);
        c31.intoArray(c, o + L);
        c32.intoArray(c, o + 2 * L);
        c33.intoArray(c, o + 3 * L);
        o += ldc;
        c40.intoArray(c, o);
        c41.intoArray(c, o + L);
        c42.intoArray(c, o + 2 * L);
        c43.intoArray(c, o + 3 * L);
        o += ldc;
        c50.intoArray(c, o);
        c51.intoArray(c, o + L);
        c52.intoArray(c, o + 2 * L);
        c53.intoArray(c, o + 3 * L);
    }

    @SuppressWarnings("DuplicatedCode")
    private static void kernel6x2(int kc, float[] a, int ao, float[] b, int bo, int[] rows, int r0, float[] c,
                                  int co, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00;
        FloatVector c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00;
        FloatVector c40 = c00, c41 = c00;
        FloatVector c50 = c00, c51 = c00;
        for (int p = 0; p < kc; p++, ao += MR) {
            int bp = bo + rows[r0 + p];
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector av = FloatVector.broadcast(S, a[ao]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, a[ao + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, a[ao + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, a[ao + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(S, a[ao + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(S, a[ao + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
        }
        int o = co;
        c00.intoArray(c, o);
        c01.intoArray(c, o + L);
        o += ldc;
        c10.intoArray(c, o);
        c11.intoArray(c, o + L);
        o += ldc;
        c20.intoArray(c, o);
        c21.intoArray(c, o + L);
        o += ldc;
        c30.intoArray(c, o);
        c31.intoArray(c, o + L);
        o += ldc;
        c40.intoArray(c, o);
        c41.intoArray(c, o + L);
        o += ldc;
        c50.intoArray(c, o);
        c51.intoArray(c, o + L);
    }

    // Rotations by 8, 4, 2 and 1 lanes: the fixed pairing of sum(). Separate constants, not an array, so C2 sees
    // each shuffle as a constant of a known class and intrinsifies the rearrange (from an array it did not: the
    // Java fallback made the dot-product path twice as slow).
    private static final VectorShuffle<Float> ROTATE_8 = VectorShuffle.iota(S, L >= 16 ? 8 : 0, 1, true);
    private static final VectorShuffle<Float> ROTATE_4 = VectorShuffle.iota(S, L >= 8 ? 4 : 0, 1, true);
    private static final VectorShuffle<Float> ROTATE_2 = VectorShuffle.iota(S, L >= 4 ? 2 : 0, 1, true);
    private static final VectorShuffle<Float> ROTATE_1 = VectorShuffle.iota(S, L >= 2 ? 1 : 0, 1, true);

    /**
     * The sum of the lanes in a fixed order (pairwise: halves, then quarters, ...). Not {@code reduceLanes(ADD)}: its
     * order is unspecified and differs between the interpreter's Java fallback and C2's intrinsic, so a model's output
     * changed in its last bits once the JIT had compiled the kernel (caught by the test that runs every memory mode and
     * demands bit-identical outputs).
     */
    static float sum(FloatVector v) {
        if (L >= 32) { // no such species today; keep the pairing exact if one comes
            float[] lanes = new float[L];
            v.intoArray(lanes, 0);
            float total = 0;
            for (float x : lanes) {
                total += x;
            }
            return total;
        }
        if (L >= 16) {
            v = v.add(v.rearrange(ROTATE_8));
        }
        if (L >= 8) {
            v = v.add(v.rearrange(ROTATE_4));
        }
        if (L >= 4) {
            v = v.add(v.rearrange(ROTATE_2));
        }
        if (L >= 2) {
            v = v.add(v.rearrange(ROTATE_1));
        }
        return v.lane(0);
    }

    // ---- matrix-vector (M == 1) -------------------------------------------------------------------------------------

    /** Columns [j0, j1) of the 1 × N product, for a row-major or packed B (j0 then starts a panel). */
    static void gemv(GemmProblem p, int j0, int j1) {
        if (j0 >= j1) {
            return;
        }
        Workspace ws = WORKSPACE.get();
        int k = p.k();
        // op(A) is a 1 × K row; gather it contiguously (it is strided when A is transposed).
        float[] x;
        int xo;
        if (!p.transA() || p.lda() == 1 || k == 1) {
            x = p.a();
            xo = p.aOff();
        } else {
            x = ws.vec(k);
            xo = 0;
            for (int kk = 0; kk < k; kk++) {
                x[kk] = p.a()[p.aOff() + kk * p.lda()];
            }
        }
        if (p.packedB() != null) {
            gemvPanels(p, x, xo, j0, j1, ws);
        } else {
            gemvRows(p, x, xo, j0, j1, ws);
        }
    }

    /** y = alpha·x·B for a packed B: each panel (k-major, NR wide) is one sequential stream. */
    private static void gemvPanels(GemmProblem p, float[] x, int xo, int j0, int j1, Workspace ws) {
        PackedB b = p.packedB();
        int k = p.k();
        int nr = b.nr;
        float alpha = p.alpha();
        float[] out = ws.tile;
        for (int j = j0; j < j1; j += nr) {
            int base = PackedB.offset(j, b.k, nr);
            if (nr == 4 * L) {
                FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
                for (int kk = 0, o = base; kk < k; kk++, o += nr) {
                    FloatVector xv = FloatVector.broadcast(S, alpha * x[xo + kk]);
                    s0 = xv.fma(FloatVector.fromArray(S, b.data, o), s0);
                    s1 = xv.fma(FloatVector.fromArray(S, b.data, o + L), s1);
                    s2 = xv.fma(FloatVector.fromArray(S, b.data, o + 2 * L), s2);
                    s3 = xv.fma(FloatVector.fromArray(S, b.data, o + 3 * L), s3);
                }
                s0.intoArray(out, 0);
                s1.intoArray(out, L);
                s2.intoArray(out, 2 * L);
                s3.intoArray(out, 3 * L);
            } else {
                for (int v = 0; v < nr; v += L) {
                    FloatVector s0 = FloatVector.zero(S);
                    for (int kk = 0, o = base + v; kk < k; kk++, o += nr) {
                        s0 = FloatVector.broadcast(S, alpha * x[xo + kk]).fma(FloatVector.fromArray(S, b.data, o), s0);
                    }
                    s0.intoArray(out, v);
                }
            }
            finishRow(p, out, j, Math.min(nr, j1 - j));
        }
    }

    /** y = alpha·x·B for a row-major B: rows of B stream through in order, GEMV_ROWS at a time, into an L1 accumulator.
    * */
    private static void gemvRows(GemmProblem p, float[] x, int xo, int j0, int j1, Workspace ws) {
        int k = p.k();
        float[] b = p.b();
        int ldb = p.ldb();
        float alpha = p.alpha();
        float[] acc = ws.gemvAcc;
        for (int jb = j0; jb < j1; jb += GEMV_BLOCK) {
            int w = Math.min(GEMV_BLOCK, j1 - jb);
            int wv = w - w % L;
            Arrays.fill(acc, 0, w, 0f);
            int kk = 0;
            for (; kk + GEMV_ROWS <= k; kk += GEMV_ROWS) {
                float x0 = alpha * x[xo + kk];
                float x1 = alpha * x[xo + kk + 1];
                float x2 = alpha * x[xo + kk + 2];
                float x3 = alpha * x[xo + kk + 3];
                int r0 = p.bOff() + kk * ldb + jb;
                int r1 = r0 + ldb;
                int r2 = r1 + ldb;
                int r3 = r2 + ldb;
                FloatVector v0 = FloatVector.broadcast(S, x0);
                FloatVector v1 = FloatVector.broadcast(S, x1);
                FloatVector v2 = FloatVector.broadcast(S, x2);
                FloatVector v3 = FloatVector.broadcast(S, x3);
                int j = 0;
                for (; j < wv; j += L) {
                    FloatVector s = FloatVector.fromArray(S, acc, j);
                    s = v0.fma(FloatVector.fromArray(S, b, r0 + j), s);
                    s = v1.fma(FloatVector.fromArray(S, b, r1 + j), s);
                    s = v2.fma(FloatVector.fromArray(S, b, r2 + j), s);
                    s = v3.fma(FloatVector.fromArray(S, b, r3 + j), s);
                    s.intoArray(acc, j);
                }
                for (; j < w; j++) {
                    acc[j] = Math.fma(x3, b[r3 + j], Math.fma(x2, b[r2 + j], Math.fma(x1, b[r1 + j],
                            Math.fma(x0, b[r0 + j], acc[j]))));
                }
            }
            for (; kk < k; kk++) {
                float x0 = alpha * x[xo + kk];
                FloatVector v0 = FloatVector.broadcast(S, x0);
                int r0 = p.bOff() + kk * ldb + jb;
                int j = 0;
                for (; j < wv; j += L) {
                    v0.fma(FloatVector.fromArray(S, b, r0 + j), FloatVector.fromArray(S, acc, j)).intoArray(acc, j);
                }
                for (; j < w; j++) {
                    acc[j] = Math.fma(x0, b[r0 + j], acc[j]);
                }
            }
            finishRow(p, acc, jb, w);
        }
    }

    // ---- small M with a transposed B: dot products, no packing ------------------------------------------------------

    /**
     * Rows [0, m) × columns [j0, j1) of C for a transposed B: every element is a dot product of a row of op(A) with a
     * row of B (both contiguous in k), computed four rows × four columns at a time so each loaded vector feeds four
     * FMAs. Packing a transposed B would cost a transpose of all of B on every call, which for small M costs more than
     * the product itself (measured: 6 GB/s transposing vs 25 GB/s copying).
     */
    static void dotRows(GemmProblem p, int j0, int j1) {
        if (j0 >= j1) {
            return;
        }
        int m = p.m();
        int k = p.k();
        float[] a;
        int aOff;
        int lda;
        if (!p.transA()) {
            a = p.a();
            aOff = p.aOff();
            lda = p.lda();
        } else { // gather op(A) rows contiguously
            a = WORKSPACE.get().vec(m * k);
            aOff = 0;
            lda = k;
            for (int i = 0; i < m; i++) {
                for (int kk = 0; kk < k; kk++) {
                    a[i * k + kk] = p.a()[p.aOff() + kk * p.lda() + i];
                }
            }
        }
        float[] out = new float[16];
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int j = j0;
            for (; j + 4 <= j1; j += 4) {
                dot4x4(a, aOff + i * lda, lda, p.b(), p.bOff() + j * p.ldb(), p.ldb(), k, out);
                for (int r = 0; r < 4; r++) {
                    finish(p, out, r * 4, i + r, j, 4);
                }
            }
            for (; j < j1; j++) {
                for (int r = 0; r < 4; r++) {
                    out[r] = dot(a, aOff + (i + r) * lda, p.b(), p.bOff() + j * p.ldb(), k);
                    finish(p, out, r, i + r, j, 1);
                }
            }
            p.epilogue().apply(p.c(), p.cOff(), p.ldc(), i, 4, j0, j1 - j0, true);
        }
        for (; i < m; i++) {
            int j = j0;
            for (; j + 4 <= j1; j += 4) {
                dot1x4(a, aOff + i * lda, p.b(), p.bOff() + j * p.ldb(), p.ldb(), k, out);
                finish(p, out, 0, i, j, 4);
            }
            for (; j < j1; j++) {
                out[0] = dot(a, aOff + i * lda, p.b(), p.bOff() + j * p.ldb(), k);
                finish(p, out, 0, i, j, 1);
            }
            p.epilogue().apply(p.c(), p.cOff(), p.ldc(), i, 1, j0, j1 - j0, true);
        }
    }

    /** out[r·4 + c] = dot(A row r, B row c) for four rows of A at a (stride lda) and four rows of B at b (stride ldb).
    * */
    @SuppressWarnings("DuplicatedCode")
    private static void dot4x4(float[] a, int ao, int lda, float[] b, int bo, int ldb, int k, float[] out) {
        int kv = k - k % L;
        FloatVector s00 = FloatVector.zero(S), s01 = s00, s02 = s00, s03 = s00;
        FloatVector s10 = s00, s11 = s00, s12 = s00, s13 = s00;
        FloatVector s20 = s00, s21 = s00, s22 = s00, s23 = s00;
        FloatVector s30 = s00, s31 = s00, s32 = s00, s33 = s00;
        int a1 = ao + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        int b1 = bo + ldb;
        int b2 = b1 + ldb;
        int b3 = b2 + ldb;
        for (int kk = 0; kk < kv; kk += L) {
            FloatVector y0 = FloatVector.fromArray(S, b, bo + kk);
            FloatVector y1 = FloatVector.fromArray(S, b, b1 + kk);
            FloatVector y2 = FloatVector.fromArray(S, b, b2 + kk);
            FloatVector y3 = FloatVector.fromArray(S, b, b3 + kk);
            FloatVector x = FloatVector.fromArray(S, a, ao + kk);
            s00 = x.fma(y0, s00);
            s01 = x.fma(y1, s01);
            s02 = x.fma(y2, s02);
            s03 = x.fma(y3, s03);
            x = FloatVector.fromArray(S, a, a1 + kk);
            s10 = x.fma(y0, s10);
            s11 = x.fma(y1, s11);
            s12 = x.fma(y2, s12);
            s13 = x.fma(y3, s13);
            x = FloatVector.fromArray(S, a, a2 + kk);
            s20 = x.fma(y0, s20);
            s21 = x.fma(y1, s21);
            s22 = x.fma(y2, s22);
            s23 = x.fma(y3, s23);
            x = FloatVector.fromArray(S, a, a3 + kk);
            s30 = x.fma(y0, s30);
            s31 = x.fma(y1, s31);
            s32 = x.fma(y2, s32);
            s33 = x.fma(y3, s33);
        }
        out[0] = sum(s00);
        out[1] = sum(s01);
        out[2] = sum(s02);
        out[3] = sum(s03);
        out[4] = sum(s10);
        out[5] = sum(s11);
        out[6] = sum(s12);
        out[7] = sum(s13);
        out[8] = sum(s20);
        out[9] = sum(s21);
        out[10] = sum(s22);
        out[11] = sum(s23);
        out[12] = sum(s30);
        out[13] = sum(s31);
        out[14] = sum(s32);
        out[15] = sum(s33);
        for (int kk = kv; kk < k; kk++) {
            for (int r = 0; r < 4; r++) {
                float xr = a[ao + r * lda + kk];
                for (int c = 0; c < 4; c++) {
                    out[r * 4 + c] += xr * b[bo + c * ldb + kk];
                }
            }
        }
    }

    /** out[c] = dot(A row, B row c) for one row of A and four rows of B. */
    private static void dot1x4(float[] a, int ao, float[] b, int bo, int ldb, int k, float[] out) {
        int kv = k - k % L;
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        int b1 = bo + ldb;
        int b2 = b1 + ldb;
        int b3 = b2 + ldb;
        for (int kk = 0; kk < kv; kk += L) {
            FloatVector x = FloatVector.fromArray(S, a, ao + kk);
            s0 = x.fma(FloatVector.fromArray(S, b, bo + kk), s0);
            s1 = x.fma(FloatVector.fromArray(S, b, b1 + kk), s1);
            s2 = x.fma(FloatVector.fromArray(S, b, b2 + kk), s2);
            s3 = x.fma(FloatVector.fromArray(S, b, b3 + kk), s3);
        }
        out[0] = sum(s0);
        out[1] = sum(s1);
        out[2] = sum(s2);
        out[3] = sum(s3);
        for (int kk = kv; kk < k; kk++) {
            float x = a[ao + kk];
            out[0] += x * b[bo + kk];
            out[1] += x * b[b1 + kk];
            out[2] += x * b[b2 + kk];
            out[3] += x * b[b3 + kk];
        }
    }

    private static float dot(float[] a, int ao, float[] b, int bo, int k) {
        int kv = k - k % L;
        FloatVector s = FloatVector.zero(S);
        for (int kk = 0; kk < kv; kk += L) {
            s = FloatVector.fromArray(S, a, ao + kk).fma(FloatVector.fromArray(S, b, bo + kk), s);
        }
        float d = sum(s);
        for (int kk = kv; kk < k; kk++) {
            d += a[ao + kk] * b[bo + kk];
        }
        return d;
    }

    /** C[i, j .. j+w) = alpha·v[vo ..] + beta·C (no epilogue: the caller applies it to whole rows). */
    private static void finish(GemmProblem p, float[] v, int vo, int i, int j, int w) {
        float[] c = p.c();
        int o = p.cOff() + i * p.ldc() + j;
        float alpha = p.alpha();
        float beta = p.beta();
        for (int t = 0; t < w; t++) {
            float r = alpha * v[vo + t];
            c[o + t] = beta == 0f ? r : r + beta * c[o + t];
        }
    }

    /** C[0, j0 .. j0+w) = v + beta·C, then the epilogue. */
    private static void finishRow(GemmProblem p, float[] v, int j0, int w) {
        float[] c = p.c();
        int o = p.cOff() + j0;
        float beta = p.beta();
        if (beta == 0f) {
            System.arraycopy(v, 0, c, o, w);
        } else {
            for (int j = 0; j < w; j++) {
                c[o + j] = v[j] + beta * c[o + j];
            }
        }
        p.epilogue().apply(c, p.cOff(), p.ldc(), 0, 1, j0, w, true);
    }
}
