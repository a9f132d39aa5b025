package dev.nnzip.runtime.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nnzip.graph.Weight;
import dev.nnzip.kernels.Parallel;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The background hand-off of {@link PrefetchWeights}: who decodes, what the session waits for, what close gives back. */
class PrefetchWeightsTest {
    /** A 4-float weight whose decode can be held until the test lets it go, and which counts its decodes by thread. */
    private static final class GatedWeight implements Weight {
        final String name;
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release;
        final AtomicInteger decodes = new AtomicInteger();
        volatile String decodedOn;
        final boolean fails;

        GatedWeight(String name, boolean gated, boolean fails) {
            this.name = name;
            this.release = new CountDownLatch(gated ? 1 : 0);
            this.fails = fails;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public DType dtype() {
            return DType.FLOAT;
        }

        @Override
        public int[] shape() {
            return new int[] {4};
        }

        @Override
        public long storedBytes() {
            return 16;
        }

        @Override
        public Tensor decode() {
            decodes.incrementAndGet();
            decodedOn = Thread.currentThread().getName();
            started.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (fails) {
                throw new IllegalStateException("weight '" + name + "' is corrupt");
            }
            return Tensor.wrap(DType.FLOAT, new int[] {4}, new float[] {1, 2, 3, 4});
        }
    }

    @Test
    void aWeightHintedAheadIsDecodedInTheBackgroundAndHandedOverOnce() throws Exception {
        GatedWeight w = new GatedWeight("w", true, false);
        WeightAccounting accounting = new WeightAccounting();
        try (PrefetchWeights store = new PrefetchWeights(new Weight[] {w}, accounting, Parallel.sequential())) {
            store.upcoming(new int[] {0});
            assertThat(w.started.await(10, TimeUnit.SECONDS)).isTrue();
            w.release.countDown();
            Tensor t = store.acquire(0); // waits for the running background decode, does not start a second one
            assertThat(t.floats()).containsExactly(1, 2, 3, 4);
            assertThat(w.decodes).hasValue(1);
            assertThat(w.decodedOn).isEqualTo("nnzip-prefetch");
            assertThat(accounting.residentBytes()).isEqualTo(16);
            store.release(0);
            assertThat(accounting.residentBytes()).isZero();
        }
    }

    @Test
    void aWeightNeededBeforeItsBackgroundDecodeStartedIsDecodedByTheSession() throws Exception {
        GatedWeight busy = new GatedWeight("busy", true, false);
        GatedWeight next = new GatedWeight("next", false, false);
        try (PrefetchWeights store = new PrefetchWeights(new Weight[] {busy, next}, new WeightAccounting(),
                Parallel.sequential())) {
            store.upcoming(new int[] {0, 1});
            assertThat(busy.started.await(10, TimeUnit.SECONDS)).isTrue(); // the thread is held on "busy"
            assertThat(store.acquire(1).floats()).containsExactly(1, 2, 3, 4);
            assertThat(next.decodedOn).isEqualTo(Thread.currentThread().getName());
            busy.release.countDown();
            assertThat(store.acquire(0).floats()).containsExactly(1, 2, 3, 4);
            assertThat(next.decodes).hasValue(1);
            assertThat(busy.decodes).hasValue(1);
        }
    }

    @Test
    void aFailedBackgroundDecodeSurfacesWhenTheWeightIsAcquired() throws Exception {
        GatedWeight bad = new GatedWeight("bad", false, true);
        try (PrefetchWeights store = new PrefetchWeights(new Weight[] {bad}, new WeightAccounting(),
                Parallel.sequential())) {
            store.upcoming(new int[] {0});
            assertThat(bad.started.await(10, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> store.acquire(0)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'bad'");
            // The failure is handed over once; asking again decodes again (and fails again, on this thread).
            assertThatThrownBy(() -> store.acquire(0)).hasMessageContaining("'bad'");
            assertThat(bad.decodes).hasValue(2);
        }
    }

    @Test
    void closeGivesBackWeightsDecodedAheadAndNeverTaken() throws Exception {
        GatedWeight w = new GatedWeight("w", true, false);
        WeightAccounting accounting = new WeightAccounting();
        PrefetchWeights store = new PrefetchWeights(new Weight[] {w}, accounting, Parallel.sequential());
        store.upcoming(new int[] {0});
        assertThat(w.started.await(10, TimeUnit.SECONDS)).isTrue();
        store.close(); // while the decode runs
        w.release.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((accounting.peakBytes() != 16 || accounting.residentBytes() != 0) && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(accounting.peakBytes()).isEqualTo(16); // the decode finished and was counted...
        assertThat(accounting.residentBytes()).isZero(); // ...and given back, since nobody will take it
        store.close(); // idempotent
        store.upcoming(new int[] {0}); // ignored once closed
        assertThat(w.decodes).hasValue(1);
    }
}
