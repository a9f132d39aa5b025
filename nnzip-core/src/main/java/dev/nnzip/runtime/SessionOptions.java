package dev.nnzip.runtime;

/**
 * How a session runs. Built with {@code SessionOptions.defaults().withThreads(2)}.
 *
 * @param threads worker threads for kernels (1 = everything on the caller's thread)
 */
public record SessionOptions(int threads) {
    public SessionOptions {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, was " + threads);
        }
    }

    public static SessionOptions defaults() {
        return new SessionOptions(Runtime.getRuntime().availableProcessors());
    }

    public SessionOptions withThreads(int n) {
        return new SessionOptions(n);
    }
}
