package dev.nnzip.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ActivationPoolTest {
    @Test
    void aRecycledArrayComesBackZeroedForTheSameLengthOnly() {
        ActivationPool pool = new ActivationPool();
        pool.limit(Long.MAX_VALUE);
        float[] a = pool.zeros(8);
        a[3] = 5f;
        pool.recycle(a);
        assertThat(pool.retainedBytes()).isEqualTo(32);
        assertThat(pool.zeros(9)).isNotSameAs(a).hasSize(9);
        float[] b = pool.zeros(8);
        assertThat(b).isSameAs(a).containsOnly(0f);
        assertThat(pool.retainedBytes()).isZero();
    }

    @Test
    void itKeepsNoMoreThanItHandedOut() {
        ActivationPool pool = new ActivationPool();
        pool.limit(Long.MAX_VALUE);
        // A run asks for one array of 100 floats, but five of that length die in it (kernels that allocate their own
        // outputs hand arrays in too) and three of a length nobody asked for.
        float[] asked = pool.zeros(100);
        for (int i = 0; i < 5; i++) {
            pool.recycle(new float[100]);
        }
        for (int i = 0; i < 3; i++) {
            pool.recycle(new float[7]);
        }
        pool.recycle(asked);
        assertThat(pool.retainedBytes()).isEqualTo(100 * Float.BYTES);
        pool.endRun();
        assertThat(pool.retainedBytes()).isEqualTo(100 * Float.BYTES);
        // Run after run the same: the pool does not grow.
        for (int run = 0; run < 10; run++) {
            float[] a = pool.zeros(100);
            pool.recycle(a);
            pool.recycle(new float[100]);
            pool.endRun();
        }
        assertThat(pool.retainedBytes()).isEqualTo(100 * Float.BYTES);
        pool.endRun(); // a run that asked for nothing: a shape no longer in use is dropped
        assertThat(pool.retainedBytes()).isZero();
    }

    @Test
    void itHoldsNoMoreBytesThanItsLimitDroppingTheLeastRecentlyFreed() {
        ActivationPool pool = new ActivationPool();
        pool.limit(100 * Float.BYTES);
        float[] a = pool.zeros(40);
        float[] b = pool.zeros(40);
        float[] c = pool.zeros(30);
        float[] big = pool.zeros(101);
        pool.recycle(a);
        pool.recycle(b);
        pool.recycle(big); // larger than the limit: left to the GC
        assertThat(pool.retainedBytes()).isEqualTo(80 * Float.BYTES);
        pool.recycle(c); // 110 floats would not fit: a, the least recently freed, goes
        assertThat(pool.retainedBytes()).isEqualTo(70 * Float.BYTES);
        assertThat(pool.zeros(40)).isSameAs(b);
        assertThat(pool.zeros(30)).isSameAs(c);
        assertThat(pool.zeros(101)).isNotSameAs(big);
        assertThat(pool.retainedBytes()).isZero();
        pool.limit(0); // nothing at all
        pool.recycle(b);
        assertThat(pool.retainedBytes()).isZero();
    }
}
