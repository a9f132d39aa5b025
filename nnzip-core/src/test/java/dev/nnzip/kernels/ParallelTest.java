package dev.nnzip.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@link Parallel#forRange}: every index runs exactly once, nested and concurrent calls work, failures reach the caller,
 * and the workers end on close or when an unclosed instance is dropped.
 */
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

    @Test
    void concurrentCallersOnOneInstanceEachGetEveryIndexOnce() throws Exception {
        try (Parallel p = new Parallel(2)) {
            int callers = 4;
            int rounds = 2_000;
            AtomicIntegerArray hits = new AtomicIntegerArray(callers * 16);
            Thread[] threads = new Thread[callers];
            for (int c = 0; c < callers; c++) {
                int base = c * 16;
                threads[c] = Thread.ofPlatform().start(() -> {
                    for (int r = 0; r < rounds; r++) {
                        p.forRange(16, 1, (from, to) -> {
                            for (int i = from; i < to; i++) {
                                hits.incrementAndGet(base + i);
                            }
                        });
                    }
                });
            }
            for (Thread t : threads) {
                t.join();
            }
            for (int i = 0; i < callers * 16; i++) {
                assertThat(hits.get(i)).as("index %d", i).isEqualTo(rounds);
            }
        }
    }

    @Test
    void closeIsIdempotentEndsTheWorkersAndLaterCallsStillRun() {
        Set<Thread> before = workerThreads();
        Parallel p = new Parallel(3);
        p.forRange(4, 1, (from, to) -> { });
        Set<Thread> mine = newWorkers(before);
        assertThat(mine).hasSize(2);
        p.close();
        p.close();
        assertThat(mine).as("workers alive after close").noneMatch(Thread::isAlive);
        int[] sum = new int[1];
        p.forRange(10, 1, (from, to) -> sum[0] += to - from);
        assertThat(sum[0]).isEqualTo(10);
    }

    @Test
    void aDroppedInstanceStopsItsWorkers() throws InterruptedException {
        Set<Thread> before = workerThreads();
        dropUnclosedInstance();
        Set<Thread> mine = newWorkers(before);
        assertThat(mine).hasSize(1);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (mine.stream().anyMatch(Thread::isAlive) && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(50);
        }
        assertThat(mine).as("workers of an unreachable Parallel").noneMatch(Thread::isAlive);
    }

    @Test
    void callsInsideAndAfterSectionsRunEveryIndexOnce() throws InterruptedException {
        try (Parallel p = new Parallel(2)) {
            AtomicIntegerArray hits = new AtomicIntegerArray(100);
            for (int round = 0; round < 3; round++) {
                try (Parallel.Section section = p.section()) {
                    for (int call = 0; call < 10; call++) {
                        p.forRange(100, 1, (from, to) -> {
                            for (int i = from; i < to; i++) {
                                hits.incrementAndGet(i);
                            }
                        });
                    }
                    section.close(); // closing twice must not close a second section
                }
                Thread.sleep(2); // past the short spin window: the workers park and the next call wakes them
            }
            p.forRange(100, 1, (from, to) -> {
                for (int i = from; i < to; i++) {
                    hits.incrementAndGet(i);
                }
            });
            for (int i = 0; i < 100; i++) {
                assertThat(hits.get(i)).isEqualTo(31);
            }
        }
        try (Parallel.Section none = Parallel.sequential().section()) {
            assertThat(none).isNotNull();
        }
    }

    private static void dropUnclosedInstance() {
        new Parallel(2).forRange(8, 1, (from, to) -> { });
    }

    private static Set<Thread> newWorkers(Set<Thread> before) {
        Set<Thread> now = workerThreads();
        now.removeAll(before);
        return now;
    }

    private static Set<Thread> workerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("nnzip-parallel-") && !t.getName().endsWith("cleaner"))
                .collect(Collectors.toCollection(HashSet::new));
    }
}
