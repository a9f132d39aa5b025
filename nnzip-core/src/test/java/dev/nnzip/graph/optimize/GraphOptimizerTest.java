package dev.nnzip.graph.optimize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.nnzip.graph.Attribute;
import dev.nnzip.graph.Attributes;
import dev.nnzip.graph.Graph;
import dev.nnzip.graph.Node;
import dev.nnzip.graph.ValueInfo;
import dev.nnzip.graph.Weight;
import dev.nnzip.ops.OpRegistry;
import dev.nnzip.ops.nn.ActivationAttributes;
import dev.nnzip.runtime.Model;
import dev.nnzip.runtime.Session;
import dev.nnzip.runtime.SessionOptions;
import dev.nnzip.runtime.weights.MemoryMode;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every rewrite of {@link GraphOptimizer} is checked two ways: the optimized graph has the expected shape (which nodes
 * were fused, which weights were dropped), and it computes the same outputs as the graph as written, run with reference
 * implementations of the fused-away operators.
 */
class GraphOptimizerTest {
    private static final OpRegistry REFERENCE = ReferenceOps.registry();
    private final Random random = new Random(42);

    /** A graph under construction. */
    private final class G {
        final List<Node> nodes = new ArrayList<>();
        final Map<String, Weight> weights = new LinkedHashMap<>();
        final List<ValueInfo> inputs = new ArrayList<>();
        final List<ValueInfo> outputs = new ArrayList<>();
        final Map<String, Tensor> feeds = new LinkedHashMap<>();
        int opset = 13;

        G input(String name, int... shape) {
            inputs.add(ValueInfo.of(name, DType.FLOAT, Arrays.stream(shape).asLongStream().toArray()));
            feeds.put(name, randomTensor(shape));
            return this;
        }

        G weight(String name, int... shape) {
            weights.put(name, Weight.of(name, randomTensor(shape)));
            return this;
        }

        G weight(String name, Tensor t) {
            weights.put(name, Weight.of(name, t));
            return this;
        }

        G node(String op, List<String> in, String out, Attribute... attrs) {
            nodes.add(new Node(op + "_" + nodes.size(), op, "", in, List.of(out), new Attributes(List.of(attrs))));
            return this;
        }

        G output(String name) {
            outputs.add(new ValueInfo(name, DType.FLOAT, null));
            return this;
        }

        Graph build() {
            return new Graph("test", nodes, inputs, outputs, weights, Map.of(), Map.of("", opset));
        }
    }

    private Tensor randomTensor(int... shape) {
        float[] d = new float[Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
        for (int i = 0; i < d.length; i++) {
            d[i] = random.nextFloat() * 2 - 1;
        }
        return Tensor.of(d, shape);
    }

    private static Attribute ints(String name, long... v) {
        return new Attribute(name, Attribute.Type.INTS, v);
    }

    private static Attribute f(String name, float v) {
        return new Attribute(name, Attribute.Type.FLOAT, v);
    }

    private static Attribute i(String name, long v) {
        return new Attribute(name, Attribute.Type.INT, v);
    }

    /** Runs both graphs on the same feeds and compares every output within 1e-4 of max(1, |expected|). */
    private static void assertEquivalent(Graph original, Graph optimized, Map<String, Tensor> feeds) {
        Map<String, Tensor> expected = ReferenceOps.run(original, REFERENCE, feeds);
        Map<String, Tensor> actual = ReferenceOps.run(optimized, REFERENCE, feeds);
        for (var e : expected.entrySet()) {
            Tensor want = e.getValue();
            Tensor got = actual.get(e.getKey());
            assertThat(got.shape()).as("shape of " + e.getKey()).isEqualTo(want.shape());
            for (int k = 0; k < want.size(); k++) {
                double tol = 1e-4 * Math.max(1, Math.abs(want.floats()[k]));
                if (!(Math.abs(got.floats()[k] - want.floats()[k]) <= tol)) {
                    fail(e.getKey() + "[" + k + "] = " + got.floats()[k] + ", unfused " + want.floats()[k]);
                }
            }
        }
    }

    private static List<String> ops(Graph g) {
        return g.nodes().stream().map(n -> (n.domain().isEmpty() ? "" : n.domain() + ".") + n.opType()).toList();
    }

    private G convBnRelu() {
        G g = new G().input("x", 2, 3, 9, 8).weight("w", 5, 3, 3, 3).weight("b", 5)
                .weight("scale", 5).weight("shift", 5).weight("mean", 5)
                .weight("var", Tensor.of(new float[] {0.5f, 1f, 2f, 0.25f, 1.5f}, 5));
        g.node("Conv", List.of("x", "w", "b"), "c", ints("pads", 1, 0, 1, 2), ints("strides", 1, 2));
        g.node("BatchNormalization", List.of("c", "scale", "shift", "mean", "var"), "bn", f("epsilon", 1e-3f));
        g.node("Relu", List.of("bn"), "y");
        return g.output("y");
    }

    @Test
    void convBatchNormReluBecomesOneFusedConv() {
        G g = convBnRelu();
        Graph original = g.build();
        Graph optimized = GraphOptimizer.all().optimize(original);
        assertThat(ops(optimized)).containsExactly("dev.nnzip.FusedConv");
        Node fused = optimized.nodes().get(0);
        assertThat(fused.attributes().getString(ActivationAttributes.ACTIVATION, "")).isEqualTo("Relu");
        assertThat(fused.outputs()).containsExactly("y");
        assertThat(optimized.weights()).doesNotContainKeys("w", "b", "scale", "shift", "mean", "var").hasSize(2);
        assertEquivalent(original, optimized, g.feeds);
    }

    @Test
    void convAddClipFoldsTheBiasAndTheClip() {
        G g = new G().input("x", 1, 4, 7, 7).weight("w", 6, 2, 3, 3).weight("b", 6).weight("c", 1, 6, 1, 1)
                .weight("lo", Tensor.of(new float[] {-0.2f})).weight("hi", Tensor.of(new float[] {0.3f}));
        g.node("Conv", List.of("x", "w", "b"), "conv", i("group", 2), ints("dilations", 2, 1));
        g.node("Add", List.of("c", "conv"), "sum");
        g.node("Clip", List.of("sum", "lo", "hi"), "y");
        g.output("y");
        Graph original = g.build();
        Graph optimized = GraphOptimizer.all().optimize(original);
        assertThat(ops(optimized)).containsExactly("dev.nnzip.FusedConv");
        assertThat(optimized.nodes().get(0).attributes().getFloats(ActivationAttributes.PARAMS, null))
                .containsExactly(-0.2f, 0.3f);
        assertEquivalent(original, optimized, g.feeds);
    }

    @Test
    void clipSixTakesItsBoundsFromAttributes() {
        G g = new G().input("x", 1, 2, 5, 5).weight("w", 3, 2, 1, 1);
        g.opset = 9;
        g.node("Conv", List.of("x", "w"), "conv");
        g.node("Clip", List.of("conv"), "y", f("min", 0f), f("max", 0.1f));
        g.output("y");
        Graph optimized = GraphOptimizer.all().optimize(g.build());
        assertThat(ops(optimized)).containsExactly("dev.nnzip.FusedConv");
        assertThat(optimized.nodes().get(0).attributes().getFloats(ActivationAttributes.PARAMS, null))
                .containsExactly(0f, 0.1f);
    }

    @Test
    void gemmAddLeakyReluBecomesFusedGemmWithC() {
        G g = new G().input("x", 3, 10).weight("w", 7, 10).weight("bias", 7);
        g.node("Gemm", List.of("x", "w"), "mm", i("transB", 1), f("alpha", 0.5f), f("beta", 0.25f));
        g.node("Add", List.of("mm", "bias"), "sum");
        g.node("LeakyRelu", List.of("sum"), "y", f("alpha", 0.2f));
        g.output("y");
        Graph original = g.build();
        Graph optimized = GraphOptimizer.all().optimize(original);
        assertThat(ops(optimized)).containsExactly("dev.nnzip.FusedGemm");
        Node fused = optimized.nodes().get(0);
        assertThat(fused.inputs()).containsExactly("x", "w", "bias");
        assertThat(fused.attributes().getFloat("beta", 0)).isEqualTo(1f);
        assertEquivalent(original, optimized, g.feeds);
    }

    @Test
    void matMulAddSigmoidBecomesFusedMatMul() {
        G g = new G().input("x", 2, 5, 16).weight("w", 16, 24).weight("bias", 24);
        g.node("MatMul", List.of("x", "w"), "mm");
        g.node("Add", List.of("mm", "bias"), "sum");
        g.node("Sigmoid", List.of("sum"), "y");
        g.output("y");
        Graph original = g.build();
        Graph optimized = GraphOptimizer.all().optimize(original);
        assertThat(ops(optimized)).containsExactly("dev.nnzip.FusedMatMul");
        assertEquivalent(original, optimized, g.feeds);
    }

    @Test
    void matMulAddThatGrowsTheShapeStaysExact() {
        // The Add broadcasts the [4, 6] product to [3, 4, 6]: the fused node must produce the grown shape too.
        G g = new G().input("x", 4, 5).weight("w", 5, 6).weight("bias", 3, 1, 6);
        g.node("MatMul", List.of("x", "w"), "mm");
        g.node("Add", List.of("mm", "bias"), "sum");
        g.node("HardSwish", List.of("sum"), "y");
        g.output("y");
        Graph original = g.build();
        Graph optimized = GraphOptimizer.all().optimize(original);
        assertThat(ops(optimized)).containsExactly("dev.nnzip.FusedMatMul");
        assertEquivalent(original, optimized, g.feeds);
    }

    @Test
    void nothingIsFusedWhenTheIntermediateHasAnotherReader() {
        G g = new G().input("x", 1, 2, 5, 5).weight("w", 3, 2, 3, 3);
        g.node("Conv", List.of("x", "w"), "conv");
        g.node("Relu", List.of("conv"), "y");
        g.node("Sigmoid", List.of("conv"), "z");
        g.output("y").output("z");
        Graph original = g.build();
        assertThat(GraphOptimizer.all().optimize(original)).isSameAs(original);
    }

    @Test
    void nothingIsFusedWhenTheIntermediateIsAGraphOutput() {
        G g = new G().input("x", 1, 2, 5, 5).weight("w", 3, 2, 3, 3);
        g.node("Conv", List.of("x", "w"), "conv");
        g.node("Relu", List.of("conv"), "y");
        g.output("y").output("conv");
        Graph original = g.build();
        assertThat(GraphOptimizer.all().optimize(original)).isSameAs(original);
    }

    @Test
    void nothingIsFusedWhenASubgraphReadsTheIntermediate() {
        G g = new G().input("x", 1, 2, 5, 5).weight("w", 3, 2, 3, 3).input("cond", 1);
        g.node("Conv", List.of("x", "w"), "conv");
        g.node("Relu", List.of("conv"), "y");
        Graph branch = new Graph("then", List.of(new Node("id", "Identity", "", List.of("conv"), List.of("t"),
                Attributes.empty())), List.of(), List.of(new ValueInfo("t", DType.FLOAT, null)), Map.of(), Map.of(),
                Map.of("", 13));
        g.nodes.add(new Node("if", "If", "", List.of("cond"), List.of("z"), new Attributes(List.of(
                new Attribute("then_branch", Attribute.Type.GRAPH, branch),
                new Attribute("else_branch", Attribute.Type.GRAPH, branch)))));
        g.output("y").output("z");
        Graph original = g.build();
        assertThat(ops(GraphOptimizer.all().optimize(original))).containsExactly("Conv", "Relu", "If");
    }

    @Test
    void batchNormWithOverridableParametersIsNotFolded() {
        G g = convBnRelu();
        g.inputs.add(ValueInfo.of("mean", DType.FLOAT, 5)); // an initializer that is also an input: a default only
        Graph original = g.build();
        // Nothing to do: the Relu follows the BatchNormalization, which is not a product.
        assertThat(GraphOptimizer.all().optimize(original)).isSameAs(original);
    }

    @Test
    void clipWithARuntimeBoundIsNotFused() {
        G g = new G().input("x", 1, 2, 5, 5).weight("w", 3, 2, 3, 3).input("lo", 1);
        g.node("Conv", List.of("x", "w"), "conv");
        g.node("Clip", List.of("conv", "lo"), "y");
        g.output("y");
        Graph original = g.build();
        assertThat(GraphOptimizer.all().optimize(original)).isSameAs(original);
    }

    /** An inverted residual block after a plain 3×3 stem, with a region value that is also a graph output. */
    private G invertedResidual(long dwStride) {
        G g = new G().input("x", 2, 20, 7, 6).weight("w0", 24, 20, 3, 3).weight("b0", 24).weight("w1", 40, 24, 1, 1)
                .weight("b1", 40).weight("w2", 40, 1, 3, 3).weight("w3", 24, 40, 1, 1).weight("b3", 24)
                .weight("zero", Tensor.of(new float[] {0f})).weight("six", Tensor.of(new float[] {6f}));
        g.node("Conv", List.of("x", "w0", "b0"), "c0", ints("pads", 1, 1, 1, 1));
        g.node("Relu", List.of("c0"), "r0");
        g.node("Conv", List.of("r0", "w1", "b1"), "c1");
        g.node("Clip", List.of("c1", "zero", "six"), "e1");
        g.node("Conv", List.of("e1", "w2"), "c2", i("group", 40), ints("pads", 1, 2, 1, 2),
                ints("strides", dwStride, dwStride), ints("dilations", 1, 2));
        g.node("Relu", List.of("c2"), "d2");
        g.node("Conv", List.of("d2", "w3", "b3"), "p3");
        if (dwStride == 1) {
            g.node("Add", List.of("r0", "p3"), "s");
            g.node("GlobalAveragePool", List.of("s"), "y");
        } else {
            g.node("GlobalAveragePool", List.of("p3"), "y");
        }
        return g.output("y").output("e1");
    }

    @Test
    void convolutionRegionRunsBlockedWithReordersAtItsEdges() {
        G g = invertedResidual(1);
        Graph original = g.build();
        Graph optimized = GraphOptimizer.all().optimize(original);
        // The dense 3 × 3 convolution (20 input channels, more than a block of 16 or 8) starts the region.
        assertThat(ops(optimized)).containsExactly("dev.nnzip.ReorderToBlocked", "dev.nnzip.BlockedConv",
                "dev.nnzip.BlockedConv", "dev.nnzip.ReorderFromBlocked", "dev.nnzip.BlockedConv",
                "dev.nnzip.BlockedConv", "dev.nnzip.BlockedGlobalAveragePool");
        Node projection = optimized.nodes().get(5);
        assertThat(projection.inputs()).hasSize(4).contains("w3", "b3"); // the residual Add became its Sum input
        assertThat(optimized.nodes().get(3).outputs()).containsExactly("e1");
        assertEquivalent(original, optimized, g.feeds);
    }

    @Test
    void stridedDepthwiseRegionEndsInABlockedPool() {
        G g = invertedResidual(2);
        Graph original = g.build();
        Graph optimized = GraphOptimizer.all().optimize(original);
        assertThat(ops(optimized)).contains("dev.nnzip.BlockedGlobalAveragePool").doesNotContain("Add");
        assertEquivalent(original, optimized, g.feeds);
    }

    @Test
    void anAddThatMayBroadcastIsNotFusedAsASum() {
        // The projection's output [1, 24, 5, 5] is added to a [1, 24, 1, 1] map (a pooled branch): the Add broadcasts,
        // so it stays an Add (of blocked operands) rather than becoming the convolution's Sum.
        G g = new G().input("x", 1, 24, 5, 5).weight("w1", 24, 24, 1, 1).weight("w2", 24, 24, 1, 1)
                .weight("w3", 24, 24, 3, 3);
        g.node("Conv", List.of("x", "w1"), "a");
        g.node("Conv", List.of("a", "w3"), "pooled", ints("kernel_shape", 3, 3), ints("strides", 3, 3));
        g.node("Conv", List.of("a", "w2"), "b");
        g.node("Add", List.of("b", "pooled"), "s");
        g.node("GlobalAveragePool", List.of("s"), "y");
        g.output("y");
        Graph original = g.build();
        Graph optimized = GraphOptimizer.all().optimize(original);
        assertThat(ops(optimized)).contains("Add", "dev.nnzip.BlockedGlobalAveragePool");
        assertEquivalent(original, optimized, g.feeds);
    }

    @Test
    void aRegionReadingAPooledMapReordersIt() {
        // Squeeze-and-excitation (PP-OCR's classifier): a region ends in a pool, whose output is plain, and the two
        // 1×1 convolutions of the excitation read it: they form a region of their own that must reorder its input.
        G g = new G().input("x", 1, 8, 4, 4).weight("w1", 8, 8, 1, 1).weight("w2", 8, 1, 3, 3)
                .weight("w3", 2, 8, 1, 1).weight("b3", 2).weight("w4", 8, 2, 1, 1).weight("b4", 8);
        g.node("Conv", List.of("x", "w1"), "a");
        g.node("Conv", List.of("a", "w2"), "d", i("group", 8), ints("pads", 1, 1, 1, 1));
        g.node("GlobalAveragePool", List.of("d"), "p");
        g.node("Conv", List.of("p", "w3", "b3"), "s1");
        g.node("Relu", List.of("s1"), "r");
        g.node("Conv", List.of("r", "w4", "b4"), "s2");
        g.node("Sigmoid", List.of("s2"), "e");
        g.node("Add", List.of("x", "e"), "y"); // (a Mul in the real block; Add is what the reference runs)
        g.output("y");
        Graph original = g.build();
        Graph optimized = GraphOptimizer.all().optimize(original);
        assertThat(ops(optimized)).containsSubsequence("dev.nnzip.BlockedGlobalAveragePool",
                "dev.nnzip.ReorderToBlocked", "dev.nnzip.BlockedConv", "dev.nnzip.BlockedConv",
                "dev.nnzip.ReorderFromBlocked");
        assertEquivalent(original, optimized, g.feeds);
    }

    @Test
    void aLoneConvolutionStaysPlain() {
        G g = new G().input("x", 1, 8, 5, 5).weight("w", 16, 8, 1, 1);
        g.node("Conv", List.of("x", "w"), "c");
        g.node("GlobalAveragePool", List.of("c"), "y");
        g.output("y");
        assertThat(ops(GraphOptimizer.all().optimize(g.build()))).containsExactly("Conv", "GlobalAveragePool");
    }

    @Test
    void theModelRunsTheOptimizedGraph() {
        G g = convBnRelu();
        Graph original = g.build();
        Map<String, Tensor> expected = ReferenceOps.run(original, REFERENCE, g.feeds);
        try (Model model = new Model("fused", original, MemoryMode.EAGER, null);
             Session s = model.newSession(new SessionOptions(2))) {
            assertThat(model.graph()).isSameAs(original);
            assertThat(ops(model.plan().graph())).containsExactly("dev.nnzip.FusedConv");
            Tensor y = s.run(g.feeds).get("y");
            float[] want = expected.get("y").floats();
            for (int k = 0; k < want.length; k++) {
                assertThat((double) y.floats()[k]).isCloseTo(want[k], org.assertj.core.data.Offset.offset(
                        1e-4 * Math.max(1, Math.abs(want[k]))));
            }
        }
    }
}
