package dev.nnzip.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.nnzip.InvalidInputException;
import dev.nnzip.ModelFormatException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A model's own HuggingFace {@code tokenizer.json}, run by the Rust tokenizers library through DJL's JNI binding
 * (ai.djl.huggingface:tokenizers). The jar carries the native library for linux/macOS/Windows and DJL extracts it
 * once to its cache ({@code ~/.djl.ai/tokenizers}, or {@code $DJL_CACHE_DIR}); nothing is downloaded at run time.
 *
 * <p>Truncation: at the {@code truncation.max_length} the tokenizer.json declares (128 for all-MiniLM-L6-v2), or at
 * {@code fallbackMaxLength} (BERT's 512 positions) when it declares none. Padding is switched off here; {@link
 * TokenBatch} pads each batch to its own longest sentence.
 */
public final class TextTokenizer implements AutoCloseable {
    /** BERT's position-embedding count, the limit when tokenizer.json sets no truncation. */
    public static final int BERT_MAX_LENGTH = 512;

    private final HuggingFaceTokenizer tokenizer;
    private final int maxLength;
    private final int vocabularySize;
    private final Path source;
    private boolean closed;

    private TextTokenizer(HuggingFaceTokenizer tokenizer, int maxLength, int vocabularySize, Path source) {
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
        this.vocabularySize = vocabularySize;
        this.source = source;
    }

    public static TextTokenizer load(Path tokenizerJson) {
        return load(tokenizerJson, BERT_MAX_LENGTH);
    }

    public static TextTokenizer load(Path tokenizerJson, int fallbackMaxLength) {
        JsonObject json = readJson(tokenizerJson);
        int declared = declaredMaxLength(json);
        int maxLength = declared > 0 ? declared : fallbackMaxLength;
        int vocabulary = vocabularySize(json, tokenizerJson);
        try {
            HuggingFaceTokenizer t = HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of(
                    "truncation", "true", "padding", "false", "maxLength", Integer.toString(maxLength)));
            return new TextTokenizer(t, maxLength, vocabulary, tokenizerJson);
        } catch (IOException | RuntimeException e) {
            throw new ModelFormatException("cannot load tokenizer " + tokenizerJson + ": " + e.getMessage(), e);
        }
    }

    /** The longest token sequence produced (special tokens included); longer texts are cut at the end. */
    public int maxLength() {
        return maxLength;
    }

    /** Number of token ids the tokenizer can emit (largest id + 1 over the vocabulary and the added tokens). */
    public int vocabularySize() {
        return vocabularySize;
    }

    public Path source() {
        return source;
    }

    /** Tokenizes each sentence with the tokenizer's special tokens ([CLS] ... [SEP] for BERT). */
    public TokenBatch encode(List<String> sentences) {
        if (closed) {
            throw new IllegalStateException("tokenizer " + source + " is closed");
        }
        Encoding[] encodings = tokenizer.batchEncode(sentences);
        List<long[]> ids = new ArrayList<>(encodings.length);
        List<long[]> types = new ArrayList<>(encodings.length);
        for (Encoding e : encodings) {
            ids.add(e.getIds());
            types.add(e.getTypeIds());
        }
        return TokenBatch.of(ids, types);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            tokenizer.close();
        }
    }

    private static JsonObject readJson(Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            JsonElement root = JsonParser.parseReader(r);
            if (!root.isJsonObject() || !root.getAsJsonObject().has("model")) {
                throw new ModelFormatException(file + " is not a HuggingFace tokenizer.json (no \"model\" object)");
            }
            return root.getAsJsonObject();
        } catch (IOException e) {
            throw new InvalidInputException("cannot read tokenizer " + file + ": " + e.getMessage());
        } catch (RuntimeException e) {
            if (e instanceof ModelFormatException m) {
                throw m;
            }
            throw new ModelFormatException(file + " is not valid tokenizer JSON: " + e.getMessage(), e);
        }
    }

    private static int declaredMaxLength(JsonObject json) {
        JsonElement t = json.get("truncation");
        return t != null && t.isJsonObject() && t.getAsJsonObject().has("max_length")
                ? t.getAsJsonObject().get("max_length").getAsInt() : -1;
    }

    /**
     * WordPiece/WordLevel/BPE keep {@code model.vocab} as a token -> id object, Unigram as a list of [token, score]
     * pairs (id = position); added tokens carry their own ids.
     */
    private static int vocabularySize(JsonObject json, Path file) {
        JsonElement vocab = json.getAsJsonObject("model").get("vocab");
        long max = -1;
        if (vocab != null && vocab.isJsonObject()) {
            for (var e : vocab.getAsJsonObject().entrySet()) {
                max = Math.max(max, e.getValue().getAsLong());
            }
        } else if (vocab != null && vocab.isJsonArray()) {
            max = vocab.getAsJsonArray().size() - 1L;
        } else {
            throw new ModelFormatException(file + ": model.vocab is missing; cannot tell the vocabulary size");
        }
        JsonElement added = json.get("added_tokens");
        if (added != null && added.isJsonArray()) {
            for (JsonElement a : added.getAsJsonArray()) {
                max = Math.max(max, a.getAsJsonObject().get("id").getAsLong());
            }
        }
        return Math.toIntExact(max + 1);
    }
}
