package dev.nnzip.ops.reduce;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReductionPlanTest {
    @Test
    void trailingAxesAreContiguousGroups() {
        ReductionPlan p = ReductionPlan.of(new int[] {2, 3, 4}, new boolean[] {false, true, true}, true);
        assertThat(p.contiguous()).isTrue();
        assertThat(p.outShape()).containsExactly(2, 1, 1);
        assertThat(p.reduceCount()).isEqualTo(12);
        assertThat(p.base(1)).isEqualTo(12);
    }

    @Test
    void sizeOneKeptAxesDoNotBreakContiguity() {
        ReductionPlan p = ReductionPlan.of(new int[] {3, 4, 1}, new boolean[] {false, true, false}, false);
        assertThat(p.contiguous()).isTrue();
        assertThat(p.outShape()).containsExactly(3, 1);
    }

    @Test
    void interleavedAxesUseOffsets() {
        // reduce axes 0 and 2 of [2, 3, 2]
        ReductionPlan p = ReductionPlan.of(new int[] {2, 3, 2}, new boolean[] {true, false, true}, false);
        assertThat(p.contiguous()).isFalse();
        assertThat(p.outShape()).containsExactly(3);
        assertThat(p.outCount()).isEqualTo(3);
        assertThat(new int[] {p.base(0), p.base(1), p.base(2)}).containsExactly(0, 2, 4);
        assertThat(new int[] {p.offset(0), p.offset(1), p.offset(2), p.offset(3)}).containsExactly(0, 1, 6, 7);
    }

    @Test
    void axisSplitLanes() {
        AxisSplit s = AxisSplit.around(new int[] {2, 3, 4}, 1);
        assertThat(s).isEqualTo(new AxisSplit(2, 3, 4));
        assertThat(s.lanes()).isEqualTo(8);
        assertThat(s.laneStart(5)).isEqualTo(12 + 1);
        assertThat(AxisSplit.flattenedAt(new int[] {2, 3, 4}, 1)).isEqualTo(new AxisSplit(2, 12, 1));
    }
}
