package dev.nnzip.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnzip.InvalidInputException;
import dev.nnzip.Nnz;
import dev.nnzip.TestModels;
import dev.nnzip.codec.ErrorBound;
import dev.nnzip.compress.CompressionPolicy;
import dev.nnzip.compress.ModelCompressor;
import dev.nnzip.kernels.Parallel;
import dev.nnzip.runtime.weights.MemoryMode;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 4, item 2: the peak of activation bytes is known before running and equals what the session measures (the same
 * count: distinct buffers, views and in-place outputs not counted twice, weights and caller inputs not at all).
 */
class PlannedActivationsTest {
    private static final Path MODELS = Path.of(System.getProperty("nnzip.models.dir", "../models"));

    @TempDir
    static Path dir;

    static Stream<Arguments> referenceModels() {
        return Stream.of("lenet300", "lenet5", "vgg", "mobilenetv2")
                .flatMap(m -> Stream.of(Arguments.of(m, 1), Arguments.of(m, 32)));
    }

    @ParameterizedTest(name = "{0} batch {1}")
    @MethodSource("referenceModels")
    void referenceModelsPlanTheMeasuredPeak(String name, int batch) throws Exception {
        Path onnx = MODELS.resolve(name + ".onnx");
        assumeTrue(Files.exists(onnx), onnx + " is missing");
        try (Model m = Nnz.load(onnx)) {
            assertPlannedEqualsMeasured(m, SyntheticInputs.forModel(m.inputs(), batch, 1, Map.of(), 3));
        }
    }

    @ParameterizedTest(name = "MiniLM {0} tokens")
    @MethodSource("tokenCounts")
    void miniLmPlansTheMeasuredPeak(int tokens) throws Exception {
        Path onnx = dir.resolve("minilm.onnx");
        if (!Files.exists(onnx)) {
            try (InputStream in = getClass().getResourceAsStream("/all-minilm-l6-v2.onnx")) {
                assumeTrue(in != null, "all-minilm-l6-v2.onnx not on the test classpath");
                Files.copy(in, onnx);
            }
        }
        try (Model m = Nnz.load(onnx)) {
            PlannedActivations planned = assertPlannedEqualsMeasured(m,
                    SyntheticInputs.forModel(m.inputs(), 1, tokens, Map.of(), 5));
            // the Shape -> Gather -> Unsqueeze -> Concat -> Reshape chains of the attention heads resolved
            assertThat(m.inferShapes(shapes(SyntheticInputs.forModel(m.inputs(), 1, tokens, Map.of(), 5)))
                    .complete()).isTrue();
            assertThat(planned.peakBytes().getAsLong()).isPositive();
        }
    }

    /** The plan does not depend on the memory mode: weights are never activations, however they are decoded. */
    @Test
    void aCompressedModelPlansTheMeasuredPeakInEveryMemoryMode() throws Exception {
        Path onnx = MODELS.resolve("lenet5.onnx");
        assumeTrue(Files.exists(onnx), onnx + " is missing");
        Path nnz = dir.resolve("lenet5.nnz");
        try (Parallel par = Parallel.sequential()) {
            ModelCompressor.compress(onnx, nnz, CompressionPolicy.of("smartdnn", ErrorBound.relative(0.01)), par,
                    ModelCompressor.Progress.NONE);
        }
        for (MemoryMode mode : List.of(MemoryMode.EAGER, MemoryMode.LAYERWISE, MemoryMode.PREFETCH,
                MemoryMode.budget(0))) {
            try (Model m = Nnz.load(nnz, mode)) {
                assertPlannedEqualsMeasured(m, SyntheticInputs.forModel(m.inputs(), 4, 1, Map.of(), 9));
            }
        }
    }

    static Stream<Integer> tokenCounts() {
        return Stream.of(20, 128);
    }

    /** The graph of {@code InPlaceTest}: a view kept alive, an operand read twice, in-place chains. */
    @Test
    void viewsAndInPlaceNodesArePlannedAsTheSessionRunsThem() throws Exception {
        Path model = InPlaceTest.model(dir.resolve("inplace.onnx"));
        try (Model m = Nnz.load(model)) {
            PlannedActivations planned = assertPlannedEqualsMeasured(m, Map.of("x", Tensor.of(new float[6], 2, 3)));
            // live at the peak: y1 (Relu of the caller's x) became a (in place), r0 views a, s and m are new: 3 x 24 B
            assertThat(planned.peakBytes()).hasValue(3 * 24L);
        }
    }

    /** The peak of a Reshape whose target comes from a data-dependent NonZero is unknown, naming the node. */
    @Test
    void aDataDependentShapeMakesThePeakUnknownNamingTheNode() throws Exception {
        Path model = TestModels.create().input("x", DType.FLOAT, 4)
                .node("NonZero", "where_nonzero", new String[] {"x"}, new String[] {"idx"})
                .node("Cast", "to_float", new String[] {"idx"}, new String[] {"y"},
                        TestModels.intAttr("to", DType.FLOAT.onnxId()))
                .output("y", DType.FLOAT, 1, -1).write(dir.resolve("nonzero.onnx"));
        try (Model m = Nnz.load(model)) {
            PlannedActivations planned = m.plannedActivations(Map.of("x", new int[] {4}));
            assertThat(planned.isKnown()).isFalse();
            assertThat(planned.unknownReason()).contains("where_nonzero").contains("NonZero");
            assertThat(m.inferShapes(Map.of("x", new int[] {4})).unknownAt()).hasValueSatisfying(
                    n -> assertThat(n.name()).isEqualTo("where_nonzero"));
        }
    }

    @Test
    void inputShapesAreCheckedAsTheSessionChecksFeeds() throws Exception {
        Path onnx = MODELS.resolve("lenet5.onnx");
        assumeTrue(Files.exists(onnx), onnx + " is missing");
        try (Model m = Nnz.load(onnx)) {
            String input = m.inputs().get(0).name();
            assertThatThrownBy(() -> m.plannedActivations(Map.of("nope", new int[] {1})))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("nope").hasMessageContaining(input);
            assertThatThrownBy(() -> m.plannedActivations(Map.of(input, new int[] {1, 28, 28})))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("[1, 28, 28]");
            assertThatThrownBy(() -> m.plannedActivations(Map.of()))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("missing input");
        }
    }

    private static Map<String, int[]> shapes(Map<String, Tensor> inputs) {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        inputs.forEach((k, v) -> shapes.put(k, v.shape()));
        return shapes;
    }

    private static PlannedActivations assertPlannedEqualsMeasured(Model m, Map<String, Tensor> inputs) {
        PlannedActivations planned = m.plannedActivations(shapes(inputs));
        assertThat(planned.isKnown()).as("planned peak known: %s", planned).isTrue();
        try (Session s = m.newSession(new SessionOptions(1))) {
            s.run(inputs);
            assertThat(planned.peakBytes()).as("planned %s vs measured", planned).hasValue(s.peakActivationBytes());
        }
        return planned;
    }
}
