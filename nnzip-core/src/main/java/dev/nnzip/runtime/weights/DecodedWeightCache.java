package dev.nnzip.runtime.weights;

import dev.nnzip.graph.Weight;
import dev.nnzip.tensor.Tensor;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model-wide cache of decoded weights under a byte budget, least-recently-used evicted first; weights in use by a
 * running node are never evicted. Shared by every session of a model in {@code budget} mode.
 *
 * <p>A weight that does not fit is decoded for the one use and dropped after (it is still counted while alive). Two
 * sessions missing the same weight at once may both decode it into their own buffers; only one copy enters the cache.
 */
public final class DecodedWeightCache {
    private static final class Entry {
        final Tensor tensor;
        int users;

        Entry(Tensor tensor) {
            this.tensor = tensor;
        }
    }

    private final Weight[] weights;
    private final long budget;
    private final WeightAccounting accounting;
    private final LinkedHashMap<Integer, Entry> cached = new LinkedHashMap<>(16, 0.75f, true);
    private long cachedBytes;

    public DecodedWeightCache(Weight[] weights, long budgetBytes, WeightAccounting accounting) {
        this.weights = weights;
        this.budget = budgetBytes;
        this.accounting = accounting;
    }

    /** A handle on a decoded weight: cached (shared) or transient (this caller's alone). */
    record Lease(Tensor tensor, boolean cached) {
    }

    Lease acquire(int index) {
        synchronized (this) {
            Entry e = cached.get(index);
            if (e != null) {
                e.users++;
                return new Lease(e.tensor, true);
            }
        }
        Tensor t = weights[index].decode(); // outside the lock: decoding is the slow part
        long bytes = t.heapBytes();
        accounting.add(bytes);
        synchronized (this) {
            Entry e = cached.get(index);
            if (e != null) { // another session cached it meanwhile: use theirs
                accounting.remove(bytes);
                e.users++;
                return new Lease(e.tensor, true);
            }
            if (bytes <= budget && makeRoom(bytes)) {
                Entry fresh = new Entry(t);
                fresh.users = 1;
                cached.put(index, fresh);
                cachedBytes += bytes;
                return new Lease(t, true);
            }
        }
        return new Lease(t, false);
    }

    void release(int index, Lease lease) {
        if (!lease.cached()) {
            accounting.remove(lease.tensor().heapBytes());
            return;
        }
        synchronized (this) {
            Entry e = cached.get(index);
            if (e != null && e.tensor == lease.tensor()) {
                e.users--;
            }
        }
    }

    /** Evicts idle entries, least recently used first, until {@code bytes} more fit; false if they cannot. */
    private boolean makeRoom(long bytes) {
        Iterator<Map.Entry<Integer, Entry>> it = cached.entrySet().iterator();
        while (cachedBytes + bytes > budget && it.hasNext()) {
            Entry e = it.next().getValue();
            if (e.users == 0) {
                it.remove();
                long b = e.tensor.heapBytes();
                cachedBytes -= b;
                accounting.remove(b);
            }
        }
        return cachedBytes + bytes <= budget;
    }

    /** Bytes held in the cache now. */
    public synchronized long cachedBytes() {
        return cachedBytes;
    }
}
