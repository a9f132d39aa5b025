package dev.nnzip.runtime.weights;

import java.util.concurrent.atomic.AtomicLong;

/** Bytes of decoded weights resident right now, and the peak since creation (or the last reset). Thread-safe. */
public final class WeightAccounting {
    private final AtomicLong resident = new AtomicLong();
    private final AtomicLong peak = new AtomicLong();

    void add(long bytes) {
        long now = resident.addAndGet(bytes);
        peak.accumulateAndGet(now, Math::max);
    }

    void remove(long bytes) {
        resident.addAndGet(-bytes);
    }

    public long residentBytes() {
        return resident.get();
    }

    public long peakBytes() {
        return peak.get();
    }

    /** Starts a new peak from the current level (e.g. after load, to measure inference alone). */
    public void resetPeak() {
        peak.set(resident.get());
    }
}
