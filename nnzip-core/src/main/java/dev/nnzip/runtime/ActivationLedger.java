package dev.nnzip.runtime;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * The engine's count of live activation bytes, by distinct buffer. A buffer is any object compared by identity: the
 * session passes a tensor's data array, the {@link ActivationPlanner} an abstract buffer of a planned size. Both feed
 * the same events in the same order, so the planned peak is the measured one by construction of this one class.
 *
 * <p>Ops such as Reshape return views that share their input's array, which must not be counted twice; weights and
 * caller inputs are "external" (not activations), and so are views of them while they are marked.
 */
final class ActivationLedger {
    private final IdentityHashMap<Object, Integer> refs = new IdentityHashMap<>();
    private final Set<Object> external = Collections.newSetFromMap(new IdentityHashMap<>());
    private long live;
    private long peak;

    /** Marks a weight's or an input's buffer: values sharing it are not activations. Null is ignored. */
    void external(Object buffer) {
        if (buffer != null) {
            external.add(buffer);
        }
    }

    /**
     * Drops the mark of a released weight: the set must not keep a decoded weight reachable after the store let it go
     * (it held every layer of a layerwise run until the run ended, the whole decoded model).
     */
    void forgetExternal(Object buffer) {
        if (buffer != null) {
            external.remove(buffer);
        }
    }

    /** True when {@code buffer} is an activation that no other live value shares. */
    boolean soleOwner(Object buffer) {
        return !external.contains(buffer) && Integer.valueOf(1).equals(refs.get(buffer));
    }

    /** A value holding {@code buffer} ({@code bytes} on the heap) became live. Null is ignored. */
    void produced(Object buffer, long bytes) {
        if (buffer == null || external.contains(buffer)) {
            return;
        }
        if (refs.merge(buffer, 1, Integer::sum) == 1) {
            live += bytes;
            peak = Math.max(peak, live);
        }
    }

    /**
     * A value holding {@code buffer} died; the bytes are given back when no other live value holds it.
     *
     * @return true when that was the last value holding this activation buffer: it is free for reuse
     */
    boolean freed(Object buffer, long bytes) {
        if (buffer == null) {
            return false;
        }
        Integer n = refs.get(buffer);
        if (n == null) {
            return false; // a weight or an input passed through an op that returned it as is
        }
        if (n == 1) {
            refs.remove(buffer);
            live -= bytes;
            return true;
        }
        refs.put(buffer, n - 1);
        return false;
    }

    /**
     * Of the inputs marked in {@code dying} (bit i: the plan says input i's value dies with the node), those whose
     * buffer the node may write its output into: an activation no other live value shares (a Reshape view may) and no
     * other input of the node reads. {@code buffers[i]} is input i's buffer, null when absent.
     */
    long overwritable(long dying, Object[] buffers) {
        long mask = 0;
        for (int i = 0; dying != 0 && i < buffers.length; i++, dying >>>= 1) {
            if ((dying & 1) != 0 && buffers[i] != null && soleOwner(buffers[i]) && !sharedWithOther(buffers, i)) {
                mask |= 1L << i;
            }
        }
        return mask;
    }

    private static boolean sharedWithOther(Object[] buffers, int i) {
        for (int j = 0; j < buffers.length; j++) {
            if (j != i && buffers[j] == buffers[i]) {
                return true;
            }
        }
        return false;
    }

    long peak() {
        return peak;
    }
}
