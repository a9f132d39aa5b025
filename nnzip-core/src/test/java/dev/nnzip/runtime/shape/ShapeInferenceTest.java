package dev.nnzip.runtime.shape;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.AttributeProto;
import dev.nnzip.Nnz;
import dev.nnzip.TestModels;
import dev.nnzip.ops.OpRegistry;
import dev.nnzip.runtime.Model;
import dev.nnzip.runtime.Session;
import dev.nnzip.runtime.SessionOptions;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shape rules on small graphs. Each graph is also run, and the inferred type of every output must be the type the
 * kernel produced (so a rule cannot agree with a wrong expectation of the test alone).
 */
class ShapeInferenceTest {
    @TempDir
    Path dir;

    @Test
    void elementwiseOperatorsBroadcastNumpyStyle() throws Exception {
        Path model = TestModels.create().input("a", DType.FLOAT, 2, 1, 4).input("b", DType.FLOAT, 3, 1)
                .input("c", DType.BOOL, 3, 1)
                .node("Add", "add", new String[] {"a", "b"}, new String[] {"sum"})
                .node("Less", "less", new String[] {"a", "b"}, new String[] {"lt"})
                .node("Where", "where", new String[] {"c", "b", "a"}, new String[] {"w"})
                .node("Max", "max", new String[] {"a", "b", "sum"}, new String[] {"m"})
                .output("sum", DType.FLOAT, 2, 3, 4).output("lt", DType.BOOL, 2, 3, 4)
                .output("w", DType.FLOAT, 2, 3, 4).output("m", DType.FLOAT, 2, 3, 4)
                .write(dir.resolve("broadcast.onnx"));
        Map<String, TensorType> types = inferAndRun(model, Map.of("a", Tensor.zeros(DType.FLOAT, 2, 1, 4),
                "b", Tensor.zeros(DType.FLOAT, 3, 1), "c", Tensor.zeros(DType.BOOL, 3, 1)));
        assertThat(types.get("sum")).isEqualTo(TensorType.of(DType.FLOAT, 2, 3, 4));
        assertThat(types.get("lt")).isEqualTo(TensorType.of(DType.BOOL, 2, 3, 4));
        assertThat(types.get("w")).isEqualTo(TensorType.of(DType.FLOAT, 2, 3, 4));
        assertThat(types.get("m")).isEqualTo(TensorType.of(DType.FLOAT, 2, 3, 4));
    }

    @Test
    void convAutoPadSameUpperAndLowerWithStride() throws Exception {
        // SAME_*: out = ceil(in / stride) whatever the kernel; 7 -> 4 at stride 2, 6 -> 2 at stride 3;
        // dilation 2 widens the 3-tap window to 5 but SAME keeps ceil(in / s). VALID: floor((in - span) / s) + 1.
        Path model = TestModels.create().input("x", DType.FLOAT, 1, 2, 7, 6)
                .weight("w", Tensor.zeros(DType.FLOAT, 4, 2, 3, 3))
                .weight("wg", Tensor.zeros(DType.FLOAT, 4, 1, 2, 2))
                .node("Conv", "upper", new String[] {"x", "w"}, new String[] {"u"}, str("auto_pad", "SAME_UPPER"),
                        ints("strides", 2, 3))
                .node("Conv", "lower", new String[] {"x", "w"}, new String[] {"l"}, str("auto_pad", "SAME_LOWER"),
                        ints("strides", 2, 2), ints("dilations", 2, 2))
                .node("Conv", "valid_groups", new String[] {"x", "wg"}, new String[] {"g"},
                        str("auto_pad", "VALID"), TestModels.intAttr("group", 2), ints("strides", 2, 1))
                .node("MaxPool", "pool", new String[] {"x"}, new String[] {"p"}, ints("kernel_shape", 3, 2),
                        ints("strides", 2, 2), TestModels.intAttr("ceil_mode", 1))
                .output("u", DType.FLOAT).output("l", DType.FLOAT).output("g", DType.FLOAT).output("p", DType.FLOAT)
                .write(dir.resolve("conv.onnx"));
        Map<String, TensorType> types = inferAndRun(model, Map.of("x", Tensor.zeros(DType.FLOAT, 1, 2, 7, 6)));
        assertThat(types.get("u").shape()).containsExactly(1, 4, 4, 2);
        assertThat(types.get("l").shape()).containsExactly(1, 4, 4, 3);
        assertThat(types.get("g").shape()).containsExactly(1, 4, 3, 5);
        assertThat(types.get("p").shape()).containsExactly(1, 2, 3, 3);
    }

    @Test
    void reshapeCopiesZeroDimensionsAndInfersMinusOne() throws Exception {
        Path model = TestModels.create().input("x", DType.FLOAT, 2, 3, 4)
                .weight("target", Tensor.of(new long[] {0, -1}, 2))
                .weight("target3", Tensor.of(new long[] {-1, 0, 2}, 3))
                .node("Reshape", "r", new String[] {"x", "target"}, new String[] {"y"})
                .node("Reshape", "r3", new String[] {"x", "target3"}, new String[] {"z"})
                .output("y", DType.FLOAT).output("z", DType.FLOAT).write(dir.resolve("reshape.onnx"));
        Map<String, TensorType> types = inferAndRun(model, Map.of("x", Tensor.zeros(DType.FLOAT, 2, 3, 4)));
        assertThat(types.get("y").shape()).containsExactly(2, 12);
        assertThat(types.get("z").shape()).containsExactly(4, 3, 2);
    }

    @Test
    void sliceWithNegativeStepsAndClampedBounds() throws Exception {
        // axis 0: from the last row (-1 -> 4) down past the start (clamped to -1) by 2: rows 4, 2, 0;
        // axis 1: from 4 down to (excluding) 0 by 3: columns 4, 1; axis -1 was named as 1.
        Path model = TestModels.create().input("x", DType.FLOAT, 5, 6)
                .weight("starts", Tensor.of(new long[] {-1, 4}, 2))
                .weight("ends", Tensor.of(new long[] {Long.MIN_VALUE, 0}, 2))
                .weight("axes", Tensor.of(new long[] {0, -1}, 2))
                .weight("steps", Tensor.of(new long[] {-2, -3}, 2))
                .weight("starts2", Tensor.of(new long[] {1}, 1))
                .weight("ends2", Tensor.of(new long[] {1000}, 1))
                .node("Slice", "back", new String[] {"x", "starts", "ends", "axes", "steps"}, new String[] {"y"})
                .node("Slice", "tail", new String[] {"x", "starts2", "ends2"}, new String[] {"z"})
                .output("y", DType.FLOAT).output("z", DType.FLOAT).write(dir.resolve("slice.onnx"));
        Map<String, TensorType> types = inferAndRun(model, Map.of("x", Tensor.zeros(DType.FLOAT, 5, 6)));
        assertThat(types.get("y").shape()).containsExactly(3, 2);
        assertThat(types.get("z").shape()).containsExactly(4, 6);
    }

    @Test
    void concatAddsUpTheAxis() throws Exception {
        Path model = TestModels.create().input("a", DType.FLOAT, 2, 3).input("b", DType.FLOAT, 2, 5)
                .node("Concat", "cat", new String[] {"a", "b", "a"}, new String[] {"y"},
                        TestModels.intAttr("axis", -1))
                .output("y", DType.FLOAT).write(dir.resolve("concat.onnx"));
        Map<String, TensorType> types = inferAndRun(model, Map.of("a", Tensor.zeros(DType.FLOAT, 2, 3),
                "b", Tensor.zeros(DType.FLOAT, 2, 5)));
        assertThat(types.get("y").shape()).containsExactly(2, 11);
    }

    /** MiniLM's pattern: the Reshape target is computed from the input's shape, and is known before running. */
    @Test
    void shapeLogicChainsAreEvaluatedAtPlanTime() throws Exception {
        Path model = TestModels.create().input("x", DType.FLOAT, -1, 5, 8)
                .weight("zero", Tensor.wrap(DType.INT64, new int[0], new long[] {0}))
                .weight("minus_one", Tensor.of(new long[] {-1}, 1))
                .weight("axes", Tensor.of(new long[] {0}, 1))
                .node("Shape", "shape", new String[] {"x"}, new String[] {"s"})
                .node("Gather", "batch", new String[] {"s", "zero"}, new String[] {"n"})
                .node("Unsqueeze", "unsq", new String[] {"n", "axes"}, new String[] {"n1"})
                .node("Concat", "target", new String[] {"n1", "minus_one"}, new String[] {"t"},
                        TestModels.intAttr("axis", 0))
                .node("Reshape", "flat", new String[] {"x", "t"}, new String[] {"y"})
                .output("y", DType.FLOAT).write(dir.resolve("chain.onnx"));
        Map<String, TensorType> types = inferAndRun(model, Map.of("x", Tensor.zeros(DType.FLOAT, 3, 5, 8)));
        assertThat(types.get("t").value().longs()).containsExactly(3, -1);
        assertThat(types.get("y").shape()).containsExactly(3, 40);
    }

    @Test
    void everyImplementedOperatorHasAShapeRule() {
        assertThat(ShapeRules.standard().operators()).containsAll(OpRegistry.standard().operators());
    }

    /** Infers the types for the feeds' shapes, runs the model, and checks every output's inferred type. */
    private static Map<String, TensorType> inferAndRun(Path model, Map<String, Tensor> feeds) throws Exception {
        try (Model m = Nnz.load(model); Session s = m.newSession(new SessionOptions(1))) {
            Map<String, int[]> shapes = new LinkedHashMap<>();
            feeds.forEach((k, v) -> shapes.put(k, v.shape()));
            InferredShapes inferred = m.inferShapes(shapes);
            assertThat(inferred.complete()).as(inferred.reason()).isTrue();
            Map<String, TensorType> types = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> out : s.run(feeds).entrySet()) {
                TensorType t = inferred.type(out.getKey()).orElseThrow();
                assertThat(t.dtype()).as(out.getKey()).isEqualTo(out.getValue().dtype());
                assertThat(t.shape()).as(out.getKey() + " vs run " + Arrays.toString(out.getValue().shape()))
                        .containsExactly(out.getValue().shape());
                types.put(out.getKey(), t.isConstant() ? t : TensorType.of(t.dtype(), t.shape()));
            }
            inferred.type("t").ifPresent(t -> types.put("t", t));
            return types;
        }
    }

    private static AttributeProto ints(String name, long... v) {
        return TestModels.intsAttr(name, v);
    }

    private static AttributeProto str(String name, String v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(com.google.protobuf.ByteString.copyFromUtf8(v)).build();
    }
}
