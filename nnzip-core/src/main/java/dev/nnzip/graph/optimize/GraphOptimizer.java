package dev.nnzip.graph.optimize;

import dev.nnzip.graph.Graph;
import java.util.List;

/**
 * Rewrites a graph into an equivalent one that runs faster, applied once when a model is loaded:
 * <ol>
 *   <li>{@link BatchNormFolding}: Conv → BatchNormalization becomes one Conv with folded weights;</li>
 *   <li>{@link BiasFolding}: Conv/Gemm/MatMul → Add(constant) puts the constant in the product's bias;</li>
 *   <li>{@link ActivationFusion}: Conv/Gemm/MatMul → Relu/LeakyRelu/Clip/Sigmoid/HardSwish becomes one
 *       {@code dev.nnzip.Fused*} node applying the activation in the kernel's epilogue;</li>
 *   <li>{@link BlockedLayoutPass}: regions of pointwise and depthwise convolutions (with their Adds and a closing
 *       GlobalAveragePool) run in the channel-blocked NCHWc layout, with reorders at the region's edges.</li>
 * </ol>
 * Every rewrite is exact up to float rounding and only removes values that nothing else reads. {@code
 * -Dnnzip.graph.optimize=false} turns the optimizer off (to compare against the graph as written).
 */
public final class GraphOptimizer {
    /** System property that disables optimization when set to {@code false}. */
    public static final String PROPERTY = "nnzip.graph.optimize";

    private final List<GraphPass> passes;

    private GraphOptimizer(List<GraphPass> passes) {
        this.passes = List.copyOf(passes);
    }

    /** All passes, unless {@code -Dnnzip.graph.optimize=false}. */
    public static GraphOptimizer standard() {
        return Boolean.parseBoolean(System.getProperty(PROPERTY, "true")) ? all() : none();
    }

    /** All passes, regardless of the system property. */
    public static GraphOptimizer all() {
        return new GraphOptimizer(List.of(new BatchNormFolding(), new BiasFolding(), new ActivationFusion(),
                new BlockedLayoutPass(dev.nnzip.kernels.blocked.BlockedLayout.preferredBlock())));
    }

    /** The identity. */
    public static GraphOptimizer none() {
        return new GraphOptimizer(List.of());
    }

    public Graph optimize(Graph graph) {
        Graph g = graph;
        for (GraphPass p : passes) {
            g = p.apply(g);
        }
        return g;
    }

    /** The names of the passes, in order. */
    public List<String> passes() {
        return passes.stream().map(GraphPass::name).toList();
    }
}
