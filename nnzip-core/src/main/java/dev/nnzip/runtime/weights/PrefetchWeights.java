package dev.nnzip.runtime.weights;

import dev.nnzip.NnzipException;
import dev.nnzip.graph.Weight;
import dev.nnzip.kernels.Parallel;
import dev.nnzip.tensor.Tensor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code prefetch}: layerwise, plus one background thread that decodes the next node's weights while the current node
 * computes. Bounded: only what {@link #upcoming} names (the next weight-reading node's weights) is ever decoded ahead.
 * A weight the session needs before its background decode started is decoded by the session's own threads.
 */
public final class PrefetchWeights extends LayerwiseWeights {
    private final CompletableFuture<?>[] pending;
    private final ExecutorService decoder;

    public PrefetchWeights(Weight[] weights, WeightAccounting accounting, Parallel parallel) {
        super(weights, accounting, parallel);
        this.pending = new CompletableFuture<?>[weights.length];
        this.decoder = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "nnzip-prefetch");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public boolean decodesInBackground() {
        return true;
    }

    @Override
    public void upcoming(int[] indices) {
        for (int i : indices) {
            if (pending[i] == null && !isLive(i)) {
                pending[i] = CompletableFuture.supplyAsync(() -> decode(i, Parallel.sequential()), decoder);
            }
        }
    }

    @Override
    protected Tensor obtain(int index) {
        CompletableFuture<?> f = pending[index];
        if (f == null) {
            return super.obtain(index);
        }
        pending[index] = null;
        try {
            return (Tensor) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NnzipException("interrupted while decoding weight '" + weights[index].name() + "'", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new NnzipException("decoding weight '" + weights[index].name() + "' failed: " + e.getCause(), e);
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < pending.length; i++) {
            if (pending[i] != null) {
                CompletableFuture<?> f = pending[i];
                pending[i] = null;
                f.thenAccept(t -> accounting.remove(((Tensor) t).heapBytes()));
            }
        }
        decoder.shutdown();
        super.close();
    }
}
