package dev.nnzip.bench;

import dev.nnzip.runtime.LatencyStats;
import dev.nnzip.runtime.weights.MemoryMode;
import dev.nnzip.text.SentenceEmbedder;
import dev.nnzip.text.TokenBatch;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Latency of sentence embedding (encoder + pooling, tokenization excluded) for several models and engines in one
 * process, alternating in rounds so drift on a shared machine hits every engine alike. As in {@link LatencyCompare},
 * each round opens one model's embedder, times a block of runs and closes it before the next model's: only one
 * engine's threads exist while it is timed (both engines' intra-op threads spin for a while after a run, and with all
 * sessions open and single runs interleaved every model was timed against another's spinning threads: nnzip FP32
 * MiniLM 13.6 ms that way against ~5 ms alone, measured). Prints a Markdown table.
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

    @Option(names = "--warmup", defaultValue = "20", description = "warm-up runs per model and round, at least")
    int warmup;

    @Option(names = "--warmup-seconds", defaultValue = "2",
            description = "warm-up time per model in the first round, at least (default 2): the JIT must have"
                    + " compiled the kernels; later rounds warm up for at most 0.3 s")
    double warmupSeconds;

    @Option(names = "--runs", defaultValue = "100")
    int runs;

    @Override
    public Integer call() throws Exception {
        MemoryMode mode = memory == null ? null : MemoryMode.parse(memory);
        TokenBatch tokens;
        try (SentenceEmbedder first = open(models.getFirst(), mode)) {
            tokens = first.tokenizer().encode(java.util.Collections.nCopies(batch, sentence));
        }
        int rounds = 5;
        int per = Math.max(1, runs / rounds);
        double[][] ms = new double[models.size()][per * rounds];
        for (int r = 0; r < rounds; r++) {
            double warmSeconds = r == 0 ? warmupSeconds : Math.min(0.3, warmupSeconds);
            for (int j = 0; j < models.size(); j++) {
                try (SentenceEmbedder e = open(models.get(j), mode)) {
                    long end = System.nanoTime() + (long) (warmSeconds * 1e9);
                    for (int i = 0; i < warmup || System.nanoTime() < end; i++) {
                        e.embedBatch(tokens);
                    }
                    for (int i = 0; i < per; i++) {
                        long t0 = System.nanoTime();
                        e.embedBatch(tokens);
                        ms[j][r * per + i] = (System.nanoTime() - t0) / 1e6;
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "batch %d, %d tokens, %d threads, %d runs%n", batch, tokens.length(),
                threads, per * rounds);
        System.out.println("| model | engine | file size | p50 | p90 |");
        System.out.println("|---|---|---|---|---|");
        for (int j = 0; j < models.size(); j++) {
            LatencyStats s = LatencyStats.of(ms[j]);
            String m = models.get(j);
            System.out.printf(Locale.ROOT, "| %s | %s | %.1f MB | %.2f ms | %.2f ms |%n",
                    Engine.pathOf(m).getFileName(), Engine.prefixOf(m).name().toLowerCase(Locale.ROOT),
                    Files.size(Engine.pathOf(m)) / 1e6, s.medianMs(), s.p90Ms());
        }
        return 0;
    }

    private SentenceEmbedder open(String model, MemoryMode mode) throws Exception {
        return Engine.prefixOf(model).open(Engine.pathOf(model), tokenizer, threads, mode);
    }
}
