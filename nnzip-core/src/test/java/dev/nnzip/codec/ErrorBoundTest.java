package dev.nnzip.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ErrorBoundTest {
    @Test
    void stdBoundIsFractionOfPopulationStandardDeviation() {
        // mean 10, deviations ±1 → σ = 1 exactly; the large mean must not leak into σ
        float[] v = {9, 11, 9, 11, Float.NaN};
        ErrorBound abs = ErrorBound.ofStd(0.25).toAbsolute(v, new int[] {5});
        assertThat(abs.kind()).isEqualTo(ErrorBound.Kind.ABSOLUTE);
        assertThat(abs.value()).isCloseTo(0.25, within(1e-12));
    }

    @Test
    void channelRangeBoundUsesSmallestNonConstantChannel() {
        // channel 0 spans 8, channel 1 spans 0.5, channel 2 is constant (ignored)
        float[] v = {-4, 4, 0.25f, -0.25f, 3, 3};
        ErrorBound abs = ErrorBound.ofChannelRange(0.1).toAbsolute(v, new int[] {3, 2});
        assertThat(abs.value()).isCloseTo(0.05, within(1e-9));
    }

    @Test
    void constantTensorGetsExactBound() {
        assertThat(ErrorBound.ofStd(0.1).toAbsolute(new float[] {2, 2, 2}, new int[] {3}).value()).isZero();
        assertThat(ErrorBound.ofChannelRange(0.1).toAbsolute(new float[] {2, 2}, new int[] {2, 1}).value()).isZero();
    }

    @Test
    void rangeAndAbsoluteBoundsPassThroughAndStatisticBoundsMustBeResolvedFirst() {
        ErrorBound rel = ErrorBound.relative(0.01);
        assertThat(rel.toAbsolute(new float[] {0, 1}, new int[] {2})).isSameAs(rel);
        assertThat(rel.resolve(-1, 1)).isCloseTo(0.02, within(1e-12));
        assertThatThrownBy(() -> ErrorBound.ofStd(0.1).resolve(0, 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("toAbsolute");
    }
}
