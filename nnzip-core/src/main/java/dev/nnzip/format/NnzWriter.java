package dev.nnzip.format;

import dev.nnzip.tensor.DType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Writes a .nnz file: blocks are streamed to a temporary file beside the target as tensors are added, then
 * {@link #finish} appends the graph and the tensor table, fills in the header, forces the data to disk and renames the
 * file into place. Closing without finishing deletes the temporary file, so a failed compression leaves nothing behind.
 */
public final class NnzWriter implements AutoCloseable {
    private final Path target;
    private final Path temp;
    private final FileChannel out;
    private final List<NnzTensor> tensors = new ArrayList<>();
    private long position = NnzFormat.HEADER_BYTES;
    private boolean finished;

    private NnzWriter(Path target) throws IOException {
        this.target = target;
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        this.temp = Files.createTempFile(dir, "." + target.getFileName(), ".partial");
        this.out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    public static NnzWriter create(Path target) throws IOException {
        return new NnzWriter(target);
    }

    /**
     * Appends one tensor's blocks. {@code blockValues[i]} is how many values block {@code i} decodes to.
     */
    public NnzTensor addTensor(String name, DType dtype, int[] shape, String codec, byte[] params, int boundKind,
                               double boundValue, double errorBound, double maxError, long rawBytes,
                               List<ByteBuffer> blocks,
                               int[] blockValues) throws IOException {
        if (blocks.size() != blockValues.length) {
            throw new IllegalArgumentException("tensor '" + name + "': " + blocks.size() + " blocks but "
                    + blockValues.length + " value counts");
        }
        List<NnzBlock> refs = new ArrayList<>(blocks.size());
        for (int i = 0; i < blocks.size(); i++) {
            ByteBuffer payload = blocks.get(i).duplicate();
            position = align(position);
            CRC32C crc = new CRC32C();
            crc.update(payload.duplicate());
            int length = payload.remaining();
            writeFully(payload, position);
            refs.add(new NnzBlock(position, length, blockValues[i], (int) crc.getValue()));
            position += length;
        }
        NnzTensor t = new NnzTensor(name, dtype, shape, codec, params, boundKind, boundValue, errorBound, maxError,
                rawBytes,
                refs);
        tensors.add(t);
        return t;
    }

    /** Writes the graph (ONNX ModelProto bytes without weight data), the table and the header; renames into place. */
    public void finish(byte[] graphProto) throws IOException {
        byte[] graph = Sections.pack(graphProto);
        long graphOffset = align(position);
        writeFully(ByteBuffer.wrap(graph), graphOffset);
        byte[] table = Sections.pack(encodeTable());
        long tableOffset = align(graphOffset + graph.length);
        writeFully(ByteBuffer.wrap(table), tableOffset);
        long fileLength = tableOffset + table.length;

        ByteBuffer h = ByteBuffer.allocate(NnzFormat.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        h.put(NnzFormat.MAGIC);
        h.putShort(NnzFormat.OFF_MAJOR, (short) NnzFormat.MAJOR);
        h.putShort(NnzFormat.OFF_MINOR, (short) NnzFormat.MINOR);
        h.putInt(NnzFormat.OFF_FLAGS, 0);
        h.putLong(NnzFormat.OFF_GRAPH_OFFSET, graphOffset);
        h.putLong(NnzFormat.OFF_GRAPH_LENGTH, graph.length);
        h.putLong(NnzFormat.OFF_TABLE_OFFSET, tableOffset);
        h.putLong(NnzFormat.OFF_TABLE_LENGTH, table.length);
        h.putLong(NnzFormat.OFF_FILE_LENGTH, fileLength);
        h.putInt(NnzFormat.OFF_GRAPH_CRC, crc(graph));
        h.putInt(NnzFormat.OFF_TABLE_CRC, crc(table));
        h.clear();
        writeFully(h, 0);
        out.truncate(fileLength);
        out.force(true);
        out.close();
        dev.nnzip.tensor.io.AtomicFiles.publish(temp, target);
        finished = true;
    }

    private byte[] encodeTable() {
        ByteBuffer b = ByteBuffer.allocate(tableSize()).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(tensors.size());
        for (NnzTensor t : tensors) {
            byte[] name = t.name().getBytes(StandardCharsets.UTF_8);
            byte[] codec = t.codec().getBytes(StandardCharsets.UTF_8);
            if (name.length >= NnzFormat.MAX_NAME_BYTES || codec.length > NnzFormat.MAX_CODEC_NAME_BYTES) {
                throw new IllegalArgumentException("tensor name or codec name too long: '" + t.name() + "'");
            }
            b.putShort((short) name.length).put(name);
            b.put((byte) t.dtype().onnxId());
            b.put((byte) t.shape().length);
            for (int d : t.shape()) {
                b.putInt(d);
            }
            b.put((byte) codec.length).put(codec);
            b.putInt(t.params().length).put(t.params());
            b.put((byte) t.boundKind());
            b.putDouble(t.boundValue());
            b.putDouble(t.errorBound());
            b.putDouble(t.maxError());
            b.putLong(t.rawBytes());
            b.putInt(t.blocks().size());
            for (NnzBlock k : t.blocks()) {
                b.putLong(k.offset()).putInt(k.length()).putInt(k.values()).putInt(k.crc32c());
            }
        }
        return b.array();
    }

    private int tableSize() {
        long n = 4;
        for (NnzTensor t : tensors) {
            n += 2 + t.name().getBytes(StandardCharsets.UTF_8).length + 1 + 1 + 4L * t.shape().length
                    + 1 + t.codec().getBytes(StandardCharsets.UTF_8).length + 4 + t.params().length + 1 + 8 + 8 + 8 + 8 + 4
                    + 20L * t.blocks().size();
        }
        return Math.toIntExact(n);
    }

    static int crc(byte[] bytes) {
        CRC32C c = new CRC32C();
        c.update(bytes);
        return (int) c.getValue();
    }

    private static long align(long p) {
        return (p + NnzFormat.ALIGNMENT - 1) / NnzFormat.ALIGNMENT * NnzFormat.ALIGNMENT;
    }

    private void writeFully(ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            at += out.write(b, at);
        }
    }

    @Override
    public void close() throws IOException {
        if (!finished) {
            try {
                out.close();
            } finally {
                Files.deleteIfExists(temp);
            }
        }
    }
}
