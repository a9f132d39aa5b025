package dev.nnzip.ops;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

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
 * array is exactly its size. What one run asked for is kept for the next; lengths a run did not ask for are dropped at
 * its end, so a model run at changing shapes (a text model's sequence length) does not hoard old sizes. The pool is
 * used from the session's run thread only (kernels allocate their outputs before they fork).
 */
public final class ActivationPool {
    private final Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();
    private final Set<Integer> asked = new HashSet<>();
    private long retainedBytes;

    /** A zero-filled array of {@code n} floats: a recycled one when one of that length is free, else a new one. */
    public float[] zeros(int n) {
        asked.add(n);
        ArrayDeque<float[]> q = free.get(n);
        float[] a = q == null ? null : q.pollLast(); // the most recently freed: the likeliest still in cache
        if (a == null) {
            return new float[n];
        }
        retainedBytes -= (long) n * Float.BYTES;
        Arrays.fill(a, 0f);
        return a;
    }

    /** Takes back an array no live value holds any more. */
    public void recycle(float[] a) {
        if (a.length == 0) {
            return;
        }
        free.computeIfAbsent(a.length, k -> new ArrayDeque<>()).addLast(a);
        retainedBytes += (long) a.length * Float.BYTES;
    }

    /** Ends a run: drops the free arrays of lengths this run did not ask for. */
    public void endRun() {
        free.entrySet().removeIf(e -> {
            if (asked.contains(e.getKey())) {
                return false;
            }
            retainedBytes -= (long) e.getKey() * Float.BYTES * e.getValue().size();
            return true;
        });
        asked.clear();
    }

    /** Bytes of free arrays held for reuse (resident, but no activation's). */
    public long retainedBytes() {
        return retainedBytes;
    }
}
