package dev.nnzip.runtime.weights;

import dev.nnzip.NnzipException;
import dev.nnzip.graph.Weight;
import dev.nnzip.kernels.Parallel;
import dev.nnzip.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * {@code prefetch}: layerwise, plus one background thread that decodes the next node's weights while the current node
 * computes. Bounded: only what {@link #upcoming} names (the next weight-reading node's weights) is ever decoded ahead.
 * A weight the session needs before its background decode started is decoded by the session's own threads.
 *
 * <p>The hand-off is one monitor and a queue rather than an executor and futures, so that a weight still waiting in
 * the queue can be taken back and decoded over all of the session's threads instead of waited for behind the queue
 * (MiniLM prefetch, batch 1, 2 threads: p50 50-58 ms against 65-68 ms with the executor, docs/BENCHMARKS.md).
 */
public final class PrefetchWeights extends LayerwiseWeights {
    private enum State { NONE, QUEUED, DECODING, DONE }

    private final Object lock = new Object();
    private final State[] state;
    /** Per weight in state DONE: the decoded tensor, or null when the decode failed ({@link #failures}). */
    private final Tensor[] ready;
    private final RuntimeException[] failures;
    private final ArrayDeque<Integer> queue = new ArrayDeque<>();
    private Thread decoder;
    private boolean closed;

    public PrefetchWeights(Weight[] weights, WeightAccounting accounting, Parallel parallel) {
        super(weights, accounting, parallel);
        this.state = new State[weights.length];
        this.ready = new Tensor[weights.length];
        this.failures = new RuntimeException[weights.length];
        Arrays.fill(state, State.NONE);
    }

    @Override
    public boolean decodesInBackground() {
        return true;
    }

    @Override
    public void upcoming(int[] indices) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            boolean added = false;
            for (int i : indices) {
                if (state[i] == State.NONE && !isLive(i)) {
                    state[i] = State.QUEUED;
                    queue.add(i);
                    added = true;
                }
            }
            if (added) {
                startDecoder();
                lock.notifyAll();
            }
        }
    }

    @Override
    protected Tensor obtain(int index) {
        synchronized (lock) {
            if (state[index] == State.QUEUED) {
                // Not started: the session's threads decode it now, faster than waiting behind the queue.
                queue.remove(index);
                state[index] = State.NONE;
            }
            if (state[index] != State.NONE) {
                boolean interrupted = false;
                while (state[index] == State.DECODING) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        interrupted = true; // the decode finishes regardless; keep the flag for the caller
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
                return take(index);
            }
        }
        // Outside the lock, so the background thread can hand over and start on the next queued weight meanwhile.
        return super.obtain(index);
    }

    /** Hands over a finished background decode (caller holds the lock). */
    private Tensor take(int index) {
        Tensor t = ready[index];
        RuntimeException failure = failures[index];
        ready[index] = null;
        failures[index] = null;
        state[index] = State.NONE;
        if (t == null) {
            throw failure != null ? failure : new IllegalStateException("the weight store is closed");
        }
        return t;
    }

    private void startDecoder() {
        if (decoder == null) {
            decoder = new Thread(this::decodeQueued, "nnzip-prefetch");
            decoder.setDaemon(true);
            decoder.start();
        }
    }

    /** The background thread: decodes queued weights one at a time until the store closes. */
    private void decodeQueued() {
        while (true) {
            int index;
            synchronized (lock) {
                while (queue.isEmpty() && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                index = queue.poll();
                state[index] = State.DECODING;
            }
            Tensor t = null;
            RuntimeException failure = null;
            try {
                t = decode(index, Parallel.sequential());
            } catch (RuntimeException e) {
                failure = e;
            } catch (Error e) {
                failure = new NnzipException("decoding weight '" + weights[index].name() + "' failed: " + e, e);
            }
            synchronized (lock) {
                if (closed && t != null) {
                    accounting.remove(t.heapBytes());
                    t = null;
                }
                ready[index] = t;
                failures[index] = failure;
                state[index] = State.DONE;
                lock.notifyAll();
            }
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            queue.clear();
            for (int i = 0; i < state.length; i++) {
                if (state[i] == State.DONE && ready[i] != null) {
                    accounting.remove(ready[i].heapBytes());
                    ready[i] = null;
                }
                if (state[i] != State.DECODING) {
                    state[i] = State.NONE;
                }
            }
            lock.notifyAll();
        }
        super.close();
    }
}
