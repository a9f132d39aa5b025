package dev.nnzip.format;

import dev.nnzip.ModelFormatException;
import dev.nnzip.codec.Codecs;
import dev.nnzip.codec.EncodedBlock;
import dev.nnzip.codec.EncodedTensor;
import dev.nnzip.codec.ErrorBound;
import dev.nnzip.codec.MalformedInputException;
import dev.nnzip.codec.TensorDecoder;
import dev.nnzip.codec.WeightCodec;
import dev.nnzip.graph.Weight;
import dev.nnzip.kernels.Parallel;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Shapes;
import dev.nnzip.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A weight stored in a .nnz file, decoded by its codec on demand. Only the compressed blocks stay resident (as mapped
 * file pages); {@link #decode()} copies one tensor's blocks out of the mapping, checks their CRCs and decodes them.
 * {@link #decodeBlocks} decodes only chosen blocks, for kernels (such as Gather on an embedding table) that need a few
 * rows of a large tensor.
 */
public final class NnzWeight implements Weight {
    /** The codec name of non-float tensors (shape constants, indices): their ONNX little-endian bytes, as is. */
    public static final String RAW = "raw";

    private final NnzFile file;
    private final NnzTensor entry;
    private final WeightCodec codec;

    NnzWeight(NnzFile file, NnzTensor entry) {
        this.file = file;
        this.entry = entry;
        if (entry.codec().equals(RAW)) {
            this.codec = null;
            if (entry.blocks().size() != 1 || entry.blocks().get(0).length() != entry.rawBytes()) {
                throw new ModelFormatException(file.path() + ": raw tensor '" + entry.name()
                        + "' must be one block of " + entry.rawBytes() + " bytes");
            }
        } else {
            if (entry.dtype().storage() != DType.Storage.FLOAT) {
                throw new ModelFormatException(file.path() + ": tensor '" + entry.name() + "' of type " + entry.dtype()
                        + " uses codec '" + entry.codec() + "', but only float tensors can be; expected 'raw'");
            }
            try {
                this.codec = Codecs.byName(entry.codec());
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException(file.path() + ": tensor '" + entry.name() + "': " + e.getMessage());
            }
        }
    }

    public NnzTensor entry() {
        return entry;
    }

    @Override
    public String name() {
        return entry.name();
    }

    @Override
    public DType dtype() {
        return entry.dtype();
    }

    @Override
    public int[] shape() {
        return entry.shape();
    }

    @Override
    public long storedBytes() {
        return entry.storedBytes();
    }

    /** Values per block (every block but the last is full). */
    public int blockValues() {
        return entry.blocks().isEmpty() ? 1 : Math.max(1, entry.blocks().get(0).values());
    }

    @Override
    public Tensor decode() {
        return decode(Parallel.sequential());
    }

    /** Decodes the whole tensor, blocks split over {@code parallel}'s threads. */
    public Tensor decode(Parallel parallel) {
        if (codec == null) {
            return decodeRaw();
        }
        int n = Shapes.size(entry.shape());
        float[] out = new float[n];
        TensorDecoder decoder = decoder(null);
        guarded(() -> decoder.decodeAll(out, 0, parallel));
        return Tensor.wrap(entry.dtype(), entry.shape(), out);
    }

    /** Whether this weight is stored in blocks that can be decoded one by one (every float codec; not "raw"). */
    public boolean blockDecodable() {
        return codec != null;
    }

    /** Receives one decoded block: its first value's position in the tensor and its values, {@code values[0, count)}. */
    @FunctionalInterface
    public interface BlockConsumer {
        void accept(int block, long start, float[] values, int count);
    }

    /**
     * Decodes only {@code blocks}, one at a time, into {@code scratch} (at least {@link #blockValues()} long) and hands
     * each to {@code consumer} before the next overwrites it; only those blocks are read from the file. A kernel that
     * needs a few rows of a large table (Gather on an embedding) so holds one block, never the whole tensor.
     */
    public void decodeBlocks(int[] blocks, float[] scratch, BlockConsumer consumer) {
        if (codec == null) {
            throw new IllegalStateException("tensor '" + name() + "' is stored raw, not in codec blocks");
        }
        boolean[] wanted = new boolean[entry.blocks().size()];
        for (int b : blocks) {
            wanted[b] = true;
        }
        TensorDecoder decoder = decoder(wanted);
        int per = blockValues();
        guarded(() -> {
            for (int b : blocks) {
                decoder.decodeBlock(b, scratch, 0);
                consumer.accept(b, (long) b * per, scratch, entry.blocks().get(b).values());
            }
        });
    }

    /** A decoder over the wanted blocks' payloads (all when {@code wanted} is null), copied out of the mapping. */
    private TensorDecoder decoder(boolean[] wanted) {
        List<EncodedBlock> blocks = new ArrayList<>(entry.blocks().size());
        for (int b = 0; b < entry.blocks().size(); b++) {
            byte[] payload;
            if (wanted == null || wanted[b]) {
                ByteBuffer buf = file.block(entry, b);
                payload = new byte[buf.remaining()];
                buf.get(payload);
            } else {
                payload = new byte[0];
            }
            blocks.add(new EncodedBlock(entry.blocks().get(b).values(), payload));
        }
        ErrorBound bound = new ErrorBound(entry.boundKind() == 0 ? ErrorBound.Kind.ABSOLUTE : ErrorBound.Kind.RELATIVE,
                entry.boundValue());
        try {
            EncodedTensor t = new EncodedTensor(entry.codec(), entry.shape(), blockValues(), bound, entry.errorBound(),
                    entry.params(), blocks);
            return codec.decoder(t);
        } catch (MalformedInputException e) {
            throw corrupted(e);
        }
    }

    private void guarded(Runnable r) {
        try {
            r.run();
        } catch (MalformedInputException e) {
            throw corrupted(e);
        }
    }

    private ModelFormatException corrupted(MalformedInputException e) {
        return new ModelFormatException(file.path() + ": tensor '" + name() + "' (codec " + entry.codec()
                + ") cannot be decoded: " + e.getMessage(), e);
    }

    private Tensor decodeRaw() {
        ByteBuffer b = file.block(entry, 0).order(ByteOrder.LITTLE_ENDIAN);
        var proto = ai.onnx.proto.OnnxMl.TensorProto.newBuilder().setName(name()).setDataType(dtype().onnxId());
        for (int d : entry.shape()) {
            proto.addDims(d);
        }
        return dev.nnzip.onnx.OnnxTensors.toTensor(proto.build(), b);
    }
}
