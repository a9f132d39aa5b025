package dev.nnzip.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class EmbeddingFidelityTest {
    @Test
    void identicalEmbeddingsAreFullyFaithful() {
        float[][] e = {{1, 0}, {0.6f, 0.8f}, {0, 1}};
        EmbeddingFidelity f = EmbeddingFidelity.compare(e, e);
        assertThat(f.meanCosine()).isCloseTo(1, within(1e-12));
        assertThat(f.minCosine()).isCloseTo(1, within(1e-12));
        assertThat(f.nnAgreement()).isEqualTo(1.0);
    }

    @Test
    void statisticsFollowTheirDefinitions() {
        // Candidate rows rotated by 0, 60 and 90 degrees: cosines 1, 0.5, 0.
        float[][] a = {{1, 0}, {1, 0}, {1, 0}, {1, 0}};
        float[][] b = {{1, 0}, {0.5f, (float) Math.sqrt(0.75)}, {0, 1}, {2, 0}};
        EmbeddingFidelity f = EmbeddingFidelity.compare(a, b);
        assertThat(f.meanCosine()).isCloseTo((1 + 0.5 + 0 + 1) / 4, within(1e-7));
        assertThat(f.medianCosine()).isCloseTo(0.75, within(1e-7));
        assertThat(f.p1Cosine()).isCloseTo(0, within(1e-7));
        assertThat(f.minCosine()).isCloseTo(0, within(1e-7));
        assertThat(f.worstSentence()).isEqualTo(2);
    }

    @Test
    void nearestNeighbourAgreementCountsChangedNeighbours() {
        // Original: 0~1 close, 2~3 close. The candidate moves sentence 3 next to 0: sentence 0's and 3's nearest
        // neighbours change (0 -> 3 instead of 1, 3 -> 0 instead of 2); 1's (still 0) and 2's (still 3) do not.
        float[][] a = {{1, 0, 0}, {0.9f, 0.1f, 0}, {0, 0, 1}, {0, 0.2f, 0.9f}};
        float[][] b = {{1, 0, 0}, {0.9f, 0.1f, 0}, {0, 0, 1}, {0.95f, 0, 0.1f}};
        assertThat(EmbeddingFidelity.nearestNeighbours(a)).containsExactly(1, 0, 3, 2);
        assertThat(EmbeddingFidelity.nearestNeighbours(b)).containsExactly(3, 0, 3, 0);
        assertThat(EmbeddingFidelity.compare(a, b).nnAgreement()).isEqualTo(2.0 / 4);
    }

    @Test
    void jsonCarriesEveryFigure() {
        float[][] e = {{1, 0}, {0, 1}};
        assertThat(EmbeddingFidelity.compare(e, e).toJson())
                .contains("\"sentences\": 2", "\"cosine_mean\": 1.00000000", "\"nn_agreement\": 1.000000");
    }
}
