package dev.nnzip.text;

import dev.nnzip.InvalidInputException;
import dev.nnzip.ModelFormatException;
import dev.nnzip.Nnz;
import dev.nnzip.graph.Graph;
import dev.nnzip.graph.Node;
import dev.nnzip.graph.ValueInfo;
import dev.nnzip.graph.Weight;
import dev.nnzip.runtime.Model;
import dev.nnzip.runtime.Session;
import dev.nnzip.runtime.SessionOptions;
import dev.nnzip.tensor.Tensor;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Sentence embeddings from a BERT-style encoder (all-MiniLM-L6-v2 and its kind) run by nnzip: the model's own
 * tokenizer.json, the encoder as .onnx or .nnz ({@link Nnz#load}), attention-masked mean pooling and L2 normalisation.
 *
 * <pre>{@code
 * try (var e = TextEmbedder.open(Path.of("all-minilm-l6-v2.nnz"), Path.of("tokenizer.json"), new SessionOptions(2))) {
 *     float[][] v = e.embed(List.of("A first sentence.", "Another one."));
 * }
 * }</pre>
 *
 * <p>At open, the tokenizer's vocabulary is checked against the model's word-embedding table (the Gather that
 * {@code input_ids} indexes): a tokenizer that can emit ids the table has no row for is refused with both sizes, rather
 * than failing later inside a Gather with an index error. Sentences are run in batches of {@code batchSize} (padded to
 * the longest in the batch). One embedder is one session: not for concurrent use; open one per thread.
 */
public final class TextEmbedder implements SentenceEmbedder {
    /** Sentences per inference call: large enough to amortise per-node overhead, small enough to keep padding low. */
    public static final int DEFAULT_BATCH = 16;

    private final Model model;
    private final Session session;
    private final TextTokenizer tokenizer;
    private final int batchSize;
    private final String hiddenOutput;
    private final OptionalInt embeddingRows;
    /** False for {@link #over}: the caller keeps the model and the tokenizer. */
    private final boolean ownsModelAndTokenizer;
    private boolean closed;

    private TextEmbedder(Model model, Session session, TextTokenizer tokenizer, int batchSize,
                         boolean ownsModelAndTokenizer) {
        this.ownsModelAndTokenizer = ownsModelAndTokenizer;
        this.model = model;
        this.session = session;
        this.tokenizer = tokenizer;
        this.batchSize = batchSize;
        this.hiddenOutput = hiddenStateOutput(model.outputs());
        this.embeddingRows = wordEmbeddingRows(model.graph());
        checkInputs(model.inputs());
        if (embeddingRows.isPresent() && tokenizer.vocabularySize() > embeddingRows.getAsInt()) {
            throw new InvalidInputException(vocabularyMismatch(tokenizer.vocabularySize() + " tokens (ids up to "
                    + (tokenizer.vocabularySize() - 1) + ")"));
        }
    }

    public static TextEmbedder open(Path model, Path tokenizerJson, SessionOptions options) {
        return open(model, tokenizerJson, options, DEFAULT_BATCH);
    }

    public static TextEmbedder open(Path model, Path tokenizerJson, SessionOptions options, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        TextTokenizer tokenizer = TextTokenizer.load(tokenizerJson);
        Model m = null;
        Session s = null;
        try {
            m = Nnz.load(model);
            s = m.newSession(options);
            return new TextEmbedder(m, s, tokenizer, batchSize, true);
        } catch (RuntimeException e) {
            if (s != null) {
                s.close();
            }
            if (m != null) {
                m.close();
            }
            tokenizer.close();
            throw e;
        }
    }

    /**
     * An embedder over a model and a tokenizer that the caller keeps owning: closing it closes only its own session.
     * For measuring many candidate models with one tokenizer (the compression tuner's cosine metric).
     */
    public static TextEmbedder over(Model model, TextTokenizer tokenizer, SessionOptions options, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        Session s = model.newSession(options);
        try {
            return new TextEmbedder(model, s, tokenizer, batchSize, false);
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    @Override
    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    public Model model() {
        return model;
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

    @Override
    public float[][] embedBatch(TokenBatch batch) {
        if (closed) {
            throw new IllegalStateException("text embedder is closed");
        }
        if (embeddingRows.isPresent() && batch.maxId() >= embeddingRows.getAsInt()) {
            throw new InvalidInputException(vocabularyMismatch("emitted token id " + batch.maxId()));
        }
        Map<String, Tensor> out = session.run(batch.feed(model.inputs()));
        Tensor hidden = out.get(hiddenOutput);
        if (hidden.rank() != 3 || hidden.dim(0) != batch.size() || hidden.dim(1) != batch.length()) {
            throw new ModelFormatException("output '" + hiddenOutput + "' has shape "
                    + java.util.Arrays.toString(hidden.shape()) + ", expected [" + batch.size() + ", "
                    + batch.length() + ", hidden] (the last hidden state)");
        }
        return MeanPooling.pool(hidden.floats(), batch.size(), batch.length(), hidden.dim(2), batch.mask());
    }

    private String vocabularyMismatch(String what) {
        return "tokenizer " + tokenizer.source().getFileName() + " does not match model " + model.name()
                + ": the tokenizer " + what + " but the model's word-embedding table has " + embeddingRows.getAsInt()
                + " rows (vocabulary of " + embeddingRows.getAsInt() + " tokens); use the tokenizer.json the model "
                + "was trained with";
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!ownsModelAndTokenizer) {
            session.close();
            return;
        }
        try (model; session; tokenizer) {
            // try-with-resources closes all three, in reverse order, even if one throws.
        }
    }

    /**
     * The token-level output: {@code last_hidden_state} when the model has it (the HuggingFace export name), else
     * its only rank-3 (or unknown-rank) output.
     */
    static String hiddenStateOutput(List<ValueInfo> outputs) {
        for (ValueInfo o : outputs) {
            if (o.name().equals("last_hidden_state")) {
                return o.name();
            }
        }
        List<ValueInfo> rank3 = outputs.stream().filter(o -> !o.hasShape() || o.shape().size() == 3).toList();
        if (rank3.size() != 1) {
            throw new ModelFormatException("cannot tell which output is the last hidden state [batch, tokens, hidden]; "
                    + "outputs are " + outputs);
        }
        return rank3.getFirst().name();
    }

    private static void checkInputs(List<ValueInfo> inputs) {
        if (inputs.stream().noneMatch(i -> i.name().equals(TokenBatch.INPUT_IDS))) {
            throw new ModelFormatException("the model has no '" + TokenBatch.INPUT_IDS + "' input; inputs are " + inputs);
        }
    }

    /**
     * Rows of the table that {@code input_ids} (directly or through Cast/Identity) is gathered from, i.e. the number of
     * token ids the model knows; empty when the graph does not have that shape (the per-batch check is then skipped
     * and the Gather reports out-of-range ids itself).
     */
    static OptionalInt wordEmbeddingRows(Graph graph) {
        Set<String> ids = new HashSet<>(Set.of(TokenBatch.INPUT_IDS));
        for (Node n : graph.nodes()) {
            boolean fromIds = !n.inputs().isEmpty() && ids.contains(n.input(0));
            if (fromIds && (n.opType().equals("Cast") || n.opType().equals("Identity"))) {
                ids.add(n.outputs().getFirst());
            }
            if (n.opType().equals("Gather") && n.inputs().size() >= 2 && ids.contains(n.input(1))) {
                Weight table = graph.weights().get(n.input(0));
                if (table != null && table.shape().length == 2) {
                    return OptionalInt.of(table.shape()[0]);
                }
            }
        }
        return OptionalInt.empty();
    }
}
