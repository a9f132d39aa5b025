package dev.nnzip.bench;

import dev.nnzip.text.EmbeddingFidelity;
import dev.nnzip.text.SentenceEmbedder;
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
 * {@code nnzip-bench fidelity ORIGINAL CANDIDATE... --tokenizer T --text FILE [--json]}: the same report as
 * {@code nnzip fidelity}, but either model may run on ONNX Runtime (prefix {@code ort:}), e.g. the int8 MiniLM.
 */
@Command(name = "fidelity", mixinStandardHelpOptions = true,
        description = "Embedding fidelity of CANDIDATE vs ORIGINAL; prefix a model with ort: to run it on ONNX Runtime.")
final class TextFidelityCompare implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ORIGINAL", description = "[nnzip:|ort:]model (.onnx; .nnz with nnzip)")
    String original;

    @Parameters(index = "1..*", paramLabel = "CANDIDATE", description = "[nnzip:|ort:]model, one or more")
    List<String> candidates;

    @Option(names = "--tokenizer", required = true, paramLabel = "tokenizer.json")
    Path tokenizer;

    @Option(names = "--text", required = true, paramLabel = "FILE", description = "UTF-8, one sentence per line")
    Path text;

    @Option(names = "--threads", defaultValue = "2")
    int threads;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Override
    public Integer call() throws Exception {
        List<String> sentences = TextLines.read(text);
        float[][] a = embed(original, sentences);
        for (String candidate : candidates) {
            EmbeddingFidelity f = EmbeddingFidelity.compare(a, embed(candidate, sentences));
            double ratio = (double) Files.size(Engine.pathOf(original)) / Files.size(Engine.pathOf(candidate));
            if (json) {
                System.out.println(f.toJson().replaceFirst("}$", String.format(Locale.ROOT,
                        ", \"original\": \"%s\", \"candidate\": \"%s\", \"size_ratio\": %.4f}",
                        Engine.pathOf(original).getFileName(), Engine.pathOf(candidate).getFileName(), ratio)));
            } else {
                System.out.printf(Locale.ROOT, "%s vs %s (file size ratio %.2fx)%n%s%n%n", candidate, original, ratio,
                        f.toText());
            }
        }
        return 0;
    }

    private float[][] embed(String spec, List<String> sentences) throws Exception {
        try (SentenceEmbedder e = Engine.prefixOf(spec).open(Engine.pathOf(spec), tokenizer, threads, null)) {
            return e.embed(sentences);
        }
    }
}
