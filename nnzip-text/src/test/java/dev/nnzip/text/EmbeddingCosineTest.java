package dev.nnzip.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nnzip.Nnz;
import dev.nnzip.graph.Graph;
import dev.nnzip.graph.Weight;
import dev.nnzip.runtime.Model;
import dev.nnzip.runtime.weights.MemoryMode;
import dev.nnzip.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tuner's cosine metric on all-MiniLM-L6-v2. */
class EmbeddingCosineTest {
    private static final List<String> SENTENCES = List.of("The cat sat on the mat.",
            "Stocks fell sharply after the announcement.", "A journey of a thousand miles begins with one step.");

    @Test
    void theOriginalScoresOneHundredANoisyModelLessAndAFloorFailsIt() {
        try (TextTokenizer tokenizer = TextTokenizer.load(MiniLm.tokenizer());
             Model original = Nnz.load(MiniLm.model(), MemoryMode.EAGER)) {
            EmbeddingCosine mean = new EmbeddingCosine("three", SENTENCES, tokenizer, original, 2,
                    Double.NEGATIVE_INFINITY);
            assertThat(mean.score(original)).isCloseTo(100.0, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(mean.describe()).contains("3 sentences of three").doesNotContain("every sentence");

            try (Model noisy = withNoise(original, "embeddings.word_embeddings.weight", 0.02f)) {
                double score = mean.score(noisy);
                assertThat(score).isLessThan(100.0).isGreaterThan(90.0);
                // A floor the noisy model's sentences cannot all reach (the original's are 1 up to rounding):
                // no budget admits it.
                EmbeddingCosine floored = new EmbeddingCosine("three", SENTENCES, tokenizer, original, 2, 1 - 1e-12);
                assertThat(floored.score(noisy)).isEqualTo(Double.NEGATIVE_INFINITY);
                assertThat(floored.score(original)).isCloseTo(100.0, org.assertj.core.data.Offset.offset(1e-9));
                assertThat(floored.describe()).contains("every sentence >= 1.000");
            }
            assertThatThrownBy(() -> new EmbeddingCosine("none", List.of(), tokenizer, original, 1, 0))
                    .hasMessageContaining("no sentences");
        }
    }

    /** {@code original} with a fixed pattern of ±amplitude added to one weight (the tuner swaps weights the same way). */
    private static Model withNoise(Model original, String name, float amplitude) {
        Graph g = original.graph();
        Tensor w = g.weights().get(name).decode();
        float[] v = w.floats().clone();
        for (int i = 0; i < v.length; i++) {
            v[i] += (i * 2654435761L >>> 7 & 1) == 0 ? amplitude : -amplitude;
        }
        Map<String, Weight> weights = new LinkedHashMap<>(g.weights());
        weights.put(name, Weight.of(name, Tensor.of(v, w.shape())));
        Graph noisy = new Graph(g.name(), g.nodes(), g.inputs(), g.outputs(), weights, g.valueInfos(), g.opsets());
        return new Model(g.name(), noisy, MemoryMode.EAGER, null);
    }
}
