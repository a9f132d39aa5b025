package dev.nnzip.ops.tensor;

import static dev.nnzip.ops.tensor.Op.iota;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nnzip.kernels.Parallel;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Transpose against hand-checked values and, for random shapes and permutations, a naive index-by-index reference. */
class TransposeTest {
    @Test
    void transposesAMatrixByDefault() {
        Tensor y = Op.of("Transpose").run(Op.f(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        assertThat(y.shape()).containsExactly(3, 2);
        assertThat(y.floats()).containsExactly(1, 4, 2, 5, 3, 6);
    }

    @Test
    void swapsTheMiddleAxesOfAttentionHeads() {
        // [batch=1, seq=2, heads=2, dim=3] -> [1, 2 heads, 2 seq, 3]
        Tensor y = Op.of("Transpose").ints("perm", 0, 2, 1, 3).run(iota(1, 2, 2, 3));
        assertThat(y.shape()).containsExactly(1, 2, 2, 3);
        assertThat(y.floats()).containsExactly(0, 1, 2, 6, 7, 8, 3, 4, 5, 9, 10, 11);
    }

    @Test
    void movesElementsOfEveryStorageKind() {
        Tensor b = Tensor.of(new boolean[] {true, false, false, true, true, false}, 3, 2);
        assertThat(Op.of("Transpose").run(b).booleans()).containsExactly(true, false, true, false, true, false);
        Tensor s = Tensor.wrap(DType.STRING, new int[] {2, 2}, new String[] {"a", "b", "c", "d"});
        assertThat(Op.of("Transpose").run(s).strings()).containsExactly("a", "c", "b", "d");
        Tensor i = Tensor.wrap(DType.INT32, new int[] {1, 3}, new long[] {7, 8, 9});
        Tensor t = Op.of("Transpose").run(i);
        assertThat(t.dtype()).isEqualTo(DType.INT32);
        assertThat(t.longs()).containsExactly(7, 8, 9);
    }

    @Test
    void tiledTransposeMovesIntegersAndBools() {
        int rows = 40;
        int cols = 50;
        long[] v = new long[rows * cols];
        boolean[] b = new boolean[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = i * 7L;
            b[i] = i % 3 == 0;
        }
        Tensor yl = Op.of("Transpose").run(Tensor.of(v, rows, cols));
        Tensor yb = Op.of("Transpose").run(Tensor.of(b, rows, cols));
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                assertThat(yl.longs()[j * rows + i]).isEqualTo(v[i * cols + j]);
                assertThat(yb.booleans()[j * rows + i]).isEqualTo(b[i * cols + j]);
            }
        }
    }

    @Test
    void rejectsAPermOfTheWrongLengthOrWithRepeats() {
        assertThatThrownBy(() -> Op.of("Transpose").ints("perm", 1, 0).run(iota(2, 2, 2)))
                .hasMessageContaining("has rank 3");
        assertThatThrownBy(() -> Op.of("Transpose").ints("perm", 0, 0).run(iota(2, 2))).hasMessageContaining("twice");
    }

    @Test
    void tiledTransposeOfALargeMatrixMatchesTheReferenceOnTwoThreads() {
        Tensor x = iota(3, 131, 200); // not multiples of the tile edge, big enough to split
        try (Parallel p = new Parallel(2)) {
            Tensor y = Op.of("Transpose").ints("perm", 0, 2, 1).threads(p).run(x);
            assertThat(y.floats()).containsExactly(naive(x, new int[] {0, 2, 1}).floats());
        }
    }

    @Property(tries = 200)
    void anyPermutationMatchesTheNaiveReference(@ForAll("seeds") long seed,
                                                @ForAll @IntRange(min = 1, max = 5) int rank) {
        Random r = new Random(seed);
        int[] shape = new int[rank];
        for (int d = 0; d < rank; d++) {
            shape[d] = 1 + r.nextInt(rank <= 2 ? 70 : 6);
        }
        List<Integer> p = new ArrayList<>();
        for (int d = 0; d < rank; d++) {
            p.add(d);
        }
        Collections.shuffle(p, r);
        long[] perm = p.stream().mapToLong(Integer::longValue).toArray();
        Tensor x = iota(shape);
        Tensor y = Op.of("Transpose").ints("perm", perm).run(x);
        assertThat(y.floats()).containsExactly(naive(x, p.stream().mapToInt(Integer::intValue).toArray()).floats());
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Long> seeds() {
        return net.jqwik.api.Arbitraries.longs();
    }

    /** Index-by-index transpose: out[i] = in[unravel(i) permuted]. */
    static Tensor naive(Tensor x, int[] perm) {
        int[] in = x.shape();
        int[] out = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            out[i] = in[perm[i]];
        }
        int[] inStrides = StridedCopy.rowMajorStrides(in);
        float[] res = new float[x.size()];
        for (int i = 0; i < res.length; i++) {
            int rem = i;
            int src = 0;
            for (int d = out.length - 1; d >= 0; d--) {
                int c = rem % out[d];
                rem /= out[d];
                src += c * inStrides[perm[d]];
            }
            res[i] = x.floats()[src];
        }
        return Tensor.of(res, out);
    }
}
