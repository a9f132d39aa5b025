package dev.nnzip.text;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** all-MiniLM-L6-v2 FP32 and its tokenizer.json, copied once per JVM out of the langchain4j jar on the test classpath. */
final class MiniLm {
    private static Path dir;

    private MiniLm() {
    }

    static synchronized Path model() {
        return copy("all-minilm-l6-v2.onnx");
    }

    static synchronized Path tokenizer() {
        return copy("all-minilm-l6-v2-tokenizer.json");
    }

    /** The evaluation corpus committed under data/corpus (tests run with the module directory as working dir). */
    static Path corpus() {
        return Path.of("..", "data", "corpus", "fortunes-sentences.txt");
    }

    private static Path copy(String resource) {
        try {
            if (dir == null) {
                dir = Files.createTempDirectory("nnzip-minilm");
                dir.toFile().deleteOnExit();
            }
            Path out = dir.resolve(resource);
            if (!Files.exists(out)) {
                try (InputStream in = MiniLm.class.getResourceAsStream("/" + resource)) {
                    if (in == null) {
                        throw new IllegalStateException(resource + " is not on the test classpath (langchain4j jar)");
                    }
                    Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                }
                out.toFile().deleteOnExit();
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
