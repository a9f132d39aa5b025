package dev.nnzip.cli.commands;

import dev.nnzip.text.EmbeddingFidelity;
import dev.nnzip.text.TextEmbedder;
import dev.nnzip.text.TextLines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code nnzip fidelity ORIGINAL CANDIDATE --tokenizer tokenizer.json --text FILE [--json]}: how close a compressed
 * text encoder's embeddings stay to the original's ({@link EmbeddingFidelity}). To measure a model nnzip cannot run
 * (ONNX Runtime's int8 MiniLM), use {@code nnzip-bench fidelity ... ort:MODEL}: same code, other engine.
 */
@Command(name = "fidelity", mixinStandardHelpOptions = true,
        description = "Per-sentence cosine (mean, median, p1, min) and nearest-neighbour agreement of CANDIDATE's "
                + "embeddings vs ORIGINAL's.")
public final class FidelityCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ORIGINAL", description = "the reference encoder (.onnx or .nnz)")
    Path original;

    @Parameters(index = "1", paramLabel = "CANDIDATE", description = "the encoder to judge (.onnx or .nnz)")
    Path candidate;

    @Option(names = "--tokenizer", required = true, paramLabel = "tokenizer.json")
    Path tokenizer;

    @Option(names = "--text", required = true, paramLabel = "FILE", description = "UTF-8 text, one sentence per line")
    Path text;

    @Option(names = "--memory", paramLabel = "MODE", description = "weight memory mode for both models")
    String memory;

    @Option(names = "--threads", paramLabel = "N", description = "worker threads (default: all cores)")
    Integer threads;

    @Option(names = "--json", description = "print one JSON object instead of the table")
    boolean json;

    @Override
    public Integer call() throws Exception {
        List<String> sentences = TextLines.read(text);
        float[][] a = embed(original, sentences);
        float[][] b = embed(candidate, sentences);
        EmbeddingFidelity f = EmbeddingFidelity.compare(a, b);
        double ratio = (double) Files.size(original) / Files.size(candidate);
        if (json) {
            System.out.println(f.toJson().replaceFirst("}$", String.format(Locale.ROOT,
                    ", \"original_bytes\": %d, \"candidate_bytes\": %d, \"size_ratio\": %.4f}",
                    Files.size(original), Files.size(candidate), ratio)));
        } else {
            System.out.printf(Locale.ROOT, "%s vs %s: file size ratio %.2fx%n%s%n", candidate.getFileName(),
                    original.getFileName(), ratio, f.toText());
        }
        return 0;
    }

    private float[][] embed(Path model, List<String> sentences) {
        try (TextEmbedder e = TextEmbedder.open(model, tokenizer, EmbedCommand.options(threads, memory))) {
            return e.embed(sentences);
        }
    }
}
