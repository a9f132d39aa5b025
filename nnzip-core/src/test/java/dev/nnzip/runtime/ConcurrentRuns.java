package dev.nnzip.runtime;

import dev.nnzip.runtime.weights.MemoryMode;
import dev.nnzip.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiPredicate;

/** Many threads sharing one loaded model, each with its own session: the thread-safety check of issue 4. */
final class ConcurrentRuns {
    private ConcurrentRuns() {
    }

    /**
     * Runs {@code perThread} inferences on each of {@code threads} threads (inputs cycled, each thread from its own
     * offset) and returns, per thread, how many of its results were {@code same} as {@code expected}.
     */
    static List<Integer> matching(Model m, MemoryMode mode, int threads, int perThread,
                                  List<Map<String, Tensor>> inputs, String output, List<float[]> expected,
                                  BiPredicate<float[], float[]> same) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t;
                results.add(pool.submit(() -> {
                    int ok = 0;
                    try (Session s = m.newSession(new SessionOptions(1, mode))) {
                        for (int i = 0; i < perThread; i++) {
                            int k = (i + offset) % inputs.size();
                            if (same.test(s.run(inputs.get(k)).get(output).floats(), expected.get(k))) {
                                ok++;
                            }
                        }
                    }
                    return ok;
                }));
            }
            List<Integer> counts = new ArrayList<>();
            for (Future<Integer> f : results) {
                counts.add(f.get());
            }
            return counts;
        } finally {
            pool.shutdownNow();
        }
    }
}
