package dev.nnzip.ops.tensor;

import static dev.nnzip.ops.tensor.Op.iota;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nnzip.kernels.Parallel;
import dev.nnzip.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Slice, Concat and Split (all built on {@link StridedCopy}) against naive references that enumerate index lists, for
 * random shapes, starts, ends and steps of either sign.
 */
class StridedCopyPropertiesTest {
    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    @Property(tries = 300)
    void sliceMatchesTheSpecsIndexLists(@ForAll("seeds") long seed) {
        Random r = new Random(seed);
        int rank = 1 + r.nextInt(4);
        int[] shape = new int[rank];
        for (int d = 0; d < rank; d++) {
            shape[d] = 1 + r.nextInt(6);
        }
        long[] starts = new long[rank];
        long[] ends = new long[rank];
        long[] steps = new long[rank];
        List<int[]> picks = new ArrayList<>();
        for (int d = 0; d < rank; d++) {
            int dim = shape[d];
            starts[d] = r.nextInt(4 * dim + 1) - 2L * dim;
            ends[d] = r.nextInt(4 * dim + 1) - 2L * dim;
            steps[d] = (r.nextBoolean() ? 1 : -1) * (1 + r.nextInt(3));
            picks.add(specRange(starts[d], ends[d], steps[d], dim));
        }
        long[] axes = new long[rank];
        for (int d = 0; d < rank; d++) {
            axes[d] = d;
        }
        Tensor x = iota(shape);
        Tensor y = Op.of("Slice").run(x, Op.l(starts), Op.l(ends), Op.l(axes), Op.l(steps));
        int[] outShape = picks.stream().mapToInt(p -> p.length).toArray();
        assertThat(y.shape()).as("%s %s %s %s", java.util.Arrays.toString(shape), java.util.Arrays.toString(starts),
                java.util.Arrays.toString(ends), java.util.Arrays.toString(steps)).containsExactly(outShape);
        assertThat(y.floats()).as("%s %s %s %s", java.util.Arrays.toString(shape), java.util.Arrays.toString(starts),
                java.util.Arrays.toString(ends), java.util.Arrays.toString(steps))
                .containsExactly(gatherByLists(x, picks));
    }

    @Test
    void largeConcatAndSplitRoundTripOnTwoThreads() {
        Tensor a = iota(3, 40, 700);
        Tensor b = iota(3, 25, 700);
        try (Parallel p = new Parallel(2)) {
            Tensor c = Op.of("Concat").attr("axis", 1L).threads(p).run(a, b);
            assertThat(c.shape()).containsExactly(3, 65, 700);
            Tensor[] parts = Op.of("Split").opset(13).outputs(2).attr("axis", 1L).threads(p)
                    .runAll(c, Op.l(40, 25));
            assertThat(parts[0].floats()).containsExactly(a.floats());
            assertThat(parts[1].floats()).containsExactly(b.floats());
        }
    }

    /**
     * The indices the spec's rule selects, enumerated one by one: negative start/end plus dim, start clamped to
     * [0, dim] (positive step) or [0, dim-1] (negative step), end to [0, dim] or [-1, dim-1]. (This equals Python's
     * slicing except for a start below -dim with a negative step, where Python selects nothing and the spec element 0.)
     */
    private static int[] specRange(long start, long end, long step, int dim) {
        long s = start < 0 ? start + dim : start;
        long e = end < 0 ? end + dim : end;
        s = step > 0 ? Math.clamp(s, 0, dim) : Math.clamp(s, 0, dim - 1);
        e = step > 0 ? Math.clamp(e, 0, dim) : Math.clamp(e, -1, dim - 1);
        List<Integer> out = new ArrayList<>();
        for (long i = s; step > 0 ? i < e : i > e; i += step) {
            out.add((int) i);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** out[i0, i1, ...] = x[picks0[i0], picks1[i1], ...], enumerated with div/mod. */
    private static float[] gatherByLists(Tensor x, List<int[]> picks) {
        int[] strides = StridedCopy.rowMajorStrides(x.shape());
        int n = 1;
        for (int[] p : picks) {
            n *= p.length;
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            int rem = i;
            int src = 0;
            for (int d = picks.size() - 1; d >= 0; d--) {
                int len = picks.get(d).length;
                src += picks.get(d)[rem % len] * strides[d];
                rem /= len;
            }
            out[i] = x.floats()[src];
        }
        return out;
    }
}
