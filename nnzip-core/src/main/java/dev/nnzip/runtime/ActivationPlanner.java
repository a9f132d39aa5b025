package dev.nnzip.runtime;

import dev.nnzip.graph.Graph;
import dev.nnzip.graph.Node;
import dev.nnzip.runtime.shape.InferredShapes;
import dev.nnzip.runtime.shape.ShapeUnknownException;
import dev.nnzip.runtime.shape.TensorType;
import java.util.List;
import java.util.Set;

/**
 * The peak of live activation bytes of a run, computed before running: the session's run replayed on abstract buffers
 * sized by shape inference. Same plan order, same liveness (a value dies after its last reader; graph outputs,
 * weights and caller inputs never count), same events fed to the same {@link ActivationLedger} (weights and inputs
 * external, views sharing their input's buffer, in-place outputs taking a dying input's buffer when the session's
 * run-time check would allow it), so the planned figure is the measured one.
 *
 * <p>It does not depend on the memory mode: weights are external in every mode, and a row Gather on a compressed table
 * differs only in where the table's rows come from.
 */
final class ActivationPlanner {
    private ActivationPlanner() {
    }

    /** A buffer of a planned size; compared by identity, like the data arrays the session counts. */
    private static final class Buffer {
        final long bytes;

        Buffer(long bytes) {
            this.bytes = bytes;
        }
    }

    static PlannedActivations plan(ExecutionPlan plan, InferredShapes shapes, Set<String> callerInputs) {
        if (!shapes.complete()) {
            return PlannedActivations.unknown(shapes.reason());
        }
        Graph graph = plan.graph();
        ActivationLedger ledger = new ActivationLedger();
        Buffer[] values = new Buffer[plan.slotCount()];
        for (String name : callerInputs) {
            Integer slot = plan.inputSlots().get(name);
            if (slot != null) {
                values[slot] = new Buffer(type(shapes, name).heapBytes());
                ledger.external(values[slot]);
            }
        }
        String[] weightNames = plan.weightNames();
        int[] weightSlots = plan.weightSlots();
        Buffer[] weights = new Buffer[weightNames.length];
        for (int w = 0; w < weights.length; w++) {
            weights[w] = new Buffer(type(shapes, weightNames[w]).heapBytes());
        }
        long peak = 0;
        String peakAt = "";
        List<ExecutionPlan.Step> steps = plan.steps();
        for (ExecutionPlan.Step step : steps) {
            Node node = step.node();
            for (int w : step.weights()) {
                ledger.external(weights[w]);
                values[weightSlots[w]] = weights[w];
            }
            int[] ins = step.inputs();
            Buffer[] in = new Buffer[ins.length];
            TensorType[] inTypes = new TensorType[ins.length];
            for (int i = 0; i < ins.length; i++) {
                in[i] = ins[i] < 0 ? null : values[ins[i]];
                inTypes[i] = ins[i] < 0 ? null : type(shapes, node.inputs().get(i));
            }
            long overwritable = step.rowGatherWeight() >= 0 ? 0 : ledger.overwritable(step.dyingInputs(), in);
            int[] outs = step.outputs();
            TensorType[] outTypes = new TensorType[outs.length];
            for (int k = 0; k < outs.length; k++) {
                outTypes[k] = outs[k] < 0 ? null : type(shapes, node.outputs().get(k));
            }
            int opset = node.domain().isEmpty() ? graph.onnxOpset() : graph.opsets().getOrDefault(node.domain(), 1);
            for (int k = 0; k < outs.length; k++) {
                if (outs[k] < 0) {
                    continue;
                }
                int source;
                try {
                    source = BufferReuse.source(node, step.kernel(), opset, k, inTypes, outTypes, overwritable);
                } catch (ShapeUnknownException e) {
                    return PlannedActivations.unknown(e.getMessage());
                }
                Buffer b = source == BufferReuse.FRESH || in[source] == null ? new Buffer(outTypes[k].heapBytes())
                        : in[source];
                values[outs[k]] = b;
                ledger.produced(b, b.bytes);
            }
            if (ledger.peak() > peak) {
                peak = ledger.peak();
                peakAt = node.describe();
            }
            for (int s : step.freeAfter()) {
                Buffer b = values[s];
                ledger.freed(b, b == null ? 0 : b.bytes);
                values[s] = null;
            }
            for (int w : step.weightReleases()) {
                ledger.forgetExternal(values[weightSlots[w]]);
                values[weightSlots[w]] = null;
            }
        }
        return PlannedActivations.known(peak, peakAt);
    }

    private static TensorType type(InferredShapes shapes, String name) {
        return shapes.type(name).orElseThrow(() -> new IllegalStateException("no inferred type for '" + name + "'"));
    }
}
