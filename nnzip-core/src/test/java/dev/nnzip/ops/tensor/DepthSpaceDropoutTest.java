package dev.nnzip.ops.tensor;

import static dev.nnzip.ops.tensor.Op.iota;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** DepthToSpace / SpaceToDepth, Dropout, and the Mersenne Twister behind seeded Dropout. */
class DepthSpaceDropoutTest {
    @Test
    void depthToSpaceDcrAndCrdOrderChannelsDifferently() {
        Tensor x = iota(1, 4, 1, 1);
        // DCR: channel = (bh·b + bw)·C' + c ; CRD: channel = c·b² + bh·b + bw; with C' = 1 both give 0,1,2,3
        assertThat(Op.of("DepthToSpace").attr("blocksize", 2L).run(x).floats()).containsExactly(0, 1, 2, 3);
        Tensor x2 = iota(1, 8, 1, 1);
        assertThat(Op.of("DepthToSpace").attr("blocksize", 2L).run(x2).floats())
                .containsExactly(0, 2, 4, 6, 1, 3, 5, 7);
        assertThat(Op.of("DepthToSpace").attr("blocksize", 2L).attr("mode", "CRD").run(x2).floats())
                .containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
    }

    @Test
    void spaceToDepthInvertsDepthToSpaceDcr() {
        Tensor x = iota(2, 3, 4, 6);
        Tensor packed = Op.of("SpaceToDepth").attr("blocksize", 2L).run(x);
        assertThat(packed.shape()).containsExactly(2, 12, 2, 3);
        Tensor back = Op.of("DepthToSpace").attr("blocksize", 2L).run(packed);
        assertThat(back.floats()).containsExactly(x.floats());
        assertThatThrownBy(() -> Op.of("SpaceToDepth").attr("blocksize", 4L).run(x))
                .hasMessageContaining("multiples of blocksize 4");
    }

    @Test
    void dropoutAtInferenceIsTheIdentityWithAnAllTrueMask() {
        Tensor x = iota(2, 2);
        Tensor[] r = Op.of("Dropout").outputs(2).runAll(x, Tensor.scalar(0.9f));
        assertThat(r[0]).isSameAs(x);
        assertThat(r[1].dtype()).isEqualTo(DType.BOOL);
        assertThat(r[1].booleans()).containsOnly(true);
        Tensor[] old = Op.of("Dropout").opset(7).outputs(2).runAll(x);
        assertThat(old[1].dtype()).isEqualTo(DType.FLOAT);
        assertThat(old[1].floats()).containsOnly(1f);
    }

    @Test
    void seededTrainingDropoutReproducesNumpysMask() {
        // np.random.seed(0); np.random.uniform(0, 1, 8) = .549 .715 .603 .545 .424 .646 .438 .892
        Tensor x = Op.f(new float[] {1, 1, 1, 1, 1, 1, 1, 1}, 8);
        Tensor[] r = Op.of("Dropout").attr("seed", 0L).outputs(2)
                .runAll(x, Tensor.scalar(0.5f), Tensor.of(new boolean[] {true}));
        assertThat(r[1].booleans()).containsExactly(true, true, true, true, false, true, false, true);
        assertThat(r[0].floats()).containsExactly(2, 2, 2, 2, 0, 2, 0, 2);
    }

    @Test
    void mersenneTwisterMatchesReferenceValues() {
        // first output of the reference mt19937ar.c for init_genrand(5489)
        assertThat(new MersenneTwister(5489).nextInt32()).isEqualTo(3499211612L);
        // np.random.seed(42); np.random.uniform(0, 1, 3)
        MersenneTwister mt = new MersenneTwister(42);
        assertThat(mt.nextDouble()).isEqualTo(0.3745401188473625);
        assertThat(mt.nextDouble()).isEqualTo(0.9507143064099162);
        assertThat(mt.nextDouble()).isEqualTo(0.7319939418114051);
    }
}
