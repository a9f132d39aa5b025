package dev.nnzip.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MeanPoolingTest {
    @Test
    void averagesOnlyMaskedTokensThenNormalises() {
        // batch 1, 3 tokens, dim 2; the padded third token (huge values) must not count.
        float[] hidden = {3, 0, 1, 4, 1000, 1000};
        float[][] e = MeanPooling.pool(hidden, 1, 3, 2, new long[][] {{1, 1, 0}});
        // mean = (2, 2) -> unit vector (1/sqrt2, 1/sqrt2)
        assertThat(e[0][0]).isCloseTo((float) Math.sqrt(0.5), within(1e-7f));
        assertThat(e[0][1]).isCloseTo((float) Math.sqrt(0.5), within(1e-7f));
    }

    @Test
    void sentencesInABatchArePooledIndependently() {
        float[] hidden = {1, 0, 0, 0, /* second sentence */ 0, 2, 0, 4};
        float[][] e = MeanPooling.pool(hidden, 2, 2, 2, new long[][] {{1, 0}, {1, 1}});
        assertThat(e[0]).containsExactly(1f, 0f);
        assertThat(e[1]).containsExactly(0f, 1f);
    }
}
