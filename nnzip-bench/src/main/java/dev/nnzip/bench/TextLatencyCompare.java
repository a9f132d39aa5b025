package dev.nnzip.bench;

import dev.nnzip.runtime.LatencyStats;
import dev.nnzip.runtime.weights.MemoryMode;
import dev.nnzip.text.SentenceEmbedder;
import dev.nnzip.text.TokenBatch;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Latency of sentence embedding (encoder + pooling, tokenization excluded) for several models and engines in one
 * process, interleaved in rounds so drift on a shared machine hits every engine alike. Prints a Markdown table.
 *
 * <pre>nnzip-bench text-latency nnzip:minilm.onnx nnzip:minilm.nnz ort:minilm.onnx ort:minilm-q.onnx \
 *     --tokenizer tokenizer.json --threads 2</pre>
 */
@Command(name = "text-latency", mixinStandardHelpOptions = true,
        description = "Batch latency of text embedding on nnzip and ONNX Runtime (prefix models with nnzip: or ort:).")
final class TextLatencyCompare implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = "[nnzip:|ort:]model, at least one")
    List<String> models;

    @Option(names = "--tokenizer", required = true, paramLabel = "tokenizer.json")
    java.nio.file.Path tokenizer;

    @Option(names = "--sentence", defaultValue = "The quick brown fox jumps over the lazy dog near the river bank.",
            description = "the sentence to embed (repeated --batch times)")
    String sentence;

    @Option(names = "--batch", defaultValue = "1")
    int batch;

    @Option(names = "--threads", defaultValue = "2")
    int threads;

    @Option(names = "--memory", description = "nnzip memory mode for .nnz models (default: prefetch)")
    String memory;

    @Option(names = "--warmup", defaultValue = "20")
    int warmup;

    @Option(names = "--runs", defaultValue = "100")
    int runs;

    @Override
    public Integer call() throws Exception {
        MemoryMode mode = memory == null ? null : MemoryMode.parse(memory);
        List<SentenceEmbedder> embedders = new ArrayList<>();
        try {
            for (String m : models) {
                embedders.add(Engine.prefixOf(m).open(Engine.pathOf(m), tokenizer, threads, mode));
            }
            TokenBatch tokens = embedders.getFirst().tokenizer().encode(java.util.Collections.nCopies(batch, sentence));
            for (SentenceEmbedder e : embedders) {
                LatencyStats.measure(warmup, 1, () -> e.embedBatch(tokens));
            }
            double[][] ms = new double[embedders.size()][runs];
            int rounds = 5;
            int per = Math.max(1, runs / rounds);
            int k = 0;
            for (int r = 0; r < rounds && k < runs; r++) {
                for (int i = 0; i < per && k < runs; i++, k++) {
                    for (int j = 0; j < embedders.size(); j++) {
                        long t0 = System.nanoTime();
                        embedders.get(j).embedBatch(tokens);
                        ms[j][k] = (System.nanoTime() - t0) / 1e6;
                    }
                }
            }
            System.out.printf(Locale.ROOT, "batch %d, %d tokens, %d threads, %d runs%n", batch, tokens.length(),
                    threads, k);
            System.out.println("| model | engine | file size | p50 | p90 |");
            System.out.println("|---|---|---|---|---|");
            for (int j = 0; j < embedders.size(); j++) {
                LatencyStats s = LatencyStats.of(Arrays.copyOf(ms[j], k));
                String m = models.get(j);
                System.out.printf(Locale.ROOT, "| %s | %s | %.1f MB | %.2f ms | %.2f ms |%n",
                        Engine.pathOf(m).getFileName(), Engine.prefixOf(m).name().toLowerCase(Locale.ROOT),
                        Files.size(Engine.pathOf(m)) / 1e6, s.medianMs(), s.p90Ms());
            }
        } finally {
            for (SentenceEmbedder e : embedders) {
                e.close();
            }
        }
        return 0;
    }
}
