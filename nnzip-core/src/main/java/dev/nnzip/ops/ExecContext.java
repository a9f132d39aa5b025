package dev.nnzip.ops;

import dev.nnzip.kernels.Parallel;

/** What a kernel may use while running: the session's threads. */
public final class ExecContext {
    private final Parallel parallel;

    public ExecContext(Parallel parallel) {
        this.parallel = parallel;
    }

    public Parallel parallel() {
        return parallel;
    }

    /** A single-threaded context, for tests and tools. */
    public static ExecContext sequential() {
        return new ExecContext(Parallel.sequential());
    }
}
