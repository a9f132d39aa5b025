package dev.nnzip.ops.nn;

import dev.nnzip.kernels.PackedB;
import dev.nnzip.kernels.Sgemm;
import java.lang.ref.WeakReference;

/**
 * The packed SGEMM panels of one MatMul node's right-hand matrix, kept across runs while that matrix is the same array.
 *
 * <p>Why: a transformer's MatMuls multiply by constant [hidden, hidden] / [hidden, 4·hidden] weights; packing B again
 * on every call was ~15 % of MiniLM's latency. Kernels cannot tell a weight from an activation, so a matrix is packed
 * and kept only the second time the same array arrives: an activation is a fresh array every run and never qualifies,
 * and in memory modes that decode weights per run the array changes too, so nothing extra is held there. The key is
 * held weakly (a dropped weight frees its entry's purpose; the packed copy goes with the next miss), there is one entry
 * per node, so the extra memory is bounded by one packed copy of each weight. Entries are immutable records swapped
 * through a volatile field, so concurrent runs of the same kernel stay safe (a race only packs twice). Relies on the
 * OpKernel contract that inputs are never modified.
 */
final class PackedWeight {
    private record Entry(WeakReference<float[]> key, int k, int n, PackedB packed) {
        boolean matches(float[] b, int rows, int cols) {
            return key.get() == b && k == rows && n == cols;
        }
    }

    private volatile Entry entry;

    /** The packed form of the {@code k × n} row-major matrix {@code b} (offset 0), or null to use B unpacked. */
    PackedB lookup(float[] b, int k, int n) {
        Entry e = entry;
        if (e != null && e.matches(b, k, n)) {
            if (e.packed() != null) {
                return e.packed();
            }
            PackedB packed = Sgemm.pack(false, k, n, b, 0, n); // second sighting: a constant, worth keeping
            entry = new Entry(e.key(), k, n, packed);
            return packed;
        }
        entry = new Entry(new WeakReference<>(b), k, n, null); // first sighting: remember it, pack as usual
        return null;
    }
}
