package dev.nnzip.graph.optimize;

import dev.nnzip.graph.Attribute;
import dev.nnzip.graph.Graph;
import dev.nnzip.graph.Node;
import dev.nnzip.ops.nn.ActivationAttributes;
import dev.nnzip.tensor.Tensor;
import java.util.List;
import java.util.Set;

/**
 * Moves an {@code Add} of a constant into the product before it, so the bias is added in the kernel's epilogue while
 * the output is still in cache instead of in a second pass over memory:
 * <ul>
 *   <li>{@code Conv → Add(c)} with c per-channel ({@code [M,1,..]}, {@code [1,M,1,..]} or a single value): c becomes
 *       (or is added to) the Conv bias;</li>
 *   <li>{@code Gemm(A, B) → Add(c)} with no C input: c becomes C with beta 1, when c broadcasts to {@code [M, N]}
 *       without growing the result (rank <= 2, first dimension 1, last 1 or N, N known from a constant B);</li>
 *   <li>{@code MatMul → Add(c)}: becomes {@code dev.nnzip.FusedMatMul(A, B, c)}, which adds c in the epilogue when it
 *       is a row vector of length N and with full broadcasting otherwise, so every case stays exact.</li>
 * </ul>
 * Only when the product's output feeds nothing but the Add and is not a graph output.
 */
final class BiasFolding implements GraphPass {
    @Override
    public String name() {
        return "fold constant Add into Conv/Gemm/MatMul";
    }

    @Override
    public Graph apply(Graph graph) {
        GraphIndex index = new GraphIndex(graph);
        Rewrite rw = new Rewrite(index);
        List<Node> nodes = graph.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            Node add = nodes.get(i);
            if (!Ops.is(add, "Add") || add.inputs().size() != 2) {
                continue;
            }
            for (int side = 0; side < 2; side++) {
                String v = add.input(side);
                String c = add.input(1 - side);
                int p = index.producerOf(v);
                if (p < 0 || !index.isFloatConstant(c) || !index.hasSingleConsumer(v) || !rw.free(p, i)) {
                    continue;
                }
                Node prod = nodes.get(p);
                Node fused = null;
                if (Ops.is(prod, "Conv")) {
                    fused = convBias(index, rw, prod, c, add.outputs().get(0));
                } else if (Ops.is(prod, "Gemm")) {
                    fused = gemmBias(index, prod, c, add.outputs().get(0));
                } else if (Ops.is(prod, "MatMul")) {
                    fused = new Node(prod.name(), "FusedMatMul", ActivationAttributes.DOMAIN,
                            List.of(prod.input(0), prod.input(1), c), List.of(add.outputs().get(0)),
                            prod.attributes());
                }
                if (fused != null) {
                    rw.fuse(fused, p, i);
                    break;
                }
            }
        }
        return rw.build();
    }

    private static Node convBias(GraphIndex index, Rewrite rw, Node conv, String c, String out) {
        String w = conv.input(1);
        String b = conv.input(2);
        if (!index.isConstant(w) || (!b.isEmpty() && !index.isFloatConstant(b))) {
            return null;
        }
        int[] ws = index.constantShape(w);
        int rank = ws.length;
        int m = ws[0];
        int[] cs = index.constantShape(c);
        if (cs.length > rank) {
            return null;
        }
        boolean perChannel = false;
        for (int t = 0; t < cs.length; t++) {
            int axis = rank - cs.length + t;
            if (axis == 1 && cs[t] == m) {
                perChannel = true;
            } else if (cs[t] != 1) {
                return null; // would broadcast along batch or space, or grow the output
            }
        }
        Tensor ct = index.constant(c);
        float[] bias = new float[m];
        for (int k = 0; k < m; k++) {
            bias[k] = ct.floats()[perChannel ? k : 0];
        }
        if (!b.isEmpty()) {
            float[] old = index.constant(b).floats();
            if (old.length != m) {
                return null;
            }
            for (int k = 0; k < m; k++) {
                bias[k] = old[k] + bias[k];
            }
        }
        String name = rw.addWeight((b.isEmpty() ? c : b) + "_folded", Tensor.of(bias, m));
        return new Node(conv.name(), conv.opType(), conv.domain(), List.of(conv.input(0), w, name), List.of(out),
                conv.attributes());
    }

    private static Node gemmBias(GraphIndex index, Node gemm, String c, String out) {
        if (!gemm.input(2).isEmpty() || !index.isConstant(gemm.input(1))) {
            return null;
        }
        int[] bs = index.constantShape(gemm.input(1));
        if (bs.length != 2) {
            return null;
        }
        int n = gemm.attributes().getInt("transB", 0) != 0 ? bs[0] : bs[1];
        int[] cs = index.constantShape(c);
        if (cs.length > 2 || (cs.length == 2 && cs[0] != 1)
                || (cs.length >= 1 && cs[cs.length - 1] != 1 && cs[cs.length - 1] != n)) {
            return null;
        }
        var attrs = Ops.with(gemm.attributes(), Set.of("beta"),
                List.of(new Attribute("beta", Attribute.Type.FLOAT, 1f)));
        return new Node(gemm.name(), gemm.opType(), gemm.domain(), List.of(gemm.input(0), gemm.input(1), c),
                List.of(out), attrs);
    }
}
