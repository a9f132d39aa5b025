package dev.nnzip.runtime;

import dev.nnzip.graph.Graph;
import dev.nnzip.graph.ValueInfo;
import dev.nnzip.graph.Weight;
import dev.nnzip.kernels.Parallel;
import dev.nnzip.graph.optimize.GraphOptimizer;
import dev.nnzip.ops.OpRegistry;
import dev.nnzip.runtime.shape.InferredShapes;
import dev.nnzip.runtime.shape.ShapeInference;
import dev.nnzip.runtime.shape.TensorType;
import dev.nnzip.runtime.weights.BudgetWeights;
import dev.nnzip.runtime.weights.DecodedWeightCache;
import dev.nnzip.runtime.weights.EagerWeights;
import dev.nnzip.runtime.weights.LayerwiseWeights;
import dev.nnzip.runtime.weights.MemoryMode;
import dev.nnzip.runtime.weights.PrefetchWeights;
import dev.nnzip.runtime.weights.WeightAccounting;
import dev.nnzip.runtime.weights.WeightStore;
import dev.nnzip.tensor.DType;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loaded model: its graph, its compiled plan and its weights (as references; when they are decoded is the memory
 * mode's business, see {@link MemoryMode}). Safe to share across threads; each thread (or request) opens its own
 * {@link Session}. Closing the model releases the files behind it; closing twice is harmless.
 */
public final class Model implements AutoCloseable {
    private final String name;
    private final Graph graph;
    private final ExecutionPlan plan;
    private final Weight[] weights;
    private final MemoryMode defaultMemory;
    private final AutoCloseable backing;
    private final WeightAccounting accounting = new WeightAccounting();
    private final Map<Long, DecodedWeightCache> budgetCaches = new ConcurrentHashMap<>();
    private volatile EagerWeights eager;
    private volatile boolean closed;

    /**
     * Compiles {@code graph}: every operator is checked here, so an unsupported one fails now, not mid-run. With
     * {@code defaultMemory} eager, all weights are decoded now as well. {@code backing} is closed with the model.
     */
    public Model(String name, Graph graph, MemoryMode defaultMemory, AutoCloseable backing) {
        this.name = name;
        this.graph = graph;
        this.backing = backing;
        this.defaultMemory = defaultMemory;
        // The plan runs the optimized graph (fused bias/activation, folded BatchNorm); graph() stays the model as written.
        this.plan = ExecutionPlan.compile(GraphOptimizer.standard().optimize(graph), OpRegistry.standard());
        String[] names = plan.weightNames();
        this.weights = new Weight[names.length];
        for (int i = 0; i < names.length; i++) {
            weights[i] = plan.graph().weights().get(names[i]);
        }
        if (defaultMemory.kind() == MemoryMode.Kind.EAGER) {
            eagerWeights();
        }
    }

    public String name() {
        return name;
    }

    public Graph graph() {
        return graph;
    }

    public ExecutionPlan plan() {
        return plan;
    }

    public MemoryMode defaultMemory() {
        return defaultMemory;
    }

    /** Inputs a caller feeds, in declared order. */
    public List<ValueInfo> inputs() {
        return graph.feedInputs();
    }

    public List<ValueInfo> outputs() {
        return graph.outputs();
    }

    /** Weight {@code index} as the model holds it (stored form; decoding is the weight store's business). */
    Weight weight(int index) {
        return weights[index];
    }

    /** The engine's own count of decoded weight bytes (current and peak), across all sessions of this model. */
    public WeightAccounting weightAccounting() {
        return accounting;
    }

    /** Bytes of decoded weights resident now. */
    public long residentWeightBytes() {
        return accounting.residentBytes();
    }

    /** Bytes all weights take once decoded (what eager mode holds). */
    public long decodedWeightBytes() {
        long sum = 0;
        for (Weight w : weights) {
            sum += w.decodedBytes();
        }
        return sum;
    }

    /** Bytes of the weights as stored (compressed, for a .nnz). */
    public long storedWeightBytes() {
        long sum = 0;
        for (Weight w : weights) {
            sum += w.storedBytes();
        }
        return sum;
    }

    /** The largest single weight tensor's decoded size. */
    public long largestWeightBytes() {
        long max = 0;
        for (Weight w : weights) {
            max = Math.max(max, w.decodedBytes());
        }
        return max;
    }

    /**
     * The largest single layer's decoded weights: the most decoded bytes any one node of the plan reads (a fused Conv's
     * kernel and bias together). Layerwise modes hold about this much, twice while prefetching the next layer.
     */
    public long largestLayerBytes() {
        long max = 0;
        for (ExecutionPlan.Step step : plan.steps()) {
            long sum = 0;
            for (int w : step.weights()) {
                sum += weights[w].decodedBytes();
            }
            max = Math.max(max, sum);
        }
        return max;
    }

    /**
     * The types of the plan's values when the caller feeds inputs of these shapes (element types as declared; an
     * input declared without one is taken as float32). Small shape-logic values are computed (see
     * {@link ShapeInference}).
     */
    public InferredShapes inferShapes(Map<String, int[]> inputShapes) {
        return ShapeInference.standard().infer(plan, inputTypes(inputShapes));
    }

    /**
     * The peak of live activation bytes a run on inputs of these shapes will reach, before running: exactly what
     * {@link Session#peakActivationBytes()} measures for such a run, in every memory mode; unknown (naming the node)
     * when a shape depends on data. Safe to call from any thread.
     */
    public PlannedActivations plannedActivations(Map<String, int[]> inputShapes) {
        checkOpen();
        return ActivationPlanner.plan(plan, inferShapes(inputShapes), inputShapes.keySet());
    }

    private Map<String, TensorType> inputTypes(Map<String, int[]> inputShapes) {
        Map<String, TensorType> types = new java.util.LinkedHashMap<>();
        for (var e : inputShapes.entrySet()) {
            ValueInfo info = graph.inputs().stream().filter(v -> v.name().equals(e.getKey())).findFirst()
                    .orElseThrow(() -> new dev.nnzip.InvalidInputException("unknown input name '" + e.getKey()
                            + "', expected one of " + inputs().stream().map(ValueInfo::name).toList()));
            types.put(e.getKey(), TensorType.of(info.dtype() == null ? DType.FLOAT : info.dtype(), e.getValue()));
        }
        return types;
    }

    private EagerWeights eagerWeights() {
        EagerWeights e = eager;
        if (e == null) {
            synchronized (this) {
                e = eager;
                if (e == null) {
                    e = new EagerWeights(weights, accounting);
                    eager = e;
                }
            }
        }
        return e;
    }

    /**
     * A weight store for one session in {@code mode}; {@code parallel} (the session's threads) decodes a weight's blocks
     * concurrently when the session waits for it.
     */
    WeightStore weightStore(MemoryMode mode, Parallel parallel) {
        return switch (mode.kind()) {
            case EAGER -> eagerWeights();
            case LAYERWISE -> new LayerwiseWeights(weights, accounting, parallel);
            case PREFETCH -> new PrefetchWeights(weights, accounting, parallel);
            case BUDGET -> new BudgetWeights(budgetCaches.computeIfAbsent(mode.budgetBytes(),
                    b -> new DecodedWeightCache(weights, b, accounting)), weights.length);
        };
    }

    public Session newSession() {
        return newSession(SessionOptions.defaults());
    }

    public Session newSession(SessionOptions options) {
        checkOpen();
        return new Session(this, options, options.memory() == null ? defaultMemory : options.memory());
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("model " + name + " is closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (backing != null) {
            try {
                backing.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing model " + name + ": " + e.getMessage(), e);
            }
        }
    }
}
