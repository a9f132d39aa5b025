package dev.nnzip.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Sentences in, unit-length embeddings out. Implemented by nnzip's {@link TextEmbedder} and by the ONNX Runtime
 * embedder in nnzip-bench: both share the tokenizer, the batching and {@link MeanPooling}, so {@link EmbeddingFidelity}
 * and latency figures compare the engines and nothing else.
 */
public interface SentenceEmbedder extends AutoCloseable {
    /** The model's tokenizer (owned by this embedder unless it was made by {@link TextEmbedder#over}). */
    TextTokenizer tokenizer();

    /** Runs the encoder on one tokenized batch: one unit-length row per sentence. */
    float[][] embedBatch(TokenBatch batch);

    /** Sentences per inference call in {@link #embed}. */
    default int batchSize() {
        return TextEmbedder.DEFAULT_BATCH;
    }

    /**
     * One row per sentence, in input order; an empty sentence is embedded too (as [CLS] [SEP]). Sentences are batched
     * in order of token count so that each batch pads little (padding is masked, so it changes no result beyond
     * float rounding, but it costs time).
     */
    default float[][] embed(List<String> sentences) {
        return embed(tokenizer().encode(sentences));
    }

    /** {@link #embed(List)} for sentences already tokenized (all of them, unpadded rows in {@code all}). */
    default float[][] embed(TokenBatch all) {
        int n = all.size();
        Integer[] order = new Integer[n];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingInt(i -> all.ids().get(i).length));
        float[][] out = new float[n][];
        for (int from = 0; from < order.length; from += batchSize()) {
            int to = Math.min(order.length, from + batchSize());
            List<long[]> ids = new ArrayList<>(to - from);
            List<long[]> types = new ArrayList<>(to - from);
            for (int k = from; k < to; k++) {
                ids.add(all.ids().get(order[k]));
                types.add(all.typeIds().get(order[k]));
            }
            float[][] part = embedBatch(TokenBatch.of(ids, types));
            for (int k = from; k < to; k++) {
                out[order[k]] = part[k - from];
            }
        }
        return out;
    }

    /** Closing twice is harmless. */
    @Override
    void close();
}
