package dev.nnzip.ops;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;

/**
 * The float arrays of a session's dead activations, handed out again for new node outputs of the same length (issue 4,
 * activation planning: "buffers reused once their last consumer has run").
 *
 * <p>Why: without it every node output was a fresh array. MobileNetV2 at batch 32 allocated and zeroed ~30 MB per run,
 * arrays of 0.4–3 MB that the JVM places outside the thread-local allocation buffers and that arrive cold in the
 * cache; a recycled array was written a few nodes earlier and is still in L2/L3. ONNX Runtime reuses an arena for the
 * same reason.
 *
 * <p>Only the session gives arrays back, and only once its activation ledger has seen the last value holding one die
 * (not a weight, not a caller's input, not a graph output, no view of it left). Lengths match exactly, since a tensor's
 * array is exactly its size. What the pool may hold is bounded three ways, because a memory-scarce run must not pay
 * for it:
 * <ul>
 *   <li>by bytes: at most {@link #limit} (the session passes its peak of live activation bytes), the least recently
 *       freed arrays leaving first; so the heap holds at most twice the activation peak, where MobileNetV2's batch of
 *       32 would otherwise keep 16.5 MiB of dead arrays against a 5 MiB peak;
 *   <li>by count: no more arrays of a length than it handed out in the run. Kernels that still allocate their own
 *       outputs hand their dead arrays in too, and keeping those held a run's garbage (a layerwise MiniLM ran out of a
 *       16 MiB heap that way);
 *   <li>by use: at the end of a run, per length, no more than the run asked for, so a model run at changing shapes (a
 *       text model's sequence length) does not hoard old sizes.
 * </ul>
 * The pool is used from the session's run thread only (kernels allocate their outputs before they fork).
 */
public final class ActivationPool {
    private final Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();
    /** Every free array, least recently freed first (arrays compare by identity). */
    private final LinkedHashSet<float[]> byAge = new LinkedHashSet<>();
    /** Arrays asked for in this run, by length. */
    private final Map<Integer, Integer> asked = new HashMap<>();
    /** Arrays handed out in this run and not taken back yet, by length. */
    private final Map<Integer, Integer> outstanding = new HashMap<>();
    private long retainedBytes;
    private long limitBytes;

    /** A zero-filled array of {@code n} floats: a recycled one when one of that length is free, else a new one. */
    public float[] zeros(int n) {
        float[] a = take(n);
        if (a == null) {
            return new float[n];
        }
        Arrays.fill(a, 0f);
        return a;
    }

    /**
     * An array of {@code n} floats whose contents are unspecified (a recycled one is not zeroed), for a kernel that
     * overwrites every element of its output: zeroing MobileNetV2's blocked activations cost more than some of its
     * convolutions.
     */
    public float[] uninitialized(int n) {
        float[] a = take(n);
        return a == null ? new float[n] : a;
    }

    /** Counts an array of {@code n} floats as handed out; the free one to reuse (the most recently freed), or null. */
    private float[] take(int n) {
        asked.merge(n, 1, Integer::sum);
        outstanding.merge(n, 1, Integer::sum);
        ArrayDeque<float[]> q = free.get(n);
        float[] a = q == null ? null : q.pollLast(); // the most recently freed: the likeliest still in cache
        if (a != null) {
            forget(a);
        }
        return a;
    }

    /** Takes back an array no live value holds any more (or leaves it to the GC: see the class comment). */
    public void recycle(float[] a) {
        long bytes = (long) a.length * Float.BYTES;
        Integer out = outstanding.get(a.length);
        if (out == null || out == 0 || bytes > limitBytes) {
            return;
        }
        outstanding.put(a.length, out - 1);
        while (retainedBytes + bytes > limitBytes) {
            float[] oldest = byAge.iterator().next();
            free.get(oldest.length).pollFirst(); // a length's oldest is the oldest of all of that length
            forget(oldest);
        }
        free.computeIfAbsent(a.length, k -> new ArrayDeque<>()).addLast(a);
        byAge.add(a);
        retainedBytes += bytes;
    }

    /** The most bytes of free arrays to hold; lowering it does not drop arrays already held until the next recycle. */
    public void limit(long bytes) {
        limitBytes = bytes;
    }

    /** Ends a run: keeps, per length, at most as many free arrays as this run asked for (the most recently freed). */
    public void endRun() {
        free.entrySet().removeIf(e -> {
            int keep = asked.getOrDefault(e.getKey(), 0);
            ArrayDeque<float[]> q = e.getValue();
            while (q.size() > keep) {
                forget(q.pollFirst());
            }
            return q.isEmpty();
        });
        asked.clear();
        outstanding.clear();
    }

    /** Bytes of free arrays held for reuse (resident, but no activation's). */
    public long retainedBytes() {
        return retainedBytes;
    }

    private void forget(float[] a) {
        byAge.remove(a);
        retainedBytes -= (long) a.length * Float.BYTES;
    }
}
