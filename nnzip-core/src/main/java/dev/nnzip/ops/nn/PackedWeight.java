package dev.nnzip.ops.nn;

import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * A kernel-ready repacking of one node's constant weight (SGEMM B panels for MatMul, A panels for Conv filters), kept
 * across runs while the weight is the same array.
 *
 * <p>Why: a transformer's MatMuls multiply by constant [hidden, hidden] / [hidden, 4·hidden] weights; packing B again
 * on every call was ~15 % of MiniLM's latency, and packing a CNN's filters again per call costs as much as a small
 * layer's arithmetic. Kernels cannot tell a weight from an activation, so a matrix is packed and kept only the second
 * time the same array arrives: an activation is a fresh array every run and never qualifies, and in memory modes that
 * decode weights per run the array changes too, so nothing extra is held there. The key is held weakly (a dropped
 * weight frees its entry's purpose; the packed copy goes with the next miss), there is one entry per node, so the extra
 * memory is bounded by one packed copy of each weight. Entries are immutable records swapped through a volatile field,
 * so concurrent runs of the same kernel stay safe (a race only packs twice). Relies on the OpKernel contract that inputs
 * are never modified.
 *
 * @param <T> the packed form
 */
final class PackedWeight<T> {
    /** {@code packed}: the packed form, or null while unpacked or when there was nothing to pack ({@code packedOnce}). */
    private record Entry<T>(WeakReference<float[]> key, int[] dims, T packed, boolean packedOnce) {
        boolean matches(float[] w, int[] d) {
            return key.get() == w && Arrays.equals(dims, d);
        }
    }

    private volatile Entry<T> entry;

    /**
     * The packed form of {@code w}, or null on a first sighting, for an array that is not a weight, or when {@code pack}
     * gives null (the caller then works from {@code w} directly).
     *
     * @param weight whether {@code w} is a model weight's array ({@link dev.nnzip.ops.ExecContext#isWeight}): an
     *     activation's array is recycled with other contents, so it must never be taken for a constant by its identity
     * @param dims everything besides the array that the packed form depends on (shape, groups)
     */
    T lookup(boolean weight, float[] w, int[] dims, Supplier<T> pack) {
        if (!weight) {
            return null;
        }
        Entry<T> e = entry;
        if (e != null && e.matches(w, dims)) {
            if (e.packedOnce()) {
                return e.packed();
            }
            // Second sighting: a constant, worth keeping. A null result (the kernel reads this weight as it is, e.g.
            // a depthwise filter) is kept too, so the packer is not asked again on every run.
            T packed = pack.get();
            entry = new Entry<>(e.key(), e.dims(), packed, true);
            return packed;
        }
        entry = new Entry<>(new WeakReference<>(w), dims.clone(), null, false); // first sighting: remember it
        return null;
    }
}
