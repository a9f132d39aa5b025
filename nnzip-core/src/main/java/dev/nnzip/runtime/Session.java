package dev.nnzip.runtime;

import dev.nnzip.InvalidInputException;
import dev.nnzip.NnzipException;
import dev.nnzip.graph.Dim;
import dev.nnzip.graph.ValueInfo;
import dev.nnzip.kernels.Parallel;
import dev.nnzip.ops.ExecContext;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Runs a model. A session owns its worker threads; use one per thread (sessions are cheap, the model is shared).
 * Closing is idempotent.
 */
public final class Session implements AutoCloseable {
    private final Model model;
    private final ExecutionPlan plan;
    private final Parallel parallel;
    private final ExecContext ctx;
    private volatile boolean closed;

    Session(Model model, SessionOptions options) {
        this.model = model;
        this.plan = model.plan();
        this.parallel = options.threads() == 1 ? Parallel.sequential() : new Parallel(options.threads());
        this.ctx = new ExecContext(parallel);
    }

    /** Runs the model on {@code inputs} (by name) and returns every graph output by name, in declared order. */
    public Map<String, Tensor> run(Map<String, Tensor> inputs) {
        if (closed) {
            throw new IllegalStateException("session is closed");
        }
        model.checkOpen();
        Tensor[] values = new Tensor[plan.slotCount()];
        Tensor[] weights = model.weights();
        int[] weightSlots = plan.weightSlots();
        for (int i = 0; i < weightSlots.length; i++) {
            values[weightSlots[i]] = weights[i];
        }
        bindInputs(inputs, values);
        for (ExecutionPlan.Step step : plan.steps()) {
            Tensor[] in = new Tensor[step.inputs().length];
            for (int i = 0; i < in.length; i++) {
                int s = step.inputs()[i];
                in[i] = s < 0 ? null : values[s];
            }
            Tensor[] out;
            try {
                out = step.kernel().run(in, ctx);
            } catch (NnzipException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new NnzipException("node " + step.node().describe() + " failed on inputs "
                        + describe(step.node().inputs(), in) + ": " + e.getMessage(), e);
            }
            int[] outSlots = step.outputs();
            for (int i = 0; i < outSlots.length; i++) {
                if (outSlots[i] >= 0) {
                    values[outSlots[i]] = i < out.length ? out[i] : null;
                }
            }
            for (int s : step.freeAfter()) {
                values[s] = null;
            }
        }
        Map<String, Tensor> result = new LinkedHashMap<>();
        int[] outSlots = plan.outputSlots();
        List<ValueInfo> outs = model.outputs();
        for (int i = 0; i < outSlots.length; i++) {
            int slot = outSlots[i];
            Tensor t = values[slot];
            // A weight or an input passed straight through must not hand the caller our shared array.
            boolean shared = Arrays.stream(weightSlots).anyMatch(s -> s == slot) || plan.inputSlots().containsValue(slot);
            result.put(outs.get(i).name(), t != null && shared ? t.copy() : t);
        }
        return result;
    }

    private static String describe(List<String> names, Tensor[] in) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < in.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(names.get(i).isEmpty() ? "-" : names.get(i)).append(": ")
                    .append(in[i] == null ? "absent" : in[i].dtype() + Arrays.toString(in[i].shape()));
        }
        return sb.append(']').toString();
    }

    private void bindInputs(Map<String, Tensor> inputs, Tensor[] values) {
        Map<String, Integer> slots = plan.inputSlots();
        List<ValueInfo> declared = model.graph().inputs();
        for (var e : inputs.entrySet()) {
            if (!slots.containsKey(e.getKey())) {
                throw new InvalidInputException("unknown input name '" + e.getKey() + "', expected one of "
                        + model.inputs().stream().map(ValueInfo::name).toList());
            }
        }
        for (ValueInfo info : declared) {
            Tensor t = inputs.get(info.name());
            if (t == null) {
                if (!model.graph().weights().containsKey(info.name())) {
                    throw new InvalidInputException("missing input '" + info.name() + "' (" + info + "); inputs given: "
                            + inputs.keySet());
                }
                continue; // an initializer listed as an input keeps its stored value
            }
            check(info, t);
            values[slots.get(info.name())] = t;
        }
    }

    private static void check(ValueInfo info, Tensor t) {
        DType want = info.dtype();
        if (want != null && want != t.dtype()) {
            throw new InvalidInputException("input '" + info.name() + "' has element type " + t.dtype() + ", expected "
                    + want + " (declared " + info + ")");
        }
        if (!info.hasShape()) {
            return;
        }
        List<Dim> dims = info.shape();
        int[] shape = t.shape();
        boolean ok = dims.size() == shape.length;
        for (int i = 0; ok && i < shape.length; i++) {
            ok = !dims.get(i).isFixed() || dims.get(i).value() == shape[i];
        }
        if (!ok) {
            throw new InvalidInputException("input '" + info.name() + "' has shape " + Arrays.toString(shape)
                    + ", expected " + dims.stream().map(Dim::toString).collect(Collectors.joining(", ", "[", "]")));
        }
    }

    public Model model() {
        return model;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            parallel.close();
        }
    }
}
