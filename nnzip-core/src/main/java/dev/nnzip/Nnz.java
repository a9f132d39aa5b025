package dev.nnzip;

import dev.nnzip.onnx.OnnxImporter;
import dev.nnzip.runtime.Model;
import dev.nnzip.runtime.weights.MemoryMode;
import java.nio.file.Path;

/**
 * Entry point: {@code try (var model = Nnz.load(path); var session = model.newSession()) { session.run(inputs); }}.
 */
public final class Nnz {
    private Nnz() {
    }

    /** Loads an ONNX model. Every operator is checked now; an unsupported one fails here naming the node. */
    public static Model load(Path path) {
        return load(path, MemoryMode.EAGER);
    }

    /**
     * Loads a model whose sessions default to {@code memory} (a session may still choose another mode). With eager, all
     * weights are decoded now.
     */
    public static Model load(Path path, MemoryMode memory) {
        OnnxImporter.Imported imported = OnnxImporter.read(path);
        try {
            return new Model(path.getFileName().toString(), imported.graph(), memory, imported);
        } catch (RuntimeException e) {
            imported.close();
            throw e;
        }
    }
}
