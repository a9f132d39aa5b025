package dev.nnzip.text;

import dev.nnzip.runtime.Model;
import dev.nnzip.runtime.SessionOptions;
import dev.nnzip.tune.QualityMetric;
import java.util.List;
import java.util.Locale;

/**
 * The compression tuner's quality metric for sentence-embedding models: 100 × the mean cosine between a candidate's
 * embeddings and the original model's on fixed sentences, so the original scores 100 and a budget of 0.5 means "mean
 * cosine at least 0.995" (issue 5's yardstick, the one {@code nnzip fidelity} reports).
 *
 * <p>Optionally a floor on every sentence: a candidate with any sentence's cosine below {@code minCosine} scores
 * {@link Double#NEGATIVE_INFINITY}, which no budget admits — the mean is the budget, the worst sentence a hard
 * constraint. Without a floor the metric is smooth in the weights' noise (1 − cos grows with its square), which is what
 * the tuner's per-layer sensitivity ranking needs.
 */
public final class EmbeddingCosine implements QualityMetric {
    private final String name;
    /** The sentences, tokenized once: every candidate embeds the same ids. */
    private final TokenBatch tokens;
    private final TextTokenizer tokenizer;
    private final int threads;
    private final double minCosine;
    private final float[][] reference;

    /**
     * @param name      what the sentences are, for {@link #describe()} (e.g. the file name)
     * @param tokenizer the model's tokenizer; stays the caller's (not closed here)
     * @param original  the uncompressed model whose embeddings are the reference; not closed
     * @param minCosine the floor for every sentence's cosine, or {@link Double#NEGATIVE_INFINITY} for none
     */
    public EmbeddingCosine(String name, List<String> sentences, TextTokenizer tokenizer, Model original, int threads,
                           double minCosine) {
        if (sentences.isEmpty()) {
            throw new IllegalArgumentException("no sentences to measure embeddings on (" + name + ")");
        }
        if (!(minCosine <= 1)) {
            throw new IllegalArgumentException("the per-sentence cosine floor must be <= 1, was " + minCosine);
        }
        this.name = name;
        this.tokens = tokenizer.encode(sentences);
        this.tokenizer = tokenizer;
        this.threads = threads;
        this.minCosine = minCosine;
        this.reference = embed(original);
    }

    @Override
    public String describe() {
        String floor = minCosine > Double.NEGATIVE_INFINITY
                ? String.format(Locale.ROOT, ", every sentence >= %.4g", minCosine) : "";
        return String.format(Locale.ROOT, "mean cosine x 100 against the original on %d sentences of %s%s",
                tokens.size(), name, floor);
    }

    @Override
    public double score(Model model) {
        float[][] candidate = embed(model);
        double sum = 0;
        for (int i = 0; i < reference.length; i++) {
            double cos = EmbeddingFidelity.cosine(reference[i], candidate[i]);
            if (cos < minCosine) {
                return Double.NEGATIVE_INFINITY;
            }
            sum += cos;
        }
        return 100 * sum / reference.length;
    }

    private float[][] embed(Model model) {
        try (TextEmbedder e = TextEmbedder.over(model, tokenizer, new SessionOptions(threads),
                TextEmbedder.DEFAULT_BATCH)) {
            return e.embed(tokens);
        }
    }
}
