package dev.nnzip.compress.bias;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.nnzip.Nnz;
import dev.nnzip.TestModels;
import dev.nnzip.codec.ErrorBound;
import dev.nnzip.compress.BoundAllocation;
import dev.nnzip.compress.CompressionPolicy;
import dev.nnzip.compress.ModelCompressor;
import dev.nnzip.compress.transform.CalibrationInputs;
import dev.nnzip.format.NnzExport;
import dev.nnzip.format.NnzFile;
import dev.nnzip.kernels.Parallel;
import dev.nnzip.runtime.Model;
import dev.nnzip.runtime.Session;
import dev.nnzip.runtime.SessionOptions;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bias correction end to end: a one-layer model is compressed at a coarse bound with the correction measured on a set
 * of inputs; on those inputs the compressed layer's mean output per channel must equal the original's (the identity
 * {@code E[Ŵx + b'] = E[Wx + b]} holds exactly for the data the means came from), while without the correction it is
 * visibly off.
 */
class BiasCorrectionTest {
    /** Float rounding of the per-channel means over a few thousand values; far below the uncorrected shifts. */
    private static final double TOLERANCE = 2e-5;

    @TempDir
    Path dir;

    private static Tensor random(Random r, float scale, float offset, int... shape) {
        return TestModels.gaussian(r, scale, offset, shape);
    }

    /** Non-negative inputs with a per-channel offset, like post-ReLU activations: their mean is far from 0. */
    private static Tensor activations(Random r, int... shape) {
        Tensor t = Tensor.zeros(DType.FLOAT, shape);
        float[] v = t.floats();
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.abs(0.5 + r.nextGaussian());
        }
        return t;
    }

    private static AttributeProto ints(String name, long... v) {
        return TestModels.intsAttr(name, v);
    }

    /**
     * Coarse smartdnn on every layer weight (a tenth of the range: large errors, so the shift is visible), every bias
     * exact, so the corrected mean is exact up to float rounding.
     */
    private static CompressionPolicy policy(BiasCorrection mode) {
        return new CompressionPolicy("smartdnn", ErrorBound.relative(0.1), 1, List.of(), false, BoundAllocation.UNIFORM,
                mode).withRule("b.*|.*bias_correction", "lossless", ErrorBound.exact());
    }

    /** Per-channel means over every other axis; channels are axis 1 (NC...), or the last axis for rank 3 (MatMul). */
    private static double[] channelMeans(Tensor y) {
        int axis = y.rank() == 3 ? 2 : 1;
        int channels = y.dim(axis);
        int inner = 1;
        for (int a = axis + 1; a < y.rank(); a++) {
            inner *= y.dim(a);
        }
        double[] m = new double[channels];
        float[] v = y.floats();
        for (int i = 0; i < v.length; i++) {
            m[(i / inner) % channels] += v[i];
        }
        for (int c = 0; c < channels; c++) {
            m[c] /= (double) y.size() / channels;
        }
        return m;
    }

    private static Tensor run(Path model, Map<String, Tensor> feed) {
        try (Model m = Nnz.load(model); Session s = m.newSession(new SessionOptions(1))) {
            return s.run(feed).get("y");
        }
    }

    /** Largest per-channel difference of the mean output between the original and the compressed model. */
    private double meanShift(Path onnx, Map<String, Tensor> feed, BiasCorrection mode) throws Exception {
        Path nnz = dir.resolve(onnx.getFileName() + "." + mode + ".nnz");
        CalibrationInputs calibration = graph -> List.of(feed);
        try (Parallel p = new Parallel(1)) {
            ModelCompressor.compress(onnx, nnz, policy(mode), calibration, p, ModelCompressor.Progress.NONE);
        }
        double[] want = channelMeans(run(onnx, feed));
        double[] got = channelMeans(run(nnz, feed));
        double worst = 0;
        for (int c = 0; c < want.length; c++) {
            worst = Math.max(worst, Math.abs(want[c] - got[c]));
        }
        return worst;
    }

    /** Both empirical modes: on a single layer the predicted shift and the measured one are the same. */
    private void assertCorrected(Path onnx, Map<String, Tensor> feed) throws Exception {
        double uncorrected = meanShift(onnx, feed, BiasCorrection.NONE);
        assertThat(uncorrected).as("the coarse codec must shift the mean for this test to mean anything")
                .isGreaterThan(50 * TOLERANCE);
        assertThat(meanShift(onnx, feed, BiasCorrection.DATA)).isLessThan(TOLERANCE);
        assertThat(meanShift(onnx, feed, BiasCorrection.SEQUENTIAL)).isLessThan(TOLERANCE);
    }

    @Test
    void depthwiseConvWithPaddingAndNoBiasGetsItsMeanBack() throws Exception {
        Random r = new Random(1);
        Path onnx = TestModels.create().input("x", DType.FLOAT, -1, 32, 5, 5).output("y", DType.FLOAT, -1, 32, 5, 5)
                .weight("w", random(r, 0.3f, 0, 32, 1, 3, 3))
                .node("Conv", "dw", new String[] {"x", "w"}, new String[] {"y"}, TestModels.intAttr("group", 32),
                        ints("pads", 1, 1, 1, 1))
                .write(dir.resolve("depthwise.onnx"));
        assertCorrected(onnx, Map.of("x", activations(r, 16, 32, 5, 5)));
    }

    @Test
    void groupedStridedConvWithBiasGetsItsMeanBack() throws Exception {
        Random r = new Random(2);
        Path onnx = TestModels.create().input("x", DType.FLOAT, -1, 16, 7, 7).output("y", DType.FLOAT, -1, 24, 4, 4)
                .weight("w", random(r, 0.2f, 0, 24, 8, 3, 3)).weight("b", random(r, 0.1f, 0, 24))
                .node("Conv", "conv", new String[] {"x", "w", "b"}, new String[] {"y"}, TestModels.intAttr("group", 2),
                        ints("pads", 1, 1, 1, 1), ints("strides", 2, 2))
                .write(dir.resolve("grouped.onnx"));
        assertCorrected(onnx, Map.of("x", activations(r, 8, 16, 7, 7)));
    }

    @Test
    void gemmWithTransposedWeightAndScaledBiasGetsItsMeanBack() throws Exception {
        Random r = new Random(3);
        Path onnx = TestModels.create().input("x", DType.FLOAT, -1, 64).output("y", DType.FLOAT, -1, 20)
                .weight("w", random(r, 0.2f, 0, 20, 64)).weight("b", random(r, 0.1f, 0, 1, 20))
                .node("Gemm", "fc", new String[] {"x", "w", "b"}, new String[] {"y"}, TestModels.intAttr("transB", 1),
                        AttributeProto.newBuilder().setName("alpha").setType(AttributeProto.AttributeType.FLOAT)
                                .setF(1.5f).build(),
                        AttributeProto.newBuilder().setName("beta").setType(AttributeProto.AttributeType.FLOAT)
                                .setF(0.5f).build())
                .write(dir.resolve("gemm.onnx"));
        assertCorrected(onnx, Map.of("x", activations(r, 50, 64)));
    }

    @Test
    void gemmWithoutBiasAndMatMulGetABiasThatRestoresTheirMean() throws Exception {
        Random r = new Random(4);
        Path gemm = TestModels.create().input("x", DType.FLOAT, -1, 48).output("y", DType.FLOAT, -1, 16)
                .weight("w", random(r, 0.2f, 0, 48, 16))
                .node("Gemm", "fc", new String[] {"x", "w"}, new String[] {"y"})
                .write(dir.resolve("gemm-nobias.onnx"));
        assertCorrected(gemm, Map.of("x", activations(r, 40, 48)));
        Path matMul = TestModels.create().input("x", DType.FLOAT, -1, 3, 48).output("y", DType.FLOAT, -1, 3, 16)
                .weight("w", random(r, 0.2f, 0, 48, 16))
                .node("MatMul", "mm", new String[] {"x", "w"}, new String[] {"y"})
                .write(dir.resolve("matmul.onnx"));
        Tensor x = activations(r, 10, 3, 48);
        assertCorrected(matMul, Map.of("x", x));
        Path nnz = dir.resolve("matmul.onnx.DATA.nnz");
        try (NnzFile f = NnzFile.open(nnz)) {
            var graph = ai.onnx.proto.OnnxMl.ModelProto.parseFrom(f.graph()).getGraph();
            assertThat(graph.getNodeList()).extracting(n -> n.getOpType()).containsExactly("MatMul", "Add");
            assertThat(graph.getNode(1).getOutput(0)).isEqualTo("y");
        }
    }

    /**
     * Two layers: the second one's input already differs from the original's (the first layer's weights are
     * compressed), which a prediction from the original's inputs cannot see but the layer-by-layer measurement does:
     * only {@code sequential} brings the network's mean output back exactly.
     */
    @Test
    void sequentialCorrectionAlsoAbsorbsTheShiftFromEarlierLayers() throws Exception {
        Random r = new Random(8);
        Path onnx = TestModels.create().input("x", DType.FLOAT, -1, 64).output("y", DType.FLOAT, -1, 24)
                .weight("w1", random(r, 0.2f, 0, 64, 48)).weight("b1", random(r, 0.1f, 0.2f, 48))
                .weight("w2", random(r, 0.2f, 0, 48, 24)).weight("b2", random(r, 0.1f, 0, 24))
                .node("Gemm", "fc1", new String[] {"x", "w1", "b1"}, new String[] {"h"})
                .node("Relu", "relu", new String[] {"h"}, new String[] {"a"})
                .node("Gemm", "fc2", new String[] {"a", "w2", "b2"}, new String[] {"y"})
                .write(dir.resolve("two-layers.onnx"));
        Map<String, Tensor> feed = Map.of("x", activations(r, 200, 64));
        assertThat(meanShift(onnx, feed, BiasCorrection.NONE)).isGreaterThan(50 * TOLERANCE);
        assertThat(meanShift(onnx, feed, BiasCorrection.SEQUENTIAL)).isLessThan(TOLERANCE);
    }

    @Test
    void exactWeightsLeaveTheBiasBitIdentical() {
        CorrectableLayer layer = new CorrectableLayer(CorrectableLayer.Kind.GEMM, "y", "x", "w", "b", false, 1, false,
                true, 1, 1);
        float[] w = random(new Random(5), 1, 0, 4, 6).floats();
        float[] bias = {0.1f, -0.2f, 0.3f, 1e-8f};
        BiasCorrector c = new BiasCorrector(List.of(layer), Map.of("y", new double[] {1, 2, 3, 4, 5, 6}));
        c.weightEncoded("w", new int[] {4, 6}, w, w.clone());
        assertThat(c.correctedBias("b", bias)).containsExactly(bias);
    }

    @Test
    void losslessPolicyWritesTheSameTensorsWithAndWithoutCorrection() throws Exception {
        Random r = new Random(6);
        Path onnx = TestModels.create().input("x", DType.FLOAT, -1, 64).output("y", DType.FLOAT, -1, 20)
                .weight("w", random(r, 0.2f, 0, 20, 64)).weight("b", random(r, 0.1f, 0, 20))
                .node("Gemm", "fc", new String[] {"x", "w", "b"}, new String[] {"y"}, TestModels.intAttr("transB", 1))
                .write(dir.resolve("exact.onnx"));
        Map<String, Tensor> feed = Map.of("x", activations(r, 10, 64));
        Path nnz = dir.resolve("exact.nnz");
        CompressionPolicy exact = new CompressionPolicy("lossless", ErrorBound.exact(), 1, List.of(), false,
                BoundAllocation.UNIFORM, BiasCorrection.DATA);
        try (Parallel p = new Parallel(1)) {
            ModelCompressor.compress(onnx, nnz, exact, graph -> List.of(feed), p, ModelCompressor.Progress.NONE);
        }
        assertThat(run(nnz, feed).floats()).containsExactly(run(onnx, feed).floats());
    }

    /** Runs a plain ONNX file in ONNX Runtime: the independent check that the edited graph is valid ONNX. */
    private static float[] runInOnnxRuntime(Path onnx, Tensor x) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] shape = java.util.Arrays.stream(x.shape()).asLongStream().toArray();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(onnx.toString(), options);
                 OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.floats()), shape);
                 OrtSession.Result result = session.run(Map.of("x", in))) {
                FloatBuffer out = ((OnnxTensor) result.get("y").orElseThrow()).getFloatBuffer();
                float[] y = new float[out.remaining()];
                out.get(y);
                return y;
            }
        }
    }

    /**
     * The layers that had no bias (a Conv gets input 2, a MatMul an Add): the corrected .nnz exports to an ONNX file
     * that nnzip runs bit-identically and ONNX Runtime runs to float rounding.
     */
    @Test
    void correctedModelsExportToOnnxThatOnnxRuntimeRuns() throws Exception {
        Random r = new Random(7);
        Path conv = TestModels.create().input("x", DType.FLOAT, -1, 16, 6, 6).output("y", DType.FLOAT, -1, 16, 6, 6)
                .weight("w", random(r, 0.3f, 0, 16, 1, 3, 3))
                .node("Conv", "dw", new String[] {"x", "w"}, new String[] {"y"}, TestModels.intAttr("group", 16),
                        ints("pads", 1, 1, 1, 1))
                .write(dir.resolve("export-conv.onnx"));
        Path matMul = TestModels.create().input("x", DType.FLOAT, -1, 48).output("y", DType.FLOAT, -1, 16)
                .weight("w", random(r, 0.2f, 0, 48, 16))
                .node("MatMul", "mm", new String[] {"x", "w"}, new String[] {"y"})
                .write(dir.resolve("export-matmul.onnx"));
        for (var c : List.of(Map.entry(conv, activations(r, 4, 16, 6, 6)), Map.entry(matMul, activations(r, 8, 48)))) {
            Map<String, Tensor> feed = Map.of("x", c.getValue());
            assertThat(meanShift(c.getKey(), feed, BiasCorrection.DATA)).isLessThan(TOLERANCE);
            Path nnz = dir.resolve(c.getKey().getFileName() + ".DATA.nnz");
            Path exported = dir.resolve(c.getKey().getFileName() + ".exported.onnx");
            NnzExport.toOnnx(nnz, exported);
            float[] onNnz = run(nnz, feed).floats();
            assertThat(run(exported, feed).floats()).containsExactly(onNnz);
            assertThat(runInOnnxRuntime(exported, c.getValue())).containsExactly(onNnz, within(1e-5f));
        }
    }

    @Test
    void clippedNormalMeanMatchesNumericalIntegration() {
        double[][] cases = {{0.3, 1.2, 0, 6}, {-1, 0.5, 0, Double.POSITIVE_INFINITY}, {5, 2, 0, 6}, {2, 0.1, -1, 1},
                {0, 3, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY}};
        for (double[] c : cases) {
            double mu = c[0];
            double sigma = c[1];
            double sum = 0;
            double h = 1e-4;
            for (double z = mu - 12 * sigma; z <= mu + 12 * sigma; z += h * sigma) {
                double p = Math.exp(-0.5 * Math.pow((z - mu) / sigma, 2)) / (sigma * Math.sqrt(2 * Math.PI));
                sum += Math.min(c[3], Math.max(c[2], z)) * p * h * sigma;
            }
            assertThat(BatchNormInputMeans.clippedNormalMean(mu, sigma, c[2], c[3])).as(java.util.Arrays.toString(c))
                    .isCloseTo(sum, within(1e-5));
        }
    }
}
