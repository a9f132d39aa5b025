package dev.nnzip.format;

import dev.nnzip.ModelFormatException;
import dev.nnzip.tensor.DType;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * An open .nnz file, memory-mapped read-only. The header and tensor table are validated completely at open — every
 * offset and length checked against the file before anything is allocated — so a truncated or hostile file fails here
 * with the byte offset of the problem. Block payloads are checked against their CRC32C when read.
 *
 * <p>Thread-safe; {@link #close()} unmaps the file and is idempotent. A block read after close fails with an exception
 * (the mapping belongs to a shared {@link Arena}), never with a crash.
 */
public final class NnzFile implements AutoCloseable {
    private final Path path;
    private final Arena arena;
    private final MemorySegment file;
    private final ByteBuffer graph;
    private final Map<String, NnzTensor> tensors;
    private volatile boolean closed;

    private NnzFile(Path path, Arena arena, MemorySegment file, ByteBuffer graph, Map<String, NnzTensor> tensors) {
        this.path = path;
        this.arena = arena;
        this.file = file;
        this.graph = graph;
        this.tensors = tensors;
    }

    /** Whether {@code path} starts with the .nnz magic (to tell .nnz from .onnx by content, not by name). */
    public static boolean isNnz(Path path) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(NnzFormat.MAGIC.length);
            ch.read(b, 0);
            return b.position() == NnzFormat.MAGIC.length && b.flip().equals(ByteBuffer.wrap(NnzFormat.MAGIC));
        } catch (IOException e) {
            return false;
        }
    }

    public static NnzFile open(Path path) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < NnzFormat.HEADER_BYTES) {
                throw new ModelFormatException(0, path + " is too short to be a .nnz file (" + size + " bytes, the"
                        + " header alone is " + NnzFormat.HEADER_BYTES + ")");
            }
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            ByteBuffer all = seg.asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            Reader r = new Reader(path, all, size);
            ByteBuffer graph = r.header();
            Map<String, NnzTensor> tensors = r.table();
            return new NnzFile(path, arena, seg, graph, tensors);
        } catch (NoSuchFileException e) {
            arena.close();
            throw new ModelFormatException("model file " + path + " does not exist", e);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** Validating parser of the header and table. */
    private static final class Reader {
        private final Path path;
        private final ByteBuffer all;
        private final long size;
        private long tableOffset;
        private long tableLength;
        private int tableCrc;

        Reader(Path path, ByteBuffer all, long size) {
            this.path = path;
            this.all = all;
            this.size = size;
        }

        ByteBuffer header() {
            for (int i = 0; i < NnzFormat.MAGIC.length; i++) {
                if (all.get(i) != NnzFormat.MAGIC[i]) {
                    throw fail(i, "not a .nnz file: bad magic (expected \\x89NNZ\\r\\n\\x1a\\n)");
                }
            }
            int major = Short.toUnsignedInt(all.getShort(NnzFormat.OFF_MAJOR));
            if (major != NnzFormat.MAJOR) {
                throw fail(NnzFormat.OFF_MAJOR, "unsupported .nnz version " + major + "."
                        + Short.toUnsignedInt(all.getShort(NnzFormat.OFF_MINOR)) + ", this nnzip reads version "
                        + NnzFormat.MAJOR + ".x");
            }
            long fileLength = all.getLong(NnzFormat.OFF_FILE_LENGTH);
            if (fileLength != size) {
                throw fail(NnzFormat.OFF_FILE_LENGTH, "the header records " + fileLength + " bytes but the file has "
                        + size + " (truncated or appended to)");
            }
            long graphOffset = all.getLong(NnzFormat.OFF_GRAPH_OFFSET);
            long graphLength = all.getLong(NnzFormat.OFF_GRAPH_LENGTH);
            checkRange(NnzFormat.OFF_GRAPH_OFFSET, "graph", graphOffset, graphLength);
            tableOffset = all.getLong(NnzFormat.OFF_TABLE_OFFSET);
            tableLength = all.getLong(NnzFormat.OFF_TABLE_LENGTH);
            checkRange(NnzFormat.OFF_TABLE_OFFSET, "tensor table", tableOffset, tableLength);
            tableCrc = all.getInt(NnzFormat.OFF_TABLE_CRC);
            ByteBuffer graph = slice(graphOffset, graphLength);
            if (crc(graph) != all.getInt(NnzFormat.OFF_GRAPH_CRC)) {
                throw fail(graphOffset, "the graph section is corrupted (CRC32C mismatch)");
            }
            return ByteBuffer.wrap(Sections.unpack(graph, graphOffset, path, "graph"));
        }

        Map<String, NnzTensor> table() {
            ByteBuffer stored = slice(tableOffset, tableLength);
            if (crc(stored) != tableCrc) {
                throw fail(tableOffset, "the tensor table is corrupted (CRC32C mismatch)");
            }
            ByteBuffer t = ByteBuffer.wrap(Sections.unpack(stored, tableOffset, path, "tensor table"))
                    .order(ByteOrder.LITTLE_ENDIAN);
            tableLength = t.remaining(); // offsets in table errors below are relative to the decompressed table
            int count = t.getInt();
            // each entry takes at least 47 bytes: a count beyond that is a lie, caught before allocating for it
            if (count < 0 || count > tableLength / 47) {
                throw fail(tableOffset, "tensor table claims " + count + " tensors in " + tableLength + " bytes");
            }
            Map<String, NnzTensor> out = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                NnzTensor tensor = entry(t);
                if (out.put(tensor.name(), tensor) != null) {
                    throw fail(tableOffset, "tensor '" + tensor.name() + "' appears twice in the table");
                }
            }
            if (t.hasRemaining()) {
                throw fail(tableOffset + t.position(), t.remaining() + " stray bytes after the last table entry");
            }
            return Collections.unmodifiableMap(out);
        }

        private NnzTensor entry(ByteBuffer t) {
            long at = tableOffset + t.position();
            String name = string(t, Short.toUnsignedInt(need(t, 2).getShort()), "tensor name");
            int dtypeId = Byte.toUnsignedInt(need(t, 1).get());
            DType dtype;
            try {
                dtype = DType.fromOnnx(dtypeId);
            } catch (IllegalArgumentException e) {
                throw fail(at, "tensor '" + name + "': " + e.getMessage());
            }
            int rank = Byte.toUnsignedInt(need(t, 1).get());
            if (rank > NnzFormat.MAX_RANK) {
                throw fail(at, "tensor '" + name + "' has rank " + rank + ", at most " + NnzFormat.MAX_RANK);
            }
            int[] shape = new int[rank];
            long elements = 1;
            need(t, 4L * rank);
            for (int d = 0; d < rank; d++) {
                shape[d] = t.getInt();
                if (shape[d] < 0) {
                    throw fail(at, "tensor '" + name + "' has a negative dimension " + shape[d]);
                }
                elements = Math.min(Long.MAX_VALUE / 8, elements * Math.max(1, shape[d]));
                if (shape[d] == 0) {
                    elements = 0;
                }
            }
            String codec = string(t, Byte.toUnsignedInt(need(t, 1).get()), "codec name");
            int paramLength = need(t, 4).getInt();
            if (paramLength < 0 || paramLength > t.remaining()) {
                throw fail(tableOffset + t.position() - 4, "tensor '" + name + "': parameter length " + paramLength
                        + " exceeds the table (" + t.remaining() + " bytes left)");
            }
            byte[] params = new byte[paramLength];
            t.get(params);
            int boundKind = Byte.toUnsignedInt(need(t, 1).get());
            double boundValue = need(t, 8).getDouble();
            if (boundKind > 1 || !(boundValue >= 0) || Double.isInfinite(boundValue)) {
                throw fail(at, "tensor '" + name + "' has an invalid requested bound (kind " + boundKind + ", value "
                        + boundValue + "), expected kind 0 (absolute) or 1 (relative) and a finite value >= 0");
            }
            double eb = need(t, 8).getDouble();
            double maxError = need(t, 8).getDouble();
            long raw = need(t, 8).getLong();
            if (!(eb >= 0) || Double.isInfinite(eb) || !(maxError >= 0) || maxError > eb && eb > 0) {
                throw fail(at, "tensor '" + name + "' has an invalid error bound " + eb + " (measured max error "
                        + maxError + ")");
            }
            int blockCount = need(t, 4).getInt();
            if (blockCount < 0 || (long) blockCount * 20 > t.remaining()) {
                throw fail(tableOffset + t.position() - 4, "tensor '" + name + "' claims " + blockCount
                        + " blocks but the table has room for " + t.remaining() / 20);
            }
            List<NnzBlock> blocks = new ArrayList<>(blockCount);
            long values = 0;
            for (int b = 0; b < blockCount; b++) {
                long blockAt = tableOffset + t.position();
                NnzBlock k = new NnzBlock(t.getLong(), t.getInt(), t.getInt(), t.getInt());
                if (k.offset() < NnzFormat.HEADER_BYTES || k.length() < 0 || k.values() < 0
                        || k.offset() > size - k.length()) {
                    throw fail(blockAt, "tensor '" + name + "' block " + b + " at [" + k.offset() + ", "
                            + (k.offset() + k.length()) + ") lies outside the file (" + size + " bytes)");
                }
                values += k.values();
                blocks.add(k);
            }
            if (values != elements) {
                throw fail(at, "tensor '" + name + "': its blocks hold " + values + " values but its shape "
                        + java.util.Arrays.toString(shape) + " needs " + elements);
            }
            return new NnzTensor(name, dtype, shape, codec, params, boundKind, boundValue, eb, maxError, raw, blocks);
        }

        private ByteBuffer need(ByteBuffer t, long n) {
            if (t.remaining() < n) {
                throw fail(tableOffset + t.position(), "tensor table ends in the middle of an entry");
            }
            return t;
        }

        private String string(ByteBuffer t, int length, String what) {
            need(t, length);
            byte[] b = new byte[length];
            t.get(b);
            return new String(b, StandardCharsets.UTF_8);
        }

        private void checkRange(int field, String what, long offset, long length) {
            if (offset < NnzFormat.HEADER_BYTES || length < 0 || offset > size - length || length > Integer.MAX_VALUE) {
                throw fail(field, "the " + what + " at [" + offset + ", " + (offset + length)
                        + ") lies outside the file (" + size + " bytes)");
            }
        }

        private ByteBuffer slice(long offset, long length) {
            return all.slice((int) offset, (int) length).order(ByteOrder.LITTLE_ENDIAN);
        }

        private ModelFormatException fail(long offset, String message) {
            return new ModelFormatException(offset, path + ": " + message);
        }
    }

    static int crc(ByteBuffer b) {
        CRC32C c = new CRC32C();
        c.update(b.duplicate());
        return (int) c.getValue();
    }

    public Path path() {
        return path;
    }

    /** The ONNX ModelProto bytes of the graph (weights without data). */
    public ByteBuffer graph() {
        checkOpen();
        return graph.asReadOnlyBuffer();
    }

    /** The tensor table by name, in file order. */
    public Map<String, NnzTensor> tensors() {
        return tensors;
    }

    /**
     * The payload of block {@code index} of {@code tensor}, checked against its CRC32C: a corrupted block fails naming the
     * tensor, the block and its offset.
     */
    public ByteBuffer block(NnzTensor tensor, int index) {
        checkOpen();
        NnzBlock b = tensor.blocks().get(index);
        ByteBuffer payload = file.asSlice(b.offset(), b.length()).asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        if (crc(payload) != b.crc32c()) {
            throw new ModelFormatException(b.offset(), path + ": tensor '" + tensor.name() + "' block " + index
                    + " is corrupted (CRC32C mismatch)");
        }
        return payload.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Bytes of the whole file. */
    public long fileBytes() {
        return file.byteSize();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(path + " is closed");
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
