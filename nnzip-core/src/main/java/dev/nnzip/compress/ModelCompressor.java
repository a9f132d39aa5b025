package dev.nnzip.compress;

import dev.nnzip.codec.Codecs;
import dev.nnzip.codec.EncodedBlock;
import dev.nnzip.codec.EncodedTensor;
import dev.nnzip.codec.ErrorBound;
import dev.nnzip.codec.WeightCodec;
import dev.nnzip.compress.bias.BatchNormInputMeans;
import dev.nnzip.compress.bias.BiasCorrection;
import dev.nnzip.compress.bias.BiasCorrector;
import dev.nnzip.compress.bias.CorrectableLayer;
import dev.nnzip.compress.bias.CorrectableLayers;
import dev.nnzip.compress.bias.InputMeans;
import dev.nnzip.compress.bias.MeasuredInputMeans;
import dev.nnzip.compress.bias.SequentialBiasCorrection;
import dev.nnzip.compress.transform.CalibrationInputs;
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
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
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

    /** {@link #compress(Path, Path, CompressionPolicy, CalibrationInputs, Parallel, Progress)} without calibration data. */
    public static CompressionReport compress(Path onnx, Path out, CompressionPolicy policy, Parallel parallel,
                                             Progress progress) throws IOException {
        return compress(onnx, out, policy, CalibrationInputs.NONE, parallel, progress);
    }

    /**
     * @param calibration model inputs for {@link BiasCorrection#DATA} and {@link BiasCorrection#SEQUENTIAL} (not read
     *                    otherwise)
     */
    public static CompressionReport compress(Path onnx, Path out, CompressionPolicy policy,
                                             CalibrationInputs calibration, Parallel parallel, Progress progress)
            throws IOException {
        try (OnnxImporter.Imported model = OnnxImporter.read(onnx); NnzWriter writer = NnzWriter.create(out)) {
            BatchNormFolder.Folded folding = policy.fold(model.proto(), model.graph().weights());
            ModelProto proto = folding.model();
            Graph graph = folding.graph(model.graph());
            BiasCorrection mode = policy.biasCorrection();
            Prepared p = prepare(proto, graph, model.graph(), folding, policy, calibration, parallel.threads());
            proto = p.proto();
            graph = p.graph();
            Map<String, CompressionPolicy.Choice> choices = p.choices();
            BiasCorrector corrector = p.corrector();
            Set<String> corrected = new HashSet<>();
            p.layers().forEach(l -> corrected.add(l.bias()));
            List<Weight> order = new ArrayList<>(graph.weights().values());
            order.sort(Comparator.comparing(w -> corrected.contains(w.name()))); // stable: corrected biases last
            List<CompressionReport.TensorReport> reports = new ArrayList<>();
            Map<String, Weight> decoded = new HashMap<>(); // what the codecs reconstruct, for the sequential mode
            int done = 0;
            for (Weight w : order) {
                if (mode == BiasCorrection.SEQUENTIAL && corrected.contains(w.name())) {
                    break; // the corrected biases, measured and written one by one below
                }
                Tensor t = w.decode();
                if (corrector != null && corrected.contains(w.name())) {
                    t = Tensor.of(corrector.correctedBias(w.name(), t.floats()), t.shape());
                }
                Written written = writeTensor(writer, w.name(), t, choices.get(w.name()), parallel);
                if (corrector != null && written.decoded() != null) {
                    corrector.weightEncoded(w.name(), t.shape(), t.floats(), written.decoded());
                }
                if (mode == BiasCorrection.SEQUENTIAL && written.decoded() != null) {
                    decoded.put(w.name(), Weight.of(w.name(), Tensor.of(written.decoded(), t.shape())));
                }
                reports.add(written.report());
                progress.tensorDone(++done, choices.size(), w.name());
            }
            if (mode == BiasCorrection.SEQUENTIAL) {
                int[] count = {done};
                new SequentialBiasCorrection(graph, p.layers(), p.layers().isEmpty() ? List.of()
                        : calibration.feeds(graph), parallel.threads()).run(decoded, (bias, values) -> {
                            try {
                                Written written = writeTensor(writer, bias, values, choices.get(bias), parallel);
                                reports.add(written.report());
                                progress.tensorDone(++count[0], choices.size(), bias);
                                return written.decoded();
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        });
            }
            var stripped = WeightSplicer.withoutWeightData(proto, graph.weights().values());
            writer.finish(stripped.toByteArray());
            return new CompressionReport(Files.size(onnx), Files.size(out), reports);
        }
    }

    /** The model to encode, each weight's choice, and the layers whose biases are corrected (and how). */
    private record Prepared(ModelProto proto, Graph graph, Map<String, CompressionPolicy.Choice> choices,
                            List<CorrectableLayer> layers, BiasCorrector corrector) {
    }

    /**
     * Bias correction (Nagel et al. 2019, §4.2) needs the decoded weights, so it runs inside the encoding loop; before
     * anything is written, the layers it applies to get a bias of their own (zero where they had none), and for the
     * predicting modes the layers' mean inputs are worked out ({@code unfolded}: the model before BatchNorm folding,
     * whose statistics the data-free mode reads; {@code folding}: what folding rewrote and each folded bias's output
     * spread, for the choices). Without correction the model and choices pass through unchanged.
     */
    private static Prepared prepare(ModelProto proto, Graph graph, Graph unfolded, BatchNormFolder.Folded folding,
                                    CompressionPolicy policy, CalibrationInputs calibration, int threads) {
        Map<String, CompressionPolicy.Choice> choices = policy.decide(graph, folding);
        BiasCorrection mode = policy.biasCorrection();
        if (mode == BiasCorrection.NONE) {
            return new Prepared(proto, graph, choices, List.of(), null);
        }
        if ((mode == BiasCorrection.DATA || mode == BiasCorrection.SEQUENTIAL) && calibration == CalibrationInputs.NONE) {
            throw new IllegalArgumentException("bias correction '" + mode.cliName() + "' measures the model on"
                    + " calibration inputs, and none were given (use 'bn' or 'none' without data)");
        }
        List<CorrectableLayer> layers = CorrectableLayers.find(proto, graph, lossyWeights(choices));
        BiasCorrector corrector = null;
        if (mode != BiasCorrection.SEQUENTIAL) {
            InputMeans source = mode == BiasCorrection.BN ? new BatchNormInputMeans(unfolded, threads)
                    : new MeasuredInputMeans(calibration, threads);
            Map<String, double[]> means = source.of(graph, layers);
            layers = layers.stream().filter(l -> means.containsKey(l.output())).toList();
            corrector = new BiasCorrector(layers, means);
        }
        CorrectableLayers.Prepared edited = CorrectableLayers.edit(proto, graph, layers);
        if (!edited.addedInitializers().isEmpty()) {
            proto = edited.model();
            graph = OnnxImporter.convert(proto, new HashMap<>(graph.weights()));
            choices = policy.decide(graph, folding);
        }
        return new Prepared(proto, graph, choices, layers, corrector);
    }

    /** The weights {@code choices} gives a codec that changes values. */
    private static Set<String> lossyWeights(Map<String, CompressionPolicy.Choice> choices) {
        Set<String> out = new HashSet<>();
        choices.forEach((name, c) -> {
            if (!c.codec().equals("raw") && !Codecs.configure(c.codec()).isLossless()) {
                out.add(name);
            }
        });
        return out;
    }

    /** A tensor's report, and the values its stream decodes to (null for raw, non-float tensors). */
    private record Written(CompressionReport.TensorReport report, float[] decoded) {
    }

    private static Written writeTensor(NnzWriter writer, String name, Tensor t, CompressionPolicy.Choice choice,
                                       Parallel parallel) throws IOException {
        if (choice.codec().equals("raw")) {
            if (t.dtype() == DType.STRING) {
                throw new IllegalArgumentException("weight '" + name + "' is a string tensor; .nnz stores numeric"
                        + " tensors only");
            }
            ByteBuffer bytes = OnnxTensors.toProto(name, t).getRawData().asReadOnlyByteBuffer();
            var entry = writer.addTensor(name, t.dtype(), t.shape(), "raw", new byte[0], 0, 0, 0, 0,
                    bytes.remaining(), List.of(bytes), new int[] {t.size()});
            return new Written(new CompressionReport.TensorReport(name, "raw", t.shape(), 0, entry.rawBytes(),
                    entry.storedBytes(), 0), null);
        }
        WeightCodec codec = Codecs.configure(choice.codec());
        float[] values = t.floats();
        EncodedTensor encoded = codec.encode(name, values, t.shape(), choice.bound().toAbsolute(values, t.shape()));
        if (!codec.isLossless() && codec.isErrorBounded() && values.length <= encoded.blockValues()) {
            // Exact values meet every bound, and for a small tensor (a bias, a 5x5 filter bank) the lossy stream's
            // header — Huffman code, scales — can outweigh the values it saves: store whichever is smaller. Only
            // single-block tensors are tried; on larger ones the header is noise and the second encode wasted work.
            WeightCodec exact = Codecs.configure("lossless");
            EncodedTensor lossless = exact.encode(name, values, t.shape(), ErrorBound.exact());
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
            throw new IllegalStateException("codec " + codec.name() + " broke its bound on '" + name + "': max error "
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
        var entry = writer.addTensor(name, t.dtype(), t.shape(), codec.name(), encoded.parameters(),
                bound.kind() == ErrorBound.Kind.ABSOLUTE ? 0 : 1, bound.value(), encoded.absoluteBound(), maxError,
                4L * values.length, blocks, counts);
        return new Written(new CompressionReport.TensorReport(name, codec.name(), t.shape(), encoded.absoluteBound(),
                entry.rawBytes(), entry.storedBytes(), maxError), back);
    }
}
