package dev.nnzip.ops.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nnzip.tensor.Shapes;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

class BroadcastTest {
    /** One visited segment: input offsets, output offset, length. */
    record Seg(int a, int b, int out, int length) {
    }

    private static List<Seg> segments(Broadcast plan, int from, int to) {
        List<Seg> segs = new ArrayList<>();
        plan.forEachSegment(from, to, (off, oi, len) -> segs.add(new Seg(off[0], off[1], oi, len)));
        return segs;
    }

    @Test
    void equalShapesAreOneContiguousSegment() {
        Broadcast plan = Broadcast.of(new int[] {2, 3, 4}, new int[] {2, 3, 4});
        assertThat(plan.shape()).containsExactly(2, 3, 4);
        assertThat(plan.innerStride(0)).isEqualTo(1);
        assertThat(plan.innerStride(1)).isEqualTo(1);
        assertThat(segments(plan, 0, 24)).containsExactly(new Seg(0, 0, 0, 24));
    }

    @Test
    void scalarOperandIsOneSegmentWithStrideZero() {
        Broadcast plan = Broadcast.of(new int[] {5, 7}, new int[] {});
        assertThat(plan.innerStride(1)).isZero();
        assertThat(segments(plan, 0, 35)).containsExactly(new Seg(0, 0, 0, 35));
    }

    @Test
    void trailingBroadcastGivesOneSegmentPerRow() {
        // the transformer bias-add pattern [N, S, H] + [H]
        Broadcast plan = Broadcast.of(new int[] {2, 3, 4}, new int[] {4});
        assertThat(plan.innerStride(0)).isEqualTo(1);
        assertThat(plan.innerStride(1)).isEqualTo(1);
        List<Seg> segs = segments(plan, 0, 24);
        assertThat(segs).hasSize(6);
        for (int r = 0; r < 6; r++) {
            assertThat(segs.get(r)).isEqualTo(new Seg(r * 4, 0, r * 4, 4));
        }
    }

    @Test
    void columnBroadcastRepeatsOneValuePerRow() {
        // [3, 4] + [3, 1]: each row of the output reads one value of b
        Broadcast plan = Broadcast.of(new int[] {3, 4}, new int[] {3, 1});
        assertThat(plan.innerStride(1)).isZero();
        assertThat(segments(plan, 0, 12)).containsExactly(
                new Seg(0, 0, 0, 4), new Seg(4, 1, 4, 4), new Seg(8, 2, 8, 4));
    }

    @Test
    void segmentsStartMidRunWhenTheRangeDoes() {
        Broadcast plan = Broadcast.of(new int[] {3, 4}, new int[] {3, 1});
        assertThat(segments(plan, 6, 11)).containsExactly(new Seg(6, 1, 6, 2), new Seg(8, 2, 8, 3));
    }

    @Test
    void incompatibleShapesAreRejectedNamingThem() {
        assertThatThrownBy(() -> Broadcast.of(new int[] {2, 3}, new int[] {4}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[2, 3]").hasMessageContaining("[4]");
        assertThatThrownBy(() -> Broadcast.to(new int[] {3}, new int[] {2, 3}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void emptyOutputVisitsNothing() {
        Broadcast plan = Broadcast.of(new int[] {0, 3}, new int[] {1, 3});
        assertThat(plan.shape()).containsExactly(0, 3);
        assertThat(segments(plan, 0, plan.size())).isEmpty();
    }

    /** Every output element, visited through any [from, to) window, reads the elements numpy's rule says it reads. */
    @Property(tries = 300)
    void segmentsMatchNaiveIndexing(@ForAll("compatibleShapes") Tuple.Tuple2<int[], int[]> shapes,
                                    @ForAll("fractions") Tuple.Tuple2<Double, Double> window) {
        int[] a = shapes.get1();
        int[] b = shapes.get2();
        Broadcast plan = Broadcast.of(a, b);
        int[] out = plan.shape();
        int n = plan.size();
        int from = (int) (Math.min(window.get1(), window.get2()) * n);
        int to = (int) (Math.max(window.get1(), window.get2()) * n);
        int[] seen = new int[n];
        plan.forEachSegment(from, to, (off, oi, len) -> {
            for (int i = 0; i < len; i++) {
                int o = oi + i;
                seen[o]++;
                assertThat(off[0] + i * plan.innerStride(0)).as("a offset of output %d", o)
                        .isEqualTo(naiveOffset(o, out, a));
                assertThat(off[1] + i * plan.innerStride(1)).as("b offset of output %d", o)
                        .isEqualTo(naiveOffset(o, out, b));
            }
        });
        for (int o = 0; o < n; o++) {
            assertThat(seen[o]).as("visits of output %d", o).isEqualTo(o >= from && o < to ? 1 : 0);
        }
    }

    private static int naiveOffset(int flat, int[] out, int[] in) {
        int[] inStrides = Shapes.strides(in);
        int lead = out.length - in.length;
        int offset = 0;
        for (int d = out.length - 1; d >= 0; d--) {
            int idx = flat % out[d];
            flat /= out[d];
            if (d >= lead && in[d - lead] != 1) {
                offset += idx * inStrides[d - lead];
            }
        }
        return offset;
    }

    @Provide
    Arbitrary<Tuple.Tuple2<int[], int[]>> compatibleShapes() {
        Arbitrary<int[]> full = Arbitraries.integers().between(1, 4).array(int[].class).ofMinSize(0).ofMaxSize(4);
        return full.flatMap(out -> Combinators.combine(subShape(out), subShape(out)).as(Tuple::of));
    }

    /** A shape broadcastable to {@code out}: a suffix of it with some dims replaced by 1. */
    private static Arbitrary<int[]> subShape(int[] out) {
        return Combinators.combine(Arbitraries.integers().between(0, out.length),
                Arbitraries.integers().between(0, 15).array(int[].class).ofSize(out.length)).as((rank, ones) -> {
                    int[] s = new int[rank];
                    for (int i = 0; i < rank; i++) {
                        int d = out.length - rank + i;
                        s[i] = ones[d] < 5 ? 1 : out[d];
                    }
                    return s;
                });
    }

    @Provide
    Arbitrary<Tuple.Tuple2<Double, Double>> fractions() {
        Arbitrary<Double> f = Arbitraries.doubles().between(0, 1);
        return Combinators.combine(f, f).as(Tuple::of);
    }
}
