package dev.nnzip.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.nnzip.Nnz;
import dev.nnzip.graph.ValueInfo;
import dev.nnzip.onnx.OnnxTensors;
import dev.nnzip.ops.OpRegistry;
import dev.nnzip.runtime.Model;
import dev.nnzip.runtime.PlannedActivations;
import dev.nnzip.runtime.Session;
import dev.nnzip.runtime.SessionOptions;
import dev.nnzip.runtime.shape.InferredShapes;
import dev.nnzip.runtime.shape.ShapeInference;
import dev.nnzip.runtime.shape.TensorType;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Shape inference against the ONNX backend node tests: for every test of an implemented operator, the types inferred
 * from the inputs' shapes must be the expected outputs' types. Two readings of the inputs: as data (only their shapes
 * known, as a model's feeds are), and with integer inputs' values known (the shape arguments a real graph computes
 * from constants and shapes: Reshape targets, Slice bounds, TopK's k). An unknown shape is allowed (it says so); a
 * wrong one never is. "Integer inputs as values" also counts scalars and short vectors of any type (Resize scales,
 * OneHot depth, Range bounds) as known arguments; a test whose inputs are all such small values is then evaluated by
 * the kernel itself, so the first reading is the one that exercises the rules.
 */
class NodeShapeConformanceTest {
    @Test
    void inferredShapesMatchTheNodeTestsOutputs() throws Exception {
        List<NodeTestCase> cases = NodeTestCase.all();
        assumeTrue(!cases.isEmpty(), "libonnx-testdata is not installed at " + NodeTestCase.ROOT);
        String filter = System.getProperty("nnzip.conformance.filter", "");
        OpRegistry registry = OpRegistry.standard();
        int[] asData = new int[3];      // match, unknown, wrong
        int[] withArguments = new int[3];
        int skipped = 0;
        List<String> wrong = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        List<String> unknownWithArguments = new ArrayList<>();
        for (NodeTestCase c : cases) {
            if (!c.name().contains(filter) || !registry.supports("", c.opType())) {
                continue;
            }
            Path set = c.dir().resolve("test_data_set_0");
            Model model;
            try {
                model = Nnz.load(c.dir().resolve("model.onnx"));
            } catch (RuntimeException e) {
                skipped++; // an attribute the kernel refuses at load: not a shape question
                continue;
            }
            try (model) {
                List<Tensor> inputs;
                List<Tensor> expected;
                try {
                    inputs = NodeTestCase.read(set, "input_");
                    expected = NodeTestCase.read(set, "output_");
                } catch (RuntimeException e) {
                    skipped++; // sequences, optionals: not tensors
                    continue;
                }
                List<ValueInfo> declared = model.graph().inputs();
                Map<String, TensorType> data = new LinkedHashMap<>();
                Map<String, TensorType> arguments = new LinkedHashMap<>();
                for (int i = 0; i < inputs.size(); i++) {
                    Tensor t = inputs.get(i);
                    DType type = storedAs(declared.get(i).dtype(), t.dtype());
                    data.put(declared.get(i).name(), TensorType.of(type, t.shape()));
                    boolean argument = type == t.dtype() && t.dtype().storage() == DType.Storage.LONG && t.size() <= 64
                            || type == t.dtype() && t.rank() <= 1 && t.size() <= 8;
                    arguments.put(declared.get(i).name(), argument ? TensorType.constant(t)
                            : TensorType.of(type, t.shape()));
                }
                String verdict = judge(model, data, expected, asData);
                if (verdict != null) {
                    (verdict.startsWith("WRONG") ? wrong : unknown).add(c.name() + ": " + verdict);
                }
                String verdict2 = judge(model, arguments, expected, withArguments);
                if (verdict2 != null && !verdict2.startsWith("WRONG")) {
                    unknownWithArguments.add(c.name() + ": " + verdict2);
                }
                if (verdict2 != null && verdict2.startsWith("WRONG") && (verdict == null || !verdict.startsWith("WRONG"))) {
                    wrong.add(c.name() + " (arguments known): " + verdict2);
                }
            }
        }
        int total = asData[0] + asData[1] + asData[2];
        System.out.printf("%nShape inference on the ONNX node tests of implemented operators (%d tests, %d not loadable as tensors)%n"
                        + "  inputs as data:           %d match, %d unknown, %d wrong (%.1f %% match)%n"
                        + "  integer inputs as values: %d match, %d unknown, %d wrong (%.1f %% match)%n",
                total, skipped, asData[0], asData[1], asData[2], 100.0 * asData[0] / Math.max(1, total),
                withArguments[0], withArguments[1], withArguments[2], 100.0 * withArguments[0] / Math.max(1, total));
        System.out.println("Unknown with inputs as data:\n  " + String.join("\n  ", unknown));
        System.out.println("Unknown with integer inputs as values:\n  " + String.join("\n  ", unknownWithArguments));
        System.out.println("Wrong:\n  " + String.join("\n  ", wrong));
        assertThat(total).isPositive();
        assertThat(wrong).as("inferred shapes that differ from the expected outputs").isEmpty();
    }

    /**
     * The buffer model of the activation planner against the session's measurement on every node test (single nodes
     * and the "_expanded" function bodies): views, identity Transposes, in-place element-wise nodes, optional outputs.
     * A test whose shapes depend on its inputs' values is left out (its plan is unknown, which is also checked to say
     * why); one the engine cannot run is a conformance question, not a planning one.
     */
    @Test
    void plannedActivationPeaksMatchTheMeasuredOnes() throws Exception {
        List<NodeTestCase> cases = NodeTestCase.all();
        assumeTrue(!cases.isEmpty(), "libonnx-testdata is not installed at " + NodeTestCase.ROOT);
        String filter = System.getProperty("nnzip.conformance.filter", "");
        int equal = 0;
        int unknown = 0;
        List<String> differ = new ArrayList<>();
        for (NodeTestCase c : cases) {
            if (!c.name().contains(filter) || !OpRegistry.standard().supports("", c.opType())) {
                continue;
            }
            try (Model model = Nnz.load(c.dir().resolve("model.onnx"));
                 Session session = model.newSession(new SessionOptions(1))) {
                List<Tensor> inputs = NodeTestCase.read(c.dir().resolve("test_data_set_0"), "input_");
                List<ValueInfo> declared = model.graph().inputs();
                Map<String, Tensor> feeds = new LinkedHashMap<>();
                Map<String, int[]> shapes = new LinkedHashMap<>();
                for (int i = 0; i < inputs.size(); i++) {
                    feeds.put(declared.get(i).name(), inputs.get(i));
                    shapes.put(declared.get(i).name(), inputs.get(i).shape());
                }
                session.run(feeds);
                PlannedActivations planned = model.plannedActivations(shapes);
                if (!planned.isKnown()) {
                    assertThat(planned.unknownReason()).as(c.name()).isNotBlank();
                    unknown++;
                } else if (planned.peakBytes().getAsLong() == session.peakActivationBytes()) {
                    equal++;
                } else {
                    differ.add(c.name() + ": planned " + planned + ", measured " + session.peakActivationBytes());
                }
            } catch (RuntimeException e) {
                // not loadable or not runnable here: the conformance test reports it
            }
        }
        System.out.printf("%nPlanned vs measured activation peak on the node tests: %d equal, %d unknown (data-dependent"
                + " shapes), %d differ%n  %s%n", equal, unknown, differ.size(), String.join("\n  ", differ));
        assertThat(equal).isPositive();
        assertThat(differ).as("node tests whose planned activation peak is not the measured one").isEmpty();
    }

    /** null when every output's type matches; else why not ("WRONG ..." for a mismatch). Counts into tally. */
    private static String judge(Model model, Map<String, TensorType> inputs, List<Tensor> expected, int[] tally) {
        InferredShapes shapes;
        try {
            shapes = ShapeInference.standard().infer(model.plan(), inputs);
        } catch (RuntimeException e) {
            tally[1]++;
            return "inference failed: " + e.getMessage();
        }
        if (!shapes.complete()) {
            tally[1]++;
            return shapes.reason();
        }
        List<ValueInfo> outs = model.graph().outputs();
        for (int i = 0; i < expected.size() && i < outs.size(); i++) {
            TensorType t = shapes.type(outs.get(i).name()).orElse(null);
            Tensor e = expected.get(i);
            if (t == null || !Arrays.equals(t.shape(), e.shape()) || storedAs(t.dtype(), e.dtype()) != t.dtype()) {
                tally[2]++;
                return "WRONG output " + i + ": inferred " + t + ", expected " + e.dtype()
                        + Arrays.toString(e.shape());
            }
        }
        tally[0]++;
        return null;
    }

    /**
     * The element type a test file's tensor stands for: the node tests store bfloat16 data as its uint16 bits
     * (TensorProto.UINT16), so a declared or inferred BFLOAT16 matches a stored UINT16.
     */
    private static DType storedAs(DType declared, DType stored) {
        return declared == DType.BFLOAT16 && stored == DType.UINT16 ? DType.BFLOAT16 : stored;
    }
}
