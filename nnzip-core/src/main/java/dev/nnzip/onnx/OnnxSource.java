package dev.nnzip.onnx;

import dev.nnzip.ModelFormatException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The memory-mapped files behind an imported ONNX model: the .onnx itself and any external-data files beside it.
 *
 * <p>Mappings live in one shared {@link Arena}; {@link #close()} unmaps them all (idempotent). Buffers handed out are
 * views of segments of that arena, so a use after close fails with an exception instead of touching unmapped memory.
 */
public final class OnnxSource implements AutoCloseable {
    private final Path modelFile;
    private final Arena arena = Arena.ofShared();
    private final Map<Path, MemorySegment> externals = new ConcurrentHashMap<>();
    private volatile boolean closed;

    OnnxSource(Path modelFile) {
        this.modelFile = modelFile;
    }

    /** Maps the model file itself. */
    ByteBuffer mapModel() throws IOException {
        return map(modelFile).asByteBuffer();
    }

    private MemorySegment map(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size == 0) {
                return MemorySegment.NULL.reinterpret(0);
            }
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
        }
    }

    /**
     * The bytes of one externally stored tensor, as onnx.proto's external-data convention locates them: {@code location}
     * relative to the model's directory, {@code offset} and {@code length} in bytes (length -1 = to end of file).
     */
    ByteBuffer external(String tensor, String location, long offset, long length) {
        checkOpen();
        Path dir = modelFile.toAbsolutePath().getParent();
        Path file = dir.resolve(location).normalize();
        if (!file.startsWith(dir)) {
            throw new ModelFormatException("tensor '" + tensor + "': external data location '" + location
                    + "' points outside the model's directory " + dir);
        }
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException("tensor '" + tensor + "': external data file " + file + " does not exist");
        }
        MemorySegment seg = externals.computeIfAbsent(file, f -> {
            try {
                return map(f);
            } catch (IOException e) {
                throw new ModelFormatException("tensor '" + tensor + "': cannot read external data file " + f + ": "
                        + e.getMessage(), e);
            }
        });
        long len = length < 0 ? seg.byteSize() - offset : length;
        if (offset < 0 || len < 0 || offset + len > seg.byteSize()) {
            throw new ModelFormatException("tensor '" + tensor + "': external data [" + offset + ", " + (offset + len)
                    + ") lies outside " + file.getFileName() + " (" + seg.byteSize() + " bytes)");
        }
        return seg.asSlice(offset, len).asByteBuffer();
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the model " + modelFile.getFileName() + " is closed");
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            arena.close();
        }
    }
}
