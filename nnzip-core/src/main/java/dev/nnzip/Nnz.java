package dev.nnzip;

import dev.nnzip.format.NnzFile;
import dev.nnzip.format.NnzModelReader;
import dev.nnzip.onnx.OnnxImporter;
import java.io.IOException;
import dev.nnzip.runtime.Model;
import dev.nnzip.runtime.weights.MemoryMode;
import java.nio.file.Path;

/**
 * Entry point: {@code try (var model = Nnz.load(path); var session = model.newSession()) { session.run(inputs); }}.
 */
public final class Nnz {
    private Nnz() {
    }

    /**
     * Loads an ONNX model or a .nnz (told apart by content). Every operator is checked now; an unsupported one fails here
     * naming the node. Sessions default to eager for .onnx and to prefetch (layer-by-layer decoding) for .nnz.
     */
    public static Model load(Path path) {
        return load(path, NnzFile.isNnz(path) ? MemoryMode.PREFETCH : MemoryMode.EAGER);
    }

    /**
     * Loads a model whose sessions default to {@code memory} (a session may still choose another mode). With eager, all
     * weights are decoded now.
     */
    public static Model load(Path path, MemoryMode memory) {
        if (NnzFile.isNnz(path)) {
            NnzModelReader.Opened opened;
            try {
                opened = NnzModelReader.open(path);
            } catch (IOException e) {
                throw new ModelFormatException("cannot read " + path + ": " + e.getMessage(), e);
            }
            try {
                return new Model(path.getFileName().toString(), opened.graph(), memory, opened);
            } catch (RuntimeException e) {
                opened.close();
                throw e;
            }
        }
        OnnxImporter.Imported imported = OnnxImporter.read(path);
        try {
            return new Model(path.getFileName().toString(), imported.graph(), memory, imported);
        } catch (RuntimeException e) {
            imported.close();
            throw e;
        }
    }
}
