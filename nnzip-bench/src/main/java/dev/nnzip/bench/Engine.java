package dev.nnzip.bench;

import dev.nnzip.runtime.SessionOptions;
import dev.nnzip.runtime.weights.MemoryMode;
import dev.nnzip.text.SentenceEmbedder;
import dev.nnzip.text.TextEmbedder;
import java.nio.file.Path;

/** Which engine embeds text: nnzip (any .onnx or .nnz it supports) or ONNX Runtime (any .onnx). */
enum Engine {
    NNZIP, ORT;

    SentenceEmbedder open(Path model, Path tokenizer, int threads, MemoryMode memory) throws Exception {
        return switch (this) {
            case NNZIP -> TextEmbedder.open(model, tokenizer, memory == null ? new SessionOptions(threads)
                    : new SessionOptions(threads, memory));
            case ORT -> new OrtTextEmbedder(model, tokenizer, threads);
        };
    }

    /** "ort:path" or "nnzip:path" (the default engine when no prefix is given). */
    static Engine prefixOf(String spec) {
        return spec.startsWith("ort:") ? ORT : NNZIP;
    }

    static Path pathOf(String spec) {
        return Path.of(spec.replaceFirst("^(ort|nnzip):", ""));
    }
}
