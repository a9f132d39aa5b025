package dev.nnzip.runtime;

import dev.nnzip.runtime.weights.MemoryMode;

/**
 * How a session runs. Built with {@code SessionOptions.defaults().withThreads(2).withMemory(MemoryMode.PREFETCH)}.
 *
 * @param threads worker threads for kernels (1 = everything on the caller's thread)
 * @param memory  when decoded weights exist; null = the model's default (eager for .onnx, prefetch for .nnz)
 */
public record SessionOptions(int threads, MemoryMode memory) {
    public SessionOptions {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, was " + threads);
        }
    }

    public SessionOptions(int threads) {
        this(threads, null);
    }

    public static SessionOptions defaults() {
        return new SessionOptions(Runtime.getRuntime().availableProcessors(), null);
    }

    public SessionOptions withThreads(int n) {
        return new SessionOptions(n, memory);
    }

    public SessionOptions withMemory(MemoryMode mode) {
        return new SessionOptions(threads, mode);
    }
}
