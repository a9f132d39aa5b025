package dev.nnzip.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** {@link Parallel#forRange}: every index runs exactly once, nested calls work, and failures reach the caller. */
class ParallelTest {
    @Test
    void everyIndexRunsExactlyOnceAtEveryThreadCount() {
        for (int threads = 1; threads <= 3; threads++) {
            try (Parallel p = new Parallel(threads)) {
                for (int n : new int[] {0, 1, 2, 7, 1000}) {
                    AtomicIntegerArray hits = new AtomicIntegerArray(Math.max(n, 1));
                    p.forRange(n, 1, (from, to) -> {
                        for (int i = from; i < to; i++) {
                            hits.incrementAndGet(i);
                        }
                    });
                    for (int i = 0; i < n; i++) {
                        assertThat(hits.get(i)).as("index %d of %d, %d threads", i, n, threads).isEqualTo(1);
                    }
                }
            }
        }
    }

    @Test
    void nestedCallsFromWorkersComplete() {
        try (Parallel p = new Parallel(2)) {
            AtomicIntegerArray hits = new AtomicIntegerArray(64);
            p.forRange(8, 1, (from, to) -> {
                for (int i = from; i < to; i++) {
                    int row = i;
                    p.forRange(8, 1, (f, t) -> {
                        for (int j = f; j < t; j++) {
                            hits.incrementAndGet(row * 8 + j);
                        }
                    });
                }
            });
            for (int i = 0; i < 64; i++) {
                assertThat(hits.get(i)).isEqualTo(1);
            }
        }
    }

    @Test
    void aFailureInAnyChunkReachesTheCallerAfterAllChunksFinished() {
        try (Parallel p = new Parallel(2)) {
            AtomicIntegerArray done = new AtomicIntegerArray(2);
            assertThatThrownBy(() -> p.forRange(2, 1, (from, to) -> {
                if (from == 1) {
                    throw new IllegalStateException("chunk 1 failed");
                }
                done.set(0, 1);
            })).hasMessageContaining("chunk 1 failed");
            assertThat(done.get(0)).isEqualTo(1);
            assertThatThrownBy(() -> p.forRange(2, 1, (from, to) -> {
                if (from == 0) {
                    throw new IllegalArgumentException("chunk 0 failed");
                }
            })).isInstanceOf(IllegalArgumentException.class).hasMessage("chunk 0 failed");
        }
    }
}
