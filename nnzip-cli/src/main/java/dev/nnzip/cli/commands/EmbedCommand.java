package dev.nnzip.cli.commands;

import dev.nnzip.runtime.SessionOptions;
import dev.nnzip.runtime.weights.MemoryMode;
import dev.nnzip.tensor.Tensor;
import dev.nnzip.tensor.io.Npy;
import dev.nnzip.text.TextEmbedder;
import dev.nnzip.text.TextLines;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code nnzip embed MODEL --tokenizer tokenizer.json --text FILE [--output FILE.npy] [--memory MODE] [--threads N]}:
 * one sentence per line in, a float32 [lines, dim] .npy of unit-length sentence embeddings out (row i = line i + 1;
 * empty lines are embedded too, see {@link TextLines}).
 */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Sentence embeddings (mean-pooled, L2-normalised) of a text file, one sentence per line.")
public final class EmbedCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "the encoder (.onnx or .nnz), e.g. all-MiniLM-L6-v2")
    Path model;

    @Option(names = "--tokenizer", required = true, paramLabel = "tokenizer.json",
            description = "the model's HuggingFace tokenizer.json")
    Path tokenizer;

    @Option(names = "--text", required = true, paramLabel = "FILE", description = "UTF-8 text, one sentence per line")
    Path text;

    @Option(names = "--output", paramLabel = "FILE.npy", description = "write the [lines, dim] float32 embeddings here")
    Path output;

    @Option(names = "--memory", paramLabel = "MODE",
            description = "weight memory: eager | layerwise | prefetch | budget=BYTES (default: eager for .onnx, "
                    + "prefetch for .nnz)")
    String memory;

    @Option(names = "--threads", paramLabel = "N", description = "worker threads (default: all cores)")
    Integer threads;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "" + TextEmbedder.DEFAULT_BATCH,
            description = "sentences per inference call (default: ${DEFAULT-VALUE})")
    int batch;

    @Override
    public Integer call() throws Exception {
        List<String> lines = TextLines.read(text);
        try (TextEmbedder e = TextEmbedder.open(model, tokenizer, options(threads, memory), batch)) {
            long t0 = System.nanoTime();
            float[][] v = e.embed(lines);
            double seconds = (System.nanoTime() - t0) / 1e9;
            int dim = v.length == 0 ? 0 : v[0].length;
            System.out.printf(Locale.ROOT, "%d sentences -> %d x %d embeddings in %.2f s (max %d tokens per sentence)%n",
                    v.length, v.length, dim, seconds, e.tokenizer().maxLength());
            if (output != null) {
                float[] flat = new float[v.length * dim];
                for (int i = 0; i < v.length; i++) {
                    System.arraycopy(v[i], 0, flat, i * dim, dim);
                }
                Npy.write(output, Tensor.of(flat, v.length, dim));
                System.out.println("written to " + output);
            }
        }
        return 0;
    }

    static SessionOptions options(Integer threads, String memory) {
        SessionOptions o = threads == null ? SessionOptions.defaults() : new SessionOptions(threads);
        return memory == null ? o : o.withMemory(MemoryMode.parse(memory));
    }
}
