package dev.nnzip.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nnzip.InvalidInputException;
import dev.nnzip.runtime.SessionOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokenizer and embedder behaviour on all-MiniLM-L6-v2, including the bad inputs of issue 5. */
class TextEmbedderTest {
    private static TextEmbedder embedder;

    @BeforeAll
    static void open() {
        embedder = TextEmbedder.open(MiniLm.model(), MiniLm.tokenizer(), new SessionOptions(2));
    }

    @AfterAll
    static void close() {
        embedder.close();
        embedder.close(); // idempotent
    }

    @Test
    void tokenizesWithTheModelsWordPieceVocabulary() {
        TokenBatch b = embedder.tokenizer().encode(List.of("Hello world, héllo!", ""));
        // [CLS] hello world , hello ! [SEP]: the BERT uncased normaliser lower-cases and strips the accent.
        assertThat(b.ids().get(0)).containsExactly(101, 7592, 2088, 1010, 7592, 999, 102);
        assertThat(b.ids().get(1)).containsExactly(101, 102);
        assertThat(b.length()).isEqualTo(7);
        assertThat(b.mask()[1]).containsExactly(1, 1, 0, 0, 0, 0, 0);
    }

    @Test
    void truncatesAtTheLengthTokenizerJsonDeclares() {
        assertThat(embedder.tokenizer().maxLength()).isEqualTo(128);
        assertThat(embedder.tokenizer().vocabularySize()).isEqualTo(30522);
        TokenBatch b = embedder.tokenizer().encode(List.of("word ".repeat(5000)));
        assertThat(b.ids().getFirst()).hasSize(128).startsWith(101).endsWith(102);
    }

    @Test
    void emptyAndVeryLongLinesGiveUnitEmbeddings() {
        String head = "A cat sat on the mat. ".repeat(100);
        float[][] e = embedder.embed(List.of("", head + "Dogs bark. ".repeat(2000), head + "Stocks fell."));
        assertThat(e).hasNumberOfRows(3);
        for (float[] v : e) {
            assertThat(v).hasSize(384);
            assertThat(EmbeddingFidelity.cosine(v, v)).isCloseTo(1, within(1e-6));
            double norm = 0;
            for (float x : v) {
                norm += x * x;
            }
            assertThat(Math.sqrt(norm)).isCloseTo(1, within(1e-5));
        }
        // Both long lines are cut at 128 tokens, inside their common head: what follows cannot change the embedding.
        assertThat(EmbeddingFidelity.cosine(e[1], e[2])).isGreaterThan(0.999999);
    }

    @Test
    void batchingDoesNotChangeEmbeddings() {
        List<String> s = List.of("Short.", "A much longer sentence that forces padding of the short one in a batch.");
        float[][] together = embedder.embed(s);
        float[][] alone = {embedder.embed(s.subList(0, 1))[0], embedder.embed(s.subList(1, 2))[0]};
        for (int i = 0; i < 2; i++) {
            assertThat(EmbeddingFidelity.cosine(together[i], alone[i])).isGreaterThan(0.999999);
        }
    }

    @Test
    void paraphrasesAreCloserThanUnrelatedSentences() {
        float[][] e = embedder.embed(List.of("The cat sits on the mat.", "A cat is sitting on a rug.",
                "Stock markets fell sharply on Monday."));
        assertThat(EmbeddingFidelity.cosine(e[0], e[1])).isGreaterThan(EmbeddingFidelity.cosine(e[0], e[2]) + 0.3);
    }

    @Test
    void tokenizerWithALargerVocabularyThanTheModelIsRefused(@TempDir Path dir) throws Exception {
        // A WordLevel tokenizer whose ids reach 40,000: more than MiniLM's 30,522 word-embedding rows.
        Path json = dir.resolve("tokenizer.json");
        Files.writeString(json, """
                {"version": "1.0", "truncation": null, "padding": null, "added_tokens": [],
                 "normalizer": null, "pre_tokenizer": {"type": "Whitespace"}, "post_processor": null,
                 "decoder": null,
                 "model": {"type": "WordLevel", "vocab": {"[UNK]": 0, "hello": 39999}, "unk_token": "[UNK]"}}
                """);
        assertThatThrownBy(() -> TextEmbedder.open(MiniLm.model(), json, new SessionOptions(1)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("40000 tokens")
                .hasMessageContaining("30522 rows");
    }

    @Test
    void embeddingAfterCloseIsAClearError() {
        TextEmbedder e = TextEmbedder.open(MiniLm.model(), MiniLm.tokenizer(), new SessionOptions(1));
        e.close();
        assertThatThrownBy(() -> e.embed(List.of("x"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}
