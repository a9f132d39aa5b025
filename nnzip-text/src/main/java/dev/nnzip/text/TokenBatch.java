package dev.nnzip.text;

import dev.nnzip.InvalidInputException;
import dev.nnzip.graph.ValueInfo;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Token ids of a batch of sentences, right-padded to the longest one (pad id 0, mask 0, type 0: BERT's [PAD]
 * convention; padded positions are masked out of attention and of the mean pooling, so their value does not matter).
 *
 * @param ids      token ids per sentence, unpadded
 * @param typeIds  token type (segment) ids per sentence, unpadded
 * @param length   the padded sequence length (the longest sentence)
 */
public record TokenBatch(List<long[]> ids, List<long[]> typeIds, int length) {
    public static final String INPUT_IDS = "input_ids";
    public static final String ATTENTION_MASK = "attention_mask";
    public static final String TOKEN_TYPE_IDS = "token_type_ids";

    public TokenBatch {
        ids = List.copyOf(ids);
        typeIds = List.copyOf(typeIds);
        if (ids.size() != typeIds.size()) {
            throw new IllegalArgumentException(ids.size() + " id rows but " + typeIds.size() + " type-id rows");
        }
        for (int b = 0; b < ids.size(); b++) {
            if (ids.get(b).length > length || typeIds.get(b).length != ids.get(b).length) {
                throw new IllegalArgumentException("sentence " + b + " has " + ids.get(b).length + " ids and "
                        + typeIds.get(b).length + " type ids; both must be equal and <= the batch length " + length);
            }
        }
    }

    public static TokenBatch of(List<long[]> ids, List<long[]> typeIds) {
        int length = ids.stream().mapToInt(a -> a.length).max().orElse(0);
        return new TokenBatch(ids, typeIds, length);
    }

    public int size() {
        return ids.size();
    }

    /** 1 for real tokens, 0 for padding: row {@code b} of the attention mask. */
    public long[][] mask() {
        long[][] m = new long[size()][length];
        for (int b = 0; b < size(); b++) {
            Arrays.fill(m[b], 0, ids.get(b).length, 1L);
        }
        return m;
    }

    /** The largest token id in the batch (to check against the model's embedding table). */
    public long maxId() {
        long max = -1;
        for (long[] row : ids) {
            for (long id : row) {
                max = Math.max(max, id);
            }
        }
        return max;
    }

    /**
     * The feed for a BERT-style encoder: one [batch, length] tensor for each of the model's inputs, in the element type
     * the model declares (int64 for the exported BERTs; int32 is honoured too). A model input that is none of the three
     * known names is an error naming it, since there would be nothing sensible to feed it.
     */
    public Map<String, Tensor> feed(List<ValueInfo> modelInputs) {
        Map<String, Tensor> feed = new LinkedHashMap<>();
        for (ValueInfo in : modelInputs) {
            if (in.dtype() != DType.INT32 && in.dtype() != DType.INT64) {
                throw new InvalidInputException("model input '" + in.name() + "' is " + in.dtype()
                        + "; token inputs must be int64 or int32");
            }
            long[] flat = switch (in.name()) {
                case INPUT_IDS -> padded(ids);
                case TOKEN_TYPE_IDS -> padded(typeIds);
                case ATTENTION_MASK -> padded(Arrays.asList(mask()));
                default -> throw new InvalidInputException("the model input '" + in.name() + "' is not a tokenizer "
                        + "output; a text-embedding model may take only " + List.of(INPUT_IDS, ATTENTION_MASK,
                        TOKEN_TYPE_IDS));
            };
            feed.put(in.name(), Tensor.wrap(in.dtype(), new int[] {size(), length}, flat));
        }
        return feed;
    }

    /** Row-major [batch, length], each row right-padded with 0. */
    private long[] padded(List<long[]> rows) {
        long[] flat = new long[size() * length];
        for (int b = 0; b < rows.size(); b++) {
            System.arraycopy(rows.get(b), 0, flat, b * length, Math.min(length, rows.get(b).length));
        }
        return flat;
    }
}
