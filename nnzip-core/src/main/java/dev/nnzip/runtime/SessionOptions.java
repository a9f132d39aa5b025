package dev.nnzip.runtime;

import dev.nnzip.runtime.weights.MemoryMode;

/**
 * How a session runs. Built with {@code SessionOptions.defaults().withThreads(2).withMemory(MemoryMode.PREFETCH)}.
 *
 * @param threads worker threads for kernels (1 = everything on the caller's thread)
 * @param memory  when decoded weights exist; null = the model's default (eager for .onnx, prefetch for .nnz)
 * @param profile time every node's kernel ({@link Session#profile()})
 */
public record SessionOptions(int threads, MemoryMode memory, boolean profile) {
    public SessionOptions {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, was " + threads);
        }
    }

    public SessionOptions(int threads, MemoryMode memory) {
        this(threads, memory, false);
    }

    public SessionOptions(int threads) {
        this(threads, null);
    }

    public static SessionOptions defaults() {
        return new SessionOptions(Runtime.getRuntime().availableProcessors(), null);
    }

    public SessionOptions withThreads(int n) {
        return new SessionOptions(n, memory, profile);
    }

    public SessionOptions withMemory(MemoryMode mode) {
        return new SessionOptions(threads, mode, profile);
    }

    public SessionOptions withProfiling(boolean on) {
        return new SessionOptions(threads, memory, on);
    }
}
