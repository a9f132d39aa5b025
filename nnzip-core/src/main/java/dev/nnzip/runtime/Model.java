package dev.nnzip.runtime;

import dev.nnzip.graph.Graph;
import dev.nnzip.graph.ValueInfo;
import dev.nnzip.graph.Weight;
import dev.nnzip.ops.OpRegistry;
import dev.nnzip.tensor.Tensor;
import java.util.List;

/**
 * A loaded model: its graph, its compiled plan and its decoded weights. Safe to share across threads; each thread
 * (or request) opens its own {@link Session}. Closing the model releases the files behind it; closing twice is harmless.
 */
public final class Model implements AutoCloseable {
    private final String name;
    private final Graph graph;
    private final ExecutionPlan plan;
    private final Tensor[] weights;
    private final AutoCloseable backing;
    private volatile boolean closed;

    /**
     * Compiles {@code graph} (every operator is checked here, so an unsupported one fails now, not mid-run) and decodes its
     * weights. {@code backing} is closed with the model (null if nothing backs it).
     */
    public Model(String name, Graph graph, AutoCloseable backing) {
        this.name = name;
        this.graph = graph;
        this.backing = backing;
        this.plan = ExecutionPlan.compile(graph, OpRegistry.standard());
        String[] names = plan.weightNames();
        this.weights = new Tensor[names.length];
        for (int i = 0; i < names.length; i++) {
            Weight w = graph.weights().get(names[i]);
            weights[i] = w.decode();
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

    /** Inputs a caller feeds, in declared order. */
    public List<ValueInfo> inputs() {
        return graph.feedInputs();
    }

    public List<ValueInfo> outputs() {
        return graph.outputs();
    }

    /** Bytes of decoded weights held by this model. */
    public long residentWeightBytes() {
        long sum = 0;
        for (Tensor t : weights) {
            sum += t.heapBytes();
        }
        return sum;
    }

    Tensor[] weights() {
        checkOpen();
        return weights;
    }

    public Session newSession() {
        return newSession(SessionOptions.defaults());
    }

    public Session newSession(SessionOptions options) {
        checkOpen();
        return new Session(this, options);
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
