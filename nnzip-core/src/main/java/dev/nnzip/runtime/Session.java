package dev.nnzip.runtime;

import dev.nnzip.InvalidInputException;
import dev.nnzip.NnzipException;
import dev.nnzip.graph.ValueInfo;
import dev.nnzip.kernels.Parallel;
import dev.nnzip.ops.ActivationPool;
import dev.nnzip.ops.ExecContext;
import dev.nnzip.format.NnzWeight;
import dev.nnzip.runtime.weights.MemoryMode;
import dev.nnzip.runtime.weights.RowGather;
import dev.nnzip.runtime.weights.WeightStore;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a model. A session owns its worker threads; use one per thread (sessions are cheap, the model is shared).
 * Closing is idempotent.
 */
public final class Session implements AutoCloseable {
    private final Model model;
    private final ExecutionPlan plan;
    private final Parallel parallel;
    private final ExecContext ctx;
    /** Dead activations' arrays, reused for later outputs of this session's runs. */
    private final ActivationPool pool = new ActivationPool();
    private volatile boolean closed;

    private final MemoryMode memory;
    private final WeightStore weights;
    private long peakActivationBytes;
    private long peakPooledBytes;
    /** Per weight index: the compressed table a row Gather reads without decoding it whole, else null. */
    private final NnzWeight[] rowTables;
    /** Per step, bit i: input i is an activation whose last reader is this step (read once by it). */
    private final long[] dyingInputs;
    /** Null unless profiling was asked for. */
    private final OpProfile profile;
    /** Per step: the weights of the next step that reads any (decoded whole), the prefetch hint given at that step. */
    private final int[][] lookahead;

    Session(Model model, SessionOptions options, MemoryMode memory) {
        this.model = model;
        this.plan = model.plan();
        this.memory = memory;
        this.parallel = options.threads() == 1 ? Parallel.sequential() : new Parallel(options.threads());
        this.weights = model.weightStore(memory, parallel);
        this.rowTables = rowTables(model, plan, memory);
        this.lookahead = lookahead(plan, rowTables);
        this.dyingInputs = plan.steps().stream().mapToLong(ExecutionPlan.Step::dyingInputs).toArray();
        this.ctx = new ExecContext(parallel, pool);
        this.profile = options.profile()
                ? new OpProfile(plan.steps().stream().map(ExecutionPlan.Step::node).toList()) : null;
    }

    /** The per-node kernel times of this session's runs, if it was opened {@link SessionOptions#withProfiling}. */
    public java.util.Optional<OpProfile> profile() {
        return java.util.Optional.ofNullable(profile);
    }

    /** Runs the model on {@code inputs} (by name) and returns every graph output by name, in declared order. */
    public Map<String, Tensor> run(Map<String, Tensor> inputs) {
        if (closed) {
            throw new IllegalStateException("session is closed");
        }
        model.checkOpen();
        Tensor[] values = new Tensor[plan.slotCount()];
        bindInputs(inputs, values);
        ActivationLedger activations = new ActivationLedger();
        Set<Object> weightArrays = Collections.newSetFromMap(new IdentityHashMap<>());
        inputs.values().forEach(t -> activations.external(data(t)));
        List<ExecutionPlan.Step> steps = plan.steps();
        // Workers stay awake between this run's forks, unless the weight store decodes in the background: that thread
        // needs the second core while the session waits for a layer, and a spinning worker took it (vgg.nnz prefetch,
        // 2 threads: p50 6.1-6.4 ms with the short window, 6.5-7.4 ms with the section's).
        try (Parallel.Section section = weights.decodesInBackground() ? () -> { } : parallel.section()) {
            for (int k = 0; k < steps.size(); k++) {
                runStep(k, steps.get(k), values, activations, weightArrays);
            }
            return collectOutputs(values);
        } finally {
            releaseAll();
            pool.endRun();
            synchronized (this) {
                peakActivationBytes = Math.max(peakActivationBytes, activations.peak());
                peakPooledBytes = Math.max(peakPooledBytes, pool.retainedBytes());
            }
        }
    }

    /**
     * One node of a run: its weights acquired, the next weights hinted, the kernel run, its outputs stored, and the
     * values and weights it was the last reader of given back. A method of its own rather than the body of {@link #run}'s
     * loop: C2 compiled that loop on-stack (OSR) with everything here inlined, five times over and late (after ~20 runs
     * of MiniLM), each compilation taking a 30-33 MB arena (-XX:CompileCommand=MemStat), the largest transient in a
     * compressed model's peak RSS. As a method it is compiled once, early.
     */
    private void runStep(int k, ExecutionPlan.Step step, Tensor[] values, ActivationLedger activations,
            Set<Object> weightArrays) {
        int[] weightSlots = plan.weightSlots();
        int rw = step.rowGatherWeight();
        NnzWeight rowTable = rw >= 0 && values[weightSlots[rw]] == null ? rowTables[rw] : null;
        for (int w : step.weights()) {
            if (rowTable == null || w != rw) {
                Tensor t = weights.acquire(w);
                activations.external(data(t));
                weightArrays.add(data(t));
                values[weightSlots[w]] = t;
            }
        }
        if (lookahead[k].length > 0) {
            weights.upcoming(lookahead[k]);
        }
        Tensor[] in = new Tensor[step.inputs().length];
        for (int i = 0; i < in.length; i++) {
            int s = step.inputs()[i];
            in[i] = s < 0 ? null : values[s];
        }
        Tensor[] out;
        long started = profile == null ? 0 : System.nanoTime();
        if (rowTable != null) {
            try (RowGather.Rows rows = RowGather.gather(rowTable, in[1], model.weightAccounting())) {
                in[0] = rows.table();
                activations.external(data(in[0]));
                in[1] = rows.indices();
                out = execute(step, in);
            } finally {
                activations.forgetExternal(data(in[0]));
            }
        } else {
            ctx.overwritable(overwritable(dyingInputs[k], in, activations));
            ctx.weightInputs(weightInputs(in, weightArrays));
            try {
                out = execute(step, in);
            } finally {
                ctx.overwritable(0);
                ctx.weightInputs(0);
            }
        }
        if (profile != null) {
            profile.record(k, System.nanoTime() - started);
        }
        int[] outSlots = step.outputs();
        for (int i = 0; i < outSlots.length; i++) {
            if (outSlots[i] >= 0) {
                Tensor t = i < out.length ? out[i] : null;
                values[outSlots[i]] = t;
                activations.produced(data(t), t == null ? 0 : t.heapBytes());
            }
        }
        // The pool may hold as many bytes of dead arrays as were ever live at once (see ActivationPool).
        pool.limit(Math.max(peakActivationBytes, activations.peak()));
        for (int s : step.freeAfter()) {
            Object buffer = data(values[s]);
            if (activations.freed(buffer, values[s] == null ? 0 : values[s].heapBytes())
                    && buffer instanceof float[] array) {
                pool.recycle(array);
            }
            values[s] = null;
        }
        for (int w : step.weightReleases()) {
            weights.release(w);
            activations.forgetExternal(data(values[weightSlots[w]]));
            weightArrays.remove(data(values[weightSlots[w]]));
            values[weightSlots[w]] = null;
        }
    }

    /**
     * Row Gathers on a compressed table (issue 4): in every mode but eager, a Gather along axis 0 of a weight stored in
     * codec blocks decodes only the blocks of the rows it reads, unless the table is already decoded for another reader.
     */
    private static NnzWeight[] rowTables(Model model, ExecutionPlan plan, MemoryMode memory) {
        NnzWeight[] tables = new NnzWeight[plan.weightSlots().length];
        if (memory.kind() == MemoryMode.Kind.EAGER) {
            return tables;
        }
        for (ExecutionPlan.Step step : plan.steps()) {
            int w = step.rowGatherWeight();
            if (w >= 0 && model.weight(w) instanceof NnzWeight nw && nw.blockDecodable()) {
                tables[w] = nw;
            }
        }
        return tables;
    }

    /**
     * For each step, the weights of the next step (after it) that reads weights, leaving out row-gathered tables (their
     * rows are not known ahead). Hinting past weightless steps (Relu, Add, Reshape...) gives the prefetcher a whole layer
     * of compute to hide the next layer's decoding behind, while keeping at most two layers' weights decoded.
     */
    private static int[][] lookahead(ExecutionPlan plan, NnzWeight[] rowTables) {
        List<ExecutionPlan.Step> steps = plan.steps();
        int[][] hints = new int[steps.size()][];
        int[] next = new int[0];
        for (int k = steps.size() - 1; k >= 0; k--) {
            hints[k] = next;
            ExecutionPlan.Step step = steps.get(k);
            int rw = step.rowGatherWeight();
            int[] whole = rw >= 0 && rowTables[rw] != null
                    ? Arrays.stream(step.weights()).filter(w -> w != rw).toArray() : step.weights();
            if (whole.length > 0) {
                next = whole;
            }
        }
        return hints;
    }

    /**
     * Activation planning's in-place part (issue 4): an element-wise node may write its output over an input that dies
     * with it. Decided from the plan's liveness ({@link ExecutionPlan.Step#dyingInputs}) and, at run time, from the
     * buffers themselves: a view (Reshape, Identity...) may still share the array with a live value, and a weight or a
     * caller's input is never written.
     */
    private static long overwritable(long dying, Tensor[] in, ActivationLedger activations) {
        Object[] buffers = new Object[in.length];
        for (int i = 0; i < in.length; i++) {
            buffers[i] = data(in[i]);
        }
        return activations.overwritable(dying, buffers);
    }

    /** Bit i set when input i holds one of the weight arrays this run acquired (or a view of one). */
    private static long weightInputs(Tensor[] in, Set<Object> weightArrays) {
        long mask = 0;
        for (int i = 0; i < in.length && i < Long.SIZE; i++) {
            if (in[i] != null && weightArrays.contains(data(in[i]))) {
                mask |= 1L << i;
            }
        }
        return mask;
    }

    /** The buffer the activation ledger counts a tensor by (its data array); null for an absent value. */
    private static Object data(Tensor t) {
        return t == null ? null : t.data();
    }

    private Tensor[] execute(ExecutionPlan.Step step, Tensor[] in) {
        try {
            return step.kernel().run(in, ctx);
        } catch (NnzipException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new NnzipException("node " + step.node().describe() + " failed on inputs "
                    + describe(step.node().inputs(), in) + ": " + e.getMessage(), e);
        }
    }

    private Map<String, Tensor> collectOutputs(Tensor[] values) {
        Map<String, Tensor> result = new LinkedHashMap<>();
        int[] outSlots = plan.outputSlots();
        int[] weightSlots = plan.weightSlots();
        List<ValueInfo> outs = model.outputs();
        for (int i = 0; i < outSlots.length; i++) {
            int slot = outSlots[i];
            int weight = indexOf(weightSlots, slot);
            Tensor t = weight >= 0 ? weights.acquire(weight) : values[slot];
            // A weight or an input passed straight through must not hand the caller our shared array.
            boolean shared = weight >= 0 || plan.inputSlots().containsValue(slot);
            result.put(outs.get(i).name(), t != null && shared ? t.copy() : t);
        }
        return result;
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        return -1;
    }

    /** After a run (or a failed one) no weight stays acquired by this session beyond what its mode keeps. */
    private void releaseAll() {
        if (memory.kind() != MemoryMode.Kind.EAGER) {
            for (int w = 0; w < plan.weightSlots().length; w++) {
                weights.release(w);
            }
        }
    }

    /** The memory mode this session runs in. */
    public MemoryMode memory() {
        return memory;
    }

    /** Peak bytes of live activations (intermediate values) in any run so far, counted by distinct buffer. */
    public synchronized long peakActivationBytes() {
        return peakActivationBytes;
    }

    /**
     * The most bytes of dead activation arrays this session kept between runs for reuse ({@code ops.ActivationPool}):
     * resident memory that is no live activation's, so not in {@link #peakActivationBytes()}.
     */
    public synchronized long pooledActivationBytes() {
        return peakPooledBytes;
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
            info.requireAccepts(t.dtype(), t.shape());
            values[slots.get(info.name())] = t;
        }
    }

    public Model model() {
        return model;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            weights.close();
            parallel.close();
        }
    }
}
