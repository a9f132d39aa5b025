package dev.nnzip.compress.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.nnzip.Nnz;
import dev.nnzip.TestModels;
import dev.nnzip.graph.Graph;
import dev.nnzip.onnx.OnnxImporter;
import dev.nnzip.onnx.OnnxTensors;
import dev.nnzip.runtime.Model;
import dev.nnzip.runtime.Session;
import dev.nnzip.runtime.SessionOptions;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActivationScalingTransformTest {
    private static final int C = 8;

    @TempDir
    Path dir;

    /**
     * x → Relu → h; h feeds MatMul(wq), MatMul(wv), Gemm(wg, transB = 1) and, as a residual would, Add(h, h).
     */
    private Path model() throws Exception {
        return TestModels.create().input("x", DType.FLOAT, 3, C)
                .weight("wq", Tensor.of(gaussian(C * 4, 1), C, 4))
                .weight("wv", Tensor.of(gaussian(C * 4, 2), C, 4))
                .weight("wg", Tensor.of(gaussian(4 * C, 3), 4, C))
                .node("Relu", "relu", new String[] {"x"}, new String[] {"h"})
                .node("MatMul", "q", new String[] {"h", "wq"}, new String[] {"q"})
                .node("MatMul", "v", new String[] {"h", "wv"}, new String[] {"v"})
                .node("Gemm", "g", new String[] {"h", "wg"}, new String[] {"g"}, TestModels.intAttr("transB", 1))
                .node("Add", "qv", new String[] {"q", "v"}, new String[] {"qv"})
                .node("Add", "residual", new String[] {"h", "h"}, new String[] {"res"})
                .output("qv", DType.FLOAT, 3, 4).output("g", DType.FLOAT, 3, 4).output("res", DType.FLOAT, 3, C)
                .write(dir.resolve("m.onnx"));
    }

    /** Positive inputs whose channel k is about (k + 1)² times larger than channel 0: the Relu passes them. */
    private static List<Map<String, Tensor>> feeds(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Map<String, Tensor>> out = new java.util.ArrayList<>();
        for (int f = 0; f < n; f++) {
            float[] x = new float[3 * C];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) ((i % C + 1) * (i % C + 1) * r.nextDouble(0.5, 1.5));
            }
            out.add(Map.of("x", Tensor.of(x, 3, C)));
        }
        return out;
    }

    @Test
    void statisticsAreTheMeanSquareOfEachChannelOfTheLayerInputs() throws Exception {
        try (OnnxImporter.Imported m = OnnxImporter.read(model())) {
            checkStatistics(m.graph());
        }
    }

    private static void checkStatistics(Graph graph) {
        assertThat(ActivationStatistics.layerInputs(graph)).containsExactly("h");
        List<Map<String, Tensor>> feeds = feeds(4, 7);
        double[] expected = new double[C];
        for (Map<String, Tensor> f : feeds) {
            float[] x = f.get("x").floats();
            for (int i = 0; i < x.length; i++) {
                expected[i % C] += (double) x[i] * x[i] / (3 * feeds.size());
            }
        }
        double[] ms = ActivationStatistics.meanSquares(graph, java.util.Set.of("h"), feeds, 1).get("h");
        for (int k = 0; k < C; k++) {
            assertThat(ms[k]).isCloseTo(expected[k], within(1e-9 * expected[k]));
        }
    }

    @Test
    void rewritesIntoOneSharedMulAndRowScaledWeightsThatComputeTheSame() throws Exception {
        Path original = model();
        Path scaled = dir.resolve("scaled.onnx");
        List<String> log = GraphTransforms.apply("actscale", original, scaled, g -> feeds(4, 7), 1);
        assertThat(log).singleElement().asString().startsWith("h: 8 channels, 3 layer(s)");

        ModelProto proto = ModelProto.parseFrom(Files.readAllBytes(scaled));
        List<NodeProto> nodes = proto.getGraph().getNodeList();
        assertThat(nodes).filteredOn(n -> n.getOpType().equals("Mul")).singleElement()
                .satisfies(n -> assertThat(n.getInputList()).containsExactly("h", "h_actscale_inv"));
        assertThat(nodes).filteredOn(n -> List.of("MatMul", "Gemm").contains(n.getOpType()))
                .allSatisfy(n -> assertThat(n.getInput(0)).isEqualTo("h_actscaled"));
        assertThat(nodes).filteredOn(n -> n.getName().equals("residual")).singleElement()
                .satisfies(n -> assertThat(n.getInputList()).containsExactly("h", "h"));

        // s_k = sqrt(E[h_k²]) / geometric mean: row k relative to row 0 grows by sqrt(E[h_k²] / E[h_0²]).
        double[] ms;
        try (OnnxImporter.Imported m = OnnxImporter.read(original)) {
            ms = ActivationStatistics.meanSquares(m.graph(), java.util.Set.of("h"), feeds(4, 7), 1).get("h");
        }
        float[] before = weight(ModelProto.parseFrom(Files.readAllBytes(original)), "wq");
        float[] after = weight(proto, "wq");
        float[] gBefore = weight(ModelProto.parseFrom(Files.readAllBytes(original)), "wg");
        float[] gAfter = weight(proto, "wg");
        double s0 = after[0] / before[0];
        for (int k = 1; k < C; k++) {
            double sk = after[k * 4] / before[k * 4];
            double want = Math.sqrt(ms[k] / ms[0]);
            assertThat(sk / s0).isCloseTo(want, within(1e-5 * want));
            // transB = 1: the Gemm's columns carry the input channels
            assertThat((double) gAfter[k] / gBefore[k]).isCloseTo(sk, within(1e-5 * sk));
        }

        for (Map<String, Tensor> in : feeds(2, 99)) {
            Map<String, Tensor> want = run(original, in);
            Map<String, Tensor> got = run(scaled, in);
            for (String out : List.of("qv", "g", "res")) {
                float[] a = got.get(out).floats();
                float[] e = want.get(out).floats();
                for (int i = 0; i < e.length; i++) {
                    assertThat((double) a[i]).as("%s[%d]", out, i).isCloseTo(e[i], within(1e-5 * (1 + Math.abs(e[i]))));
                }
            }
        }
    }

    @Test
    void alphaZeroLeavesTheWeightsAsTheyWere() throws Exception {
        Path original = model();
        Path scaled = dir.resolve("a0.onnx");
        GraphTransforms.apply("actscale:alpha=0", original, scaled, g -> feeds(2, 7), 1);
        assertThat(weight(ModelProto.parseFrom(Files.readAllBytes(scaled)), "wv"))
                .containsExactly(weight(ModelProto.parseFrom(Files.readAllBytes(original)), "wv"));
    }

    @Test
    void withoutCalibrationDataItSaysWhatToGive() {
        assertThatThrownBy(() -> GraphTransforms.parse("actscale")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("calibration inputs").hasMessageContaining("--text")
                .hasMessageContaining("--dataset");
        assertThatThrownBy(() -> GraphTransforms.parse("actscale:alpha=2", g -> List.of(), 1))
                .hasMessageContaining("alpha");
    }

    private static final int ROWS = 10;

    /**
     * ids → Identity → t (computed indices, as a position lookup's are); Gather(table, t) → y, also the model output;
     * Gather(shared, ids) read twice and Gather(table2, constant indices) must be left alone.
     */
    private Path tableModel() throws Exception {
        return TestModels.create().input("ids", DType.INT64, 1, 4)
                .weight("table", Tensor.of(gaussian(ROWS * 3, 5), ROWS, 3))
                .weight("shared", Tensor.of(gaussian(ROWS * 3, 6), ROWS, 3))
                .weight("table2", Tensor.of(gaussian(ROWS * 3, 7), ROWS, 3))
                .weight("fixed", Tensor.of(new long[] {1, 2, 3, 4}, 1, 4))
                .node("Identity", "id", new String[] {"ids"}, new String[] {"t"})
                .node("Gather", "lookup", new String[] {"table", "t"}, new String[] {"y"})
                .node("Gather", "s1", new String[] {"shared", "ids"}, new String[] {"a"})
                .node("Gather", "s2", new String[] {"shared", "ids"}, new String[] {"b"})
                .node("Gather", "c", new String[] {"table2", "fixed"}, new String[] {"c"})
                .node("Add", "ab", new String[] {"a", "b"}, new String[] {"ab"})
                .node("Add", "abc", new String[] {"ab", "c"}, new String[] {"z"})
                .output("y", DType.FLOAT, 1, 4, 3).output("z", DType.FLOAT, 1, 4, 3)
                .write(dir.resolve("table.onnx"));
    }

    /** Row 0 looked up 6 times, row 3 four times (once as −7), row 9 twice, the other rows never. */
    private static List<Map<String, Tensor>> tableFeeds() {
        return List.of(Map.of("ids", Tensor.of(new long[] {0, 0, 3, 9}, 1, 4)),
                Map.of("ids", Tensor.of(new long[] {0, 3, -7, 9}, 1, 4)),
                Map.of("ids", Tensor.of(new long[] {0, 0, 0, 3}, 1, 4)));
    }

    @Test
    void tablesAreGathersOfAnUnsharedWeightAndTheirLookupsAreCountedPerRow() throws Exception {
        try (OnnxImporter.Imported m = OnnxImporter.read(tableModel())) {
            Map<String, String> tables = ActivationStatistics.tables(m.graph());
            assertThat(tables).containsExactly(Map.entry("table", "t"));
            long[] counts = ActivationStatistics.rowCounts(m.graph(), tables, tableFeeds(), 1).get("table");
            assertThat(counts).containsExactly(6, 0, 0, 4, 0, 0, 0, 0, 0, 2);
        }
        // Laplace: (c + 1) / (N + rows), N = 12 lookups
        assertThat(ActivationScalingTransform.oneHotMeanSquares(new long[] {6, 0, 0, 4, 0, 0, 0, 0, 0, 2}))
                .containsExactly(7 / 22.0, 1 / 22.0, 1 / 22.0, 5 / 22.0, 1 / 22.0, 1 / 22.0, 1 / 22.0, 1 / 22.0,
                        1 / 22.0, 3 / 22.0);
    }

    @Test
    void tableRowsAreScaledByLookupFrequencyAndTheModelComputesTheSame() throws Exception {
        Path original = tableModel();
        Path scaled = dir.resolve("table-scaled.onnx");
        List<String> log = GraphTransforms.apply("actscale:alpha=0.5,tables=true", original, scaled,
                g -> tableFeeds(), 1);
        assertThat(log).singleElement().asString().startsWith("table: 10 rows, 3 looked up (12 lookups)");

        ModelProto proto = ModelProto.parseFrom(Files.readAllBytes(scaled));
        ModelProto before = ModelProto.parseFrom(Files.readAllBytes(original));
        assertThat(proto.getGraph().getNodeList()).filteredOn(n -> n.getOpType().equals("Mul")).singleElement()
                .satisfies(n -> assertThat(n.getOutputList()).containsExactly("y"));
        assertThat(weight(proto, "shared")).containsExactly(weight(before, "shared"));
        assertThat(weight(proto, "table2")).containsExactly(weight(before, "table2"));
        // s_k / s_0 = ((c_k + 1) / (c_0 + 1))^(alpha / 2), and 1/s is stored per row
        float[] e = weight(before, "table");
        float[] es = weight(proto, "table");
        float[] inv = weight(proto, "table_rowscale_inv");
        long[] counts = {6, 0, 0, 4, 0, 0, 0, 0, 0, 2};
        double s0 = es[0] / e[0];
        for (int k = 0; k < ROWS; k++) {
            double want = Math.pow((counts[k] + 1) / 7.0, 0.25);
            for (int j = 0; j < 3; j++) {
                assertThat(es[k * 3 + j] / e[k * 3 + j] / s0).isCloseTo(want, within(1e-5 * want));
            }
            assertThat(inv[k] * es[k * 3] / e[k * 3]).isCloseTo(1f, within(1e-6f));
        }
        // Every row, seen in calibration or not, and negative indices, look up what they did before.
        Map<String, Tensor> in = Map.of("ids", Tensor.of(new long[] {1, 5, -1, 3}, 1, 4));
        Map<String, Tensor> want = run(original, in);
        Map<String, Tensor> got = run(scaled, in);
        for (String out : List.of("y", "z")) {
            float[] a = got.get(out).floats();
            float[] x = want.get(out).floats();
            assertThat(got.get(out).shape()).containsExactly(1, 4, 3);
            for (int i = 0; i < x.length; i++) {
                assertThat((double) a[i]).as("%s[%d]", out, i).isCloseTo(x[i], within(1e-6 * (1 + Math.abs(x[i]))));
            }
        }
    }

    /** Row 5 looked up 8 times, row 2 four times: a count no row of {@link #tableFeeds} has. */
    private static List<Map<String, Tensor>> frequencyFeeds() {
        return List.of(Map.of("ids", Tensor.of(new long[] {5, 5, 5, 2}, 1, 4)),
                Map.of("ids", Tensor.of(new long[] {5, 5, 2, 2}, 1, 4)),
                Map.of("ids", Tensor.of(new long[] {5, 5, 5, 2}, 1, 4)));
    }

    @Test
    void givenFrequencyInputsTheRowsAreWeightedByThemAndNotByTheCalibrationInputs() throws Exception {
        Path original = tableModel();
        Path scaled = dir.resolve("table-freq.onnx");
        java.util.concurrent.atomic.AtomicInteger calibrationReads = new java.util.concurrent.atomic.AtomicInteger();
        List<String> log = GraphTransforms.apply("actscale:alpha=0.5,tables=true", original, scaled,
                g -> {
                    calibrationReads.incrementAndGet();
                    return tableFeeds();
                }, g -> frequencyFeeds(), 1);
        assertThat(log).singleElement().asString().startsWith("table: 10 rows, 2 looked up (12 lookups)");
        // the calibration inputs still feed the activation statistics (once), not the lookup counts
        assertThat(calibrationReads).hasValue(1);

        float[] e = weight(ModelProto.parseFrom(Files.readAllBytes(original)), "table");
        float[] es = weight(ModelProto.parseFrom(Files.readAllBytes(scaled)), "table");
        long[] counts = {0, 0, 4, 0, 0, 8, 0, 0, 0, 0};
        double s0 = es[0] / e[0];
        for (int k = 0; k < ROWS; k++) {
            double want = Math.pow(counts[k] + 1, 0.25); // relative to row 0, seen 0 times
            assertThat(es[k * 3] / e[k * 3] / s0).as("row %d", k).isCloseTo(want, within(1e-5 * want));
        }
        // Still exact: the model computes what it did before.
        Map<String, Tensor> in = Map.of("ids", Tensor.of(new long[] {5, 0, -1, 2}, 1, 4));
        float[] want = run(original, in).get("y").floats();
        float[] got = run(scaled, in).get("y").floats();
        for (int i = 0; i < want.length; i++) {
            assertThat((double) got[i]).isCloseTo(want[i], within(1e-6 * (1 + Math.abs(want[i]))));
        }
    }

    @Test
    void frequencyInputsWithoutTablesAreRefusedRatherThanIgnored() {
        CalibrationInputs calibration = g -> tableFeeds();
        CalibrationInputs frequencies = g -> frequencyFeeds();
        assertThatThrownBy(() -> GraphTransforms.parse("actscale:alpha=0.5", calibration, frequencies, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tables=true")
                .hasMessageContaining("--frequency-text");
        assertThatThrownBy(() -> GraphTransforms.parse("lowrank:energy=0.9", calibration, frequencies, 1))
                .hasMessageContaining("actscale:tables=true");
        assertThatThrownBy(() -> new ActivationScalingTransform(calibration, frequencies, 0.5, 1, false))
                .hasMessageContaining("tables=true");
        assertThat(GraphTransforms.parse("lowrank:energy=0.9+actscale:tables=true", calibration, frequencies, 1))
                .hasSize(2);
    }

    @Test
    void tablesAreLeftAloneUnlessAskedFor() throws Exception {
        Path original = tableModel();
        Path scaled = dir.resolve("table-off.onnx");
        assertThat(GraphTransforms.apply("actscale:alpha=0.5", original, scaled, g -> tableFeeds(), 1)).isEmpty();
        assertThat(weight(ModelProto.parseFrom(Files.readAllBytes(scaled)), "table"))
                .containsExactly(weight(ModelProto.parseFrom(Files.readAllBytes(original)), "table"));
    }

    private static float[] weight(ModelProto proto, String name) {
        for (TensorProto t : proto.getGraph().getInitializerList()) {
            if (t.getName().equals(name)) {
                return OnnxTensors.toTensor(t, null).floats();
            }
        }
        throw new AssertionError("no initializer " + name);
    }

    private static Map<String, Tensor> run(Path p, Map<String, Tensor> in) {
        try (Model m = Nnz.load(p); Session s = m.newSession(new SessionOptions(1))) {
            return s.run(in);
        }
    }

    private static float[] gaussian(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) r.nextGaussian();
        }
        return out;
    }
}
