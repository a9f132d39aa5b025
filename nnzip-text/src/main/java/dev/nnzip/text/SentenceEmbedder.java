package dev.nnzip.text;

import java.util.List;

/**
 * Sentences in, unit-length embeddings out. Implemented by nnzip's {@link TextEmbedder} and by the ONNX Runtime
 * embedder in nnzip-bench: both share the tokenizer, the batching and {@link MeanPooling}, so {@link EmbeddingFidelity}
 * and latency figures compare the engines and nothing else.
 */
public interface SentenceEmbedder extends AutoCloseable {
    /** The model's tokenizer (owned by this embedder). */
    TextTokenizer tokenizer();

    /** Runs the encoder on one tokenized batch: one unit-length row per sentence. */
    float[][] embedBatch(TokenBatch batch);

    /** Sentences per inference call in {@link #embed}. */
    default int batchSize() {
        return TextEmbedder.DEFAULT_BATCH;
    }

    /** One row per sentence, in order; an empty sentence is embedded too (as [CLS] [SEP]). */
    default float[][] embed(List<String> sentences) {
        float[][] out = new float[sentences.size()][];
        for (int from = 0; from < sentences.size(); from += batchSize()) {
            int to = Math.min(sentences.size(), from + batchSize());
            float[][] part = embedBatch(tokenizer().encode(sentences.subList(from, to)));
            System.arraycopy(part, 0, out, from, part.length);
        }
        return out;
    }

    /** Closing twice is harmless. */
    @Override
    void close();
}
