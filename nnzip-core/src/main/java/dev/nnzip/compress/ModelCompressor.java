package dev.nnzip.compress;

import dev.nnzip.codec.Codecs;
import dev.nnzip.codec.EncodedBlock;
import dev.nnzip.codec.EncodedTensor;
import dev.nnzip.codec.ErrorBound;
import dev.nnzip.codec.WeightCodec;
import ai.onnx.proto.OnnxMl.ModelProto;
import dev.nnzip.format.NnzWriter;
import dev.nnzip.graph.Graph;
import dev.nnzip.graph.Weight;
import dev.nnzip.kernels.Parallel;
import dev.nnzip.onnx.OnnxImporter;
import dev.nnzip.onnx.OnnxTensors;
import dev.nnzip.onnx.WeightSplicer;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ONNX in, .nnz out: each weight encoded as the {@link CompressionPolicy} says, verified by decoding it again (the
 * report's max error is measured, not assumed), streamed to the container; the graph stored with its weight data removed.
 * A failure at any point leaves no output file (the writer deletes its temporary file).
 */
public final class ModelCompressor {
    /** Told after each tensor, for progress bars. */
    @FunctionalInterface
    public interface Progress {
        void tensorDone(int done, int total, String name);

        Progress NONE = (done, total, name) -> { };
    }

    private ModelCompressor() {
    }

    public static CompressionReport compress(Path onnx, Path out, CompressionPolicy policy, Parallel parallel,
                                             Progress progress) throws IOException {
        try (OnnxImporter.Imported model = OnnxImporter.read(onnx); NnzWriter writer = NnzWriter.create(out)) {
            ModelProto proto = model.proto();
            Graph graph = model.graph();
            if (policy.foldBatchNorm()) {
                BatchNormFolder.Folded folded = BatchNormFolder.fold(proto, graph.weights());
                if (folded.pairs() > 0) {
                    // Unchanged weights keep their original (possibly memory-mapped) data; rewritten ones are inline.
                    Map<String, Weight> unchanged = new HashMap<>(graph.weights());
                    unchanged.keySet().removeAll(folded.rewritten());
                    proto = folded.model();
                    graph = OnnxImporter.convert(proto, unchanged);
                }
            }
            Map<String, CompressionPolicy.Choice> choices = policy.decide(graph);
            List<CompressionReport.TensorReport> reports = new ArrayList<>();
            int done = 0;
            for (Weight w : graph.weights().values()) {
                reports.add(writeTensor(writer, w, choices.get(w.name()), parallel));
                progress.tensorDone(++done, choices.size(), w.name());
            }
            var stripped = WeightSplicer.withoutWeightData(proto, graph.weights().values());
            writer.finish(stripped.toByteArray());
            return new CompressionReport(Files.size(onnx), Files.size(out), reports);
        }
    }

    private static CompressionReport.TensorReport writeTensor(NnzWriter writer, Weight w,
                                                              CompressionPolicy.Choice choice, Parallel parallel)
            throws IOException {
        Tensor t = w.decode();
        if (choice.codec().equals("raw")) {
            if (t.dtype() == DType.STRING) {
                throw new IllegalArgumentException("weight '" + w.name() + "' is a string tensor; .nnz stores numeric"
                        + " tensors only");
            }
            ByteBuffer bytes = OnnxTensors.toProto(w.name(), t).getRawData().asReadOnlyByteBuffer();
            var entry = writer.addTensor(w.name(), t.dtype(), t.shape(), "raw", new byte[0], 0, 0, 0, 0,
                    bytes.remaining(), List.of(bytes), new int[] {t.size()});
            return new CompressionReport.TensorReport(w.name(), "raw", t.shape(), 0, entry.rawBytes(),
                    entry.storedBytes(), 0);
        }
        WeightCodec codec = Codecs.configure(choice.codec());
        float[] values = t.floats();
        EncodedTensor encoded = codec.encode(w.name(), values, t.shape(), choice.bound().toAbsolute(values, t.shape()));
        if (!codec.isLossless() && codec.isErrorBounded() && values.length <= encoded.blockValues()) {
            // Exact values meet every bound, and for a small tensor (a bias, a 5x5 filter bank) the lossy stream's
            // header — Huffman code, scales — can outweigh the values it saves: store whichever is smaller. Only
            // single-block tensors are tried; on larger ones the header is noise and the second encode wasted work.
            WeightCodec exact = Codecs.configure("lossless");
            EncodedTensor lossless = exact.encode(w.name(), values, t.shape(), ErrorBound.exact());
            if (lossless.encodedBytes() <= encoded.encodedBytes()) {
                codec = exact;
                encoded = lossless;
            }
        }
        float[] back = codec.decode(encoded, parallel);
        double maxError = 0;
        for (int i = 0; i < values.length; i++) {
            maxError = Math.max(maxError, Math.abs((double) values[i] - back[i]));
        }
        if (maxError > encoded.absoluteBound() && !codec.isLossless()) {
            throw new IllegalStateException("codec " + codec.name() + " broke its bound on '" + w.name() + "': max error "
                    + maxError + " > " + encoded.absoluteBound());
        }
        List<ByteBuffer> blocks = new ArrayList<>();
        int[] counts = new int[encoded.blocks().size()];
        for (int b = 0; b < counts.length; b++) {
            EncodedBlock block = encoded.blocks().get(b);
            blocks.add(ByteBuffer.wrap(block.payload()));
            counts[b] = block.valueCount();
        }
        ErrorBound bound = encoded.bound();
        var entry = writer.addTensor(w.name(), t.dtype(), t.shape(), codec.name(), encoded.parameters(),
                bound.kind() == ErrorBound.Kind.ABSOLUTE ? 0 : 1, bound.value(), encoded.absoluteBound(), maxError,
                4L * values.length, blocks, counts);
        return new CompressionReport.TensorReport(w.name(), codec.name(), t.shape(), encoded.absoluteBound(),
                entry.rawBytes(), entry.storedBytes(), maxError);
    }
}
