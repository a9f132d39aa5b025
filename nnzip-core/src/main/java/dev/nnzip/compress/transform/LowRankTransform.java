package dev.nnzip.compress.transform;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.nnzip.graph.Weight;
import dev.nnzip.onnx.OnnxTensors;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Low-rank factorisation (the survey's "low-rank decomposition"; Denton et al., NeurIPS 2014; Jaderberg et al., BMVC
 * 2014 for the 1×1 case): each weight matrix {@code W} of a Gemm, a MatMul or a 1×1 Conv is replaced by its truncated SVD
 * {@code W ≈ (U_r Σ_r)(V_rᵀ)}, the rank {@code r} the smallest that keeps {@code energy} of {@code Σσ²}, and the layer is
 * rewritten into two layers — only when the two factors hold fewer values than {@code W} ({@code r(m+n) < mn}).
 *
 * <ul>
 *   <li>{@code Gemm(A, B, C)} with {@code transA = 0}: {@code B ≈ L R} → {@code MatMul(A, L)} then
 *       {@code Gemm(·, R, C)} (transB = 0), or for {@code transB = 1} {@code MatMul(A, Rᵀ)} then
 *       {@code Gemm(·, L, C, transB=1)}; alpha, beta and the bias stay on the second layer.</li>
 *   <li>{@code MatMul(X, W)} with {@code W} a 2-D initializer: {@code MatMul(MatMul(X, L), R)}.</li>
 *   <li>{@code Conv} with a {@code [O, I, 1, 1]} filter and {@code group = 1}: a {@code [r, I, 1, 1]} Conv with the
 *       original strides, pads and dilations, then a {@code [O, r, 1, 1]} Conv with the bias.</li>
 * </ul>
 * A weight shared by several nodes is left alone. Without fine-tuning afterwards (which the papers rely on) the accuracy
 * cost of a given energy threshold can be large; the benchmarks show it.
 */
public final class LowRankTransform implements GraphTransform {
    public static final String NAME = "lowrank";
    private final double energy;

    public LowRankTransform(double energy) {
        if (!(energy > 0 && energy <= 1)) {
            throw new IllegalArgumentException("lowrank: energy must be in (0, 1], was " + energy);
        }
        this.energy = energy;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Result apply(ModelProto model, Map<String, Weight> weights) {
        GraphProto graph = model.getGraph();
        Map<String, Integer> uses = GraphEdits.useCounts(graph);
        List<NodeProto> nodes = new ArrayList<>();
        List<TensorProto> added = new ArrayList<>();
        Set<String> replaced = new HashSet<>();
        List<String> log = new ArrayList<>();
        for (NodeProto node : graph.getNodeList()) {
            List<NodeProto> rewritten = rewrite(node, weights, uses, added, replaced, log);
            nodes.addAll(rewritten == null ? List.of(node) : rewritten);
        }
        return new Result(GraphEdits.withNodes(model, nodes, added, replaced), log);
    }

    private List<NodeProto> rewrite(NodeProto node, Map<String, Weight> weights, Map<String, Integer> uses,
                                    List<TensorProto> added, Set<String> replaced, List<String> log) {
        String op = node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx") ? node.getOpType() : "";
        if (!(op.equals("Gemm") || op.equals("MatMul") || op.equals("Conv")) || node.getInputCount() < 2) {
            return null;
        }
        String wName = node.getInput(1);
        Weight w = weights.get(wName);
        if (w == null || w.dtype() != DType.FLOAT || uses.getOrDefault(wName, 0) != 1) {
            return null;
        }
        int[] shape = w.shape();
        boolean transB = false;
        switch (op) {
            case "Gemm" -> {
                if (GraphEdits.intAttr(node, "transA", 0) != 0 || shape.length != 2) {
                    return null;
                }
                transB = GraphEdits.intAttr(node, "transB", 0) != 0;
            }
            case "MatMul" -> {
                if (shape.length != 2) {
                    return null;
                }
            }
            default -> {
                if (shape.length != 4 || shape[2] != 1 || shape[3] != 1 || GraphEdits.intAttr(node, "group", 1) != 1) {
                    return null;
                }
            }
        }
        int m = shape[0];
        int n = shape[1];
        float[] values = w.decode().floats();
        double[] sigma = TruncatedSvd.singularValues(values, m, n);
        int r = Math.max(1, TruncatedSvd.rankFor(sigma, energy));
        if ((long) r * (m + n) >= (long) m * n) {
            log.add(String.format("%s %s %s: rank %d of %d at energy %s, not smaller: kept", op, node.getName(), wName,
                    r, Math.min(m, n), energy));
            return null;
        }
        TruncatedSvd.Factors f = TruncatedSvd.truncate(values, m, n, r);
        log.add(String.format("%s %s %s [%d x %d]: rank %d, %d -> %d values", op, node.getName(), wName, m, n, r,
                (long) m * n, (long) r * (m + n)));
        replaced.add(wName);
        String first = wName + "_lowrank_0";
        String second = wName + "_lowrank_1";
        String hidden = wName + "_lowrank_h";
        String base = node.getName().isEmpty() ? wName : node.getName();
        NodeProto.Builder a = NodeProto.newBuilder().setName(base + "_lowrank_0").addInput(node.getInput(0))
                .addInput(first).addOutput(hidden);
        NodeProto.Builder b = node.toBuilder().setName(base + "_lowrank_1").setInput(0, hidden).setInput(1, second);
        switch (op) {
            case "Gemm" -> {
                a.setOpType("MatMul");
                if (transB) { // B = [N, K] ≈ L R: A Bᵀ = (A Rᵀ) Lᵀ
                    added.add(tensor(first, transpose(f.right(), r, n), n, r));
                    added.add(tensor(second, f.left(), m, r));
                } else {      // B = [K, N] ≈ L R: A B = (A L) R
                    added.add(tensor(first, f.left(), m, r));
                    added.add(tensor(second, f.right(), r, n));
                }
            }
            case "MatMul" -> {
                a.setOpType("MatMul");
                added.add(tensor(first, f.left(), m, r));
                added.add(tensor(second, f.right(), r, n));
            }
            default -> { // Conv [O, I, 1, 1] ≈ L [O, r] · R [r, I]
                a.setOpType("Conv").addAllAttribute(node.getAttributeList().stream()
                        .filter(x -> !x.getName().equals("group")).toList());
                added.add(tensor(first, f.right(), r, n, 1, 1));
                added.add(tensor(second, f.left(), m, r, 1, 1));
                b.clearAttribute();
                for (AttributeProto x : node.getAttributeList()) {
                    if (x.getName().equals("kernel_shape")) {
                        b.addAttribute(x); // 1×1, stride 1, no padding: the first Conv did the spatial part
                    }
                }
            }
        }
        return List.of(a.build(), b.build());
    }

    private static float[] transpose(float[] x, int rows, int cols) {
        float[] t = new float[x.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = x[i * cols + j];
            }
        }
        return t;
    }

    private static TensorProto tensor(String name, float[] values, int... shape) {
        return OnnxTensors.toProto(name, Tensor.of(values, shape));
    }
}
