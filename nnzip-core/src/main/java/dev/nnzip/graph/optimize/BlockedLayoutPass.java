package dev.nnzip.graph.optimize;

import dev.nnzip.graph.Attribute;
import dev.nnzip.graph.Attributes;
import dev.nnzip.graph.Graph;
import dev.nnzip.graph.Node;
import dev.nnzip.graph.Subgraphs;
import dev.nnzip.ops.nn.ActivationAttributes;
import dev.nnzip.tensor.DType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs regions of convolutions in the channel-blocked layout {@code [N, ceil(C/B), H, W, B]}, as ONNX Runtime's NCHWc
 * transformer does (onnxruntime/core/optimizer/nchwc_transformer.cc): every convolution of a MobileNet was 2.4-2.9x
 * slower than ONNX Runtime's NCHWc kernel in NCHW, 1×1 and depthwise alike, because a 7 × 7 map is narrower than a
 * few vectors while B channels of a pixel fill one exactly (see {@code dev.nnzip.kernels.blocked}).
 *
 * <p>Eligible nodes, by operator and attributes only: a Conv/FusedConv with a constant float 4-D filter that is
 * pointwise (1×1, group 1, stride 1, no padding), depthwise (group = output channels, one input channel per group) or
 * dense (group 1, at least a block of input channels: a VGG's 3 × 3 layers), or a dense one with fewer input channels
 * than a block, which reads its input plain and so starts a region without a reorder (a network's stem, as ONNX
 * Runtime's NCHWc convolution with NCHW input);
 * an Add whose two inputs are blocked values of the same channel count (blocked tensors of equal channel count
 * broadcast exactly as the plain ones do); a GlobalAveragePool of a blocked value, which writes the plain result and so
 * ends the region without a reorder. Connected eligible nodes form a region; a region is rewritten only when it holds
 * at least {@value #MIN_CONVOLUTIONS} convolutions, so that the reorders at its edges are paid for. A value entering a
 * region is reordered once ({@code ReorderToBlocked}); a blocked value that anything outside the region reads (or a
 * graph output) is reordered back under its original name ({@code ReorderFromBlocked}). A pointwise convolution without
 * activation whose only reader is such an Add takes the Add's other input as its {@code Sum} (ONNX Runtime's Conv +
 * Sum fusion): the residual of an inverted residual block is then added in the convolution's epilogue.
 *
 * <p>{@code -Dnnzip.graph.blocked=false} turns the pass off.
 */
final class BlockedLayoutPass implements GraphPass {
    /** System property that disables the pass when set to {@code false}. */
    static final String PROPERTY = "nnzip.graph.blocked";
    static final int MIN_CONVOLUTIONS = 2;

    /** STEM: a dense convolution of fewer input channels than a block, reading its input plain. */
    private enum Kind { NONE, CONV, STEM, ADD, POOL }

    private final int block;

    BlockedLayoutPass(int block) {
        this.block = block;
    }

    @Override
    public String name() {
        return "run convolution regions in the channel-blocked (NCHWc) layout";
    }

    @Override
    public Graph apply(Graph graph) {
        if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true"))) {
            return graph;
        }
        GraphIndex index = new GraphIndex(graph);
        List<Node> nodes = graph.nodes();
        int count = nodes.size();
        Kind[] kind = new Kind[count];
        Arrays.fill(kind, Kind.NONE);
        Map<String, Integer> channels = new HashMap<>(); // value → channels, for outputs of eligible nodes
        Map<String, Integer> known = new HashMap<>(); // value → channels, for outputs of any 2-D convolution
        // value → the value it certainly has the shape of (through shape-preserving nodes), for the Sum fusion
        Map<String, String> sameShape = new HashMap<>();
        int[] parent = new int[count];
        for (int i = 0; i < count; i++) {
            parent[i] = i;
            Node n = nodes.get(i);
            if (n.outputs().size() != 1 || n.outputs().get(0).isEmpty()) {
                continue;
            }
            String out = n.outputs().get(0);
            int plainConv = plainConvChannels(index, n);
            if (plainConv > 0) {
                known.put(out, plainConv);
            }
            int[] conv = convChannels(index, n, block);
            if (conv != null) {
                kind[i] = Kind.CONV;
                channels.put(out, conv[1]);
                String source = sameShape.getOrDefault(n.input(0), n.input(0));
                sameShape.put(out, keepsShape(n, index.constantShape(n.input(1))) ? source : out);
                join(parent, i, index.producerOf(n.input(0)), channels.containsKey(n.input(0)));
            } else if (isStem(index, n, block) && !channels.containsKey(n.input(0))) {
                kind[i] = Kind.STEM;
                channels.put(out, index.constantShape(n.input(1))[0]);
                sameShape.put(out, out);
            } else if (Ops.is(n, "Add") && n.inputs().size() == 2 && addChannels(channels, known, n) > 0) {
                kind[i] = Kind.ADD;
                channels.put(out, addChannels(channels, known, n));
                String a = sameShape.getOrDefault(n.input(0), n.input(0));
                sameShape.put(out, a.equals(sameShape.getOrDefault(n.input(1), n.input(1))) ? a : out);
                join(parent, i, index.producerOf(n.input(0)), channels.containsKey(n.input(0)));
                join(parent, i, index.producerOf(n.input(1)), channels.containsKey(n.input(1)));
            } else if (Ops.is(n, "GlobalAveragePool") && channels.containsKey(n.input(0))) {
                kind[i] = Kind.POOL;
                join(parent, i, index.producerOf(n.input(0)), true);
            }
        }
        int[] convs = new int[count];
        for (int i = 0; i < count; i++) {
            if (kind[i] == Kind.CONV || kind[i] == Kind.STEM) {
                convs[root(parent, i)]++;
            }
        }
        boolean[] keep = new boolean[count];
        boolean any = false;
        for (int i = 0; i < count; i++) {
            keep[i] = kind[i] != Kind.NONE && convs[root(parent, i)] >= MIN_CONVOLUTIONS;
            any |= keep[i];
        }
        if (!any) {
            return graph;
        }
        Set<String> plainReads = plainReads(graph, kind, keep);
        Map<Integer, Integer> sums = sumFusions(index, nodes, kind, keep, plainReads, sameShape);
        Set<Integer> fusedConvs = new HashSet<>(sums.values());

        Rewrite rw = new Rewrite(index);
        Map<String, String> blocked = new HashMap<>(); // plain value → its blocked form
        Set<String> names = new HashSet<>();
        for (int i = 0; i < count; i++) {
            if (!keep[i]) {
                continue;
            }
            Node n = nodes.get(i);
            List<Node> out = new ArrayList<>();
            List<String> ins = new ArrayList<>(n.inputs());
            int dataInputs = dataInputs(kind[i]);
            for (int k = 0; k < dataInputs; k++) {
                String v = ins.get(k);
                String b = blocked.get(v);
                if (b == null) { // a plain value entering the region
                    b = fresh(index, v + "_blocked", names);
                    blocked.put(v, b);
                    out.add(new Node(v + "/ReorderToBlocked", "ReorderToBlocked", ActivationAttributes.DOMAIN,
                            List.of(v), List.of(b), new Attributes(List.of(intAttr("block", block)))));
                }
                ins.set(k, b);
            }
            String plainOut = n.outputs().get(0);
            String blockedOut = kind[i] == Kind.POOL ? plainOut : fresh(index, plainOut + "_blocked", names);
            if (kind[i] != Kind.POOL) { // the pool writes its plain output: a region reading it needs a reorder
                blocked.put(plainOut, blockedOut);
            }
            if (fusedConvs.contains(i)) {
                rw.expand(i, out); // the convolution moves to its Add's place
                continue;
            }
            Node converted = switch (kind[i]) {
                case CONV -> new Node(n.name(), "BlockedConv", ActivationAttributes.DOMAIN, ins,
                        List.of(blockedOut), n.attributes());
                case STEM -> new Node(n.name(), "BlockedConv", ActivationAttributes.DOMAIN, ins,
                        List.of(blockedOut), Ops.with(n.attributes(), Set.of("block"),
                                List.of(intAttr("block", block))));
                case POOL -> new Node(n.name(), "BlockedGlobalAveragePool", ActivationAttributes.DOMAIN, ins,
                        List.of(plainOut), new Attributes(List.of(intAttr("channels", channels.get(n.input(0))))));
                case ADD -> sums.containsKey(i) ? withSum(nodes.get(sums.get(i)), n, blocked, blockedOut)
                        : new Node(n.name(), "Add", "", ins, List.of(blockedOut), n.attributes());
                case NONE -> throw new IllegalStateException("unreachable");
            };
            out.add(converted);
            if (kind[i] != Kind.POOL && plainReads.contains(plainOut)) {
                out.add(new Node(plainOut + "/ReorderFromBlocked", "ReorderFromBlocked", ActivationAttributes.DOMAIN,
                        List.of(blockedOut), List.of(plainOut),
                        new Attributes(List.of(intAttr("channels", channels.get(plainOut))))));
            }
            rw.expand(i, out);
        }
        return rw.build();
    }

    /**
     * The channel count of an Add that can run blocked, or 0: at least one operand is a blocked candidate and the
     * other has the same known channel count (a blocked candidate, or the output of a plain 2-D convolution, which
     * then enters the region through a reorder).
     */
    private static int addChannels(Map<String, Integer> channels, Map<String, Integer> known, Node add) {
        Integer a = channels.containsKey(add.input(0)) ? channels.get(add.input(0)) : known.get(add.input(0));
        Integer b = channels.containsKey(add.input(1)) ? channels.get(add.input(1)) : known.get(add.input(1));
        boolean blockedOperand = channels.containsKey(add.input(0)) || channels.containsKey(add.input(1));
        return blockedOperand && a != null && a.equals(b) ? a : 0;
    }

    /** The output channels of any Conv/FusedConv with a constant 4-D filter, or 0. */
    private static int plainConvChannels(GraphIndex index, Node n) {
        if (!(Ops.is(n, "Conv") || Ops.isPrivate(n, "FusedConv")) || !index.isConstant(n.input(1))) {
            return 0;
        }
        int[] ws = index.constantShape(n.input(1));
        return ws.length == 4 ? ws[0] : 0;
    }

    /**
     * True when a blocked-eligible convolution's output has its input's shape apart from channels: pointwise, or
     * depthwise with stride 1 and padding that keeps the size ({@code (k − 1)·dilation} per axis, or SAME).
     */
    private static boolean keepsShape(Node n, int[] ws) {
        Attributes a = n.attributes();
        if (!all(a.getInts("strides", null), 1)) {
            return false;
        }
        String autoPad = a.getString("auto_pad", "NOTSET");
        if (autoPad.startsWith("SAME")) {
            return true;
        }
        if (autoPad.equals("VALID")) {
            return ws[2] == 1 && ws[3] == 1;
        }
        long[] pads = a.getInts("pads", new long[4]);
        long[] dil = a.getInts("dilations", new long[] {1, 1});
        if (pads.length != 4 || dil.length != 2) {
            return false;
        }
        for (int ax = 0; ax < 2; ax++) {
            if (pads[ax] + pads[ax + 2] != (ws[2 + ax] - 1) * dil[ax]) {
                return false;
            }
        }
        return true;
    }

    /** How many leading inputs of a kept node are read in blocked form. */
    private static int dataInputs(Kind kind) {
        return switch (kind) {
            case ADD -> 2;
            case CONV, POOL -> 1;
            case STEM, NONE -> 0;
        };
    }

    /**
     * A dense 2-D convolution (group 1, constant float filter) with fewer input channels than a block and more than
     * one tap: the stem of a CNN, run from its plain input into blocked output ({@code PlainInputConv}).
     */
    private static boolean isStem(GraphIndex index, Node n, int block) {
        if (!(Ops.is(n, "Conv") || Ops.isPrivate(n, "FusedConv")) || n.inputs().size() < 2
                || !index.isFloatConstant(n.input(1))
                || (!n.input(2).isEmpty() && !index.isFloatConstant(n.input(2)))) {
            return false;
        }
        int[] ws = index.constantShape(n.input(1));
        return ws.length == 4 && n.attributes().getInt("group", 1) == 1 && ws[1] < block && ws[2] * ws[3] > 1;
    }

    /**
     * {@code [C, M]} for a Conv/FusedConv this pass can run blocked, else null: a constant float filter
     * {@code [M, C/group, kh, kw]}, pointwise, depthwise or dense with at least {@code block} input channels.
     */
    private static int[] convChannels(GraphIndex index, Node n, int block) {
        if (!(Ops.is(n, "Conv") || Ops.isPrivate(n, "FusedConv")) || n.inputs().size() < 2) {
            return null;
        }
        String w = n.input(1);
        if (!index.isFloatConstant(w) || (!n.input(2).isEmpty() && !index.isFloatConstant(n.input(2)))) {
            return null;
        }
        int[] ws = index.constantShape(w);
        if (ws.length != 4) {
            return null;
        }
        long group = n.attributes().getInt("group", 1);
        boolean depthwise = group > 1 && group == ws[0] && ws[1] == 1;
        // Dense: group 1 with at least a block of input channels (fewer: a stem, which reads its input plain).
        boolean dense = group == 1 && ws[1] >= block;
        return isPointwise(n, ws) || depthwise || dense ? new int[] {(int) (ws[1] * group), ws[0]} : null;
    }

    /** A 1×1, stride-1, unpadded convolution of group 1 with filter shape {@code ws}. */
    private static boolean isPointwise(Node n, int[] ws) {
        Attributes a = n.attributes();
        return a.getInt("group", 1) == 1 && ws[2] == 1 && ws[3] == 1 && all(a.getInts("strides", null), 1)
                && all(a.getInts("pads", null), 0) && !a.getString("auto_pad", "NOTSET").startsWith("SAME");
    }

    /** True when {@code v} is absent or every entry is {@code value}. */
    private static boolean all(long[] v, long value) {
        return v == null || Arrays.stream(v).allMatch(x -> x == value);
    }

    /**
     * Values that something other than a kept node's data input reads (a node outside the region, a filter or bias
     * position, a subgraph, a graph output): those need their plain form.
     */
    private static Set<String> plainReads(Graph graph, Kind[] kind, boolean[] keep) {
        Set<String> plain = new HashSet<>();
        graph.outputs().forEach(v -> plain.add(v.name()));
        for (int i = 0; i < kind.length; i++) {
            Node n = graph.nodes().get(i);
            int dataInputs = keep[i] ? dataInputs(kind[i]) : 0;
            for (int k = dataInputs; k < n.inputs().size(); k++) {
                plain.add(n.input(k));
            }
            plain.addAll(Subgraphs.outerScopeReads(n));
        }
        return plain;
    }

    /**
     * Add node → the pointwise convolution fused into it as its Sum: a kept pointwise conv without activation whose
     * output only the Add reads, the Add's other operand certainly of the same shape (both derived from one value
     * through shape-preserving nodes), so the Add does not broadcast.
     */
    private static Map<Integer, Integer> sumFusions(GraphIndex index, List<Node> nodes, Kind[] kind, boolean[] keep,
                                                    Set<String> plainReads, Map<String, String> sameShape) {
        Map<Integer, Integer> sums = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (!keep[i] || kind[i] != Kind.ADD) {
                continue;
            }
            Node add = nodes.get(i);
            for (int k = 1; k >= 0; k--) { // prefer the later operand: usually the block's projection
                String v = add.input(k);
                int p = index.producerOf(v);
                if (p < 0 || !keep[p] || kind[p] != Kind.CONV || !index.hasSingleConsumer(v)
                        || plainReads.contains(v) || add.input(0).equals(add.input(1))) {
                    continue;
                }
                Node conv = nodes.get(p);
                String other = add.input(1 - k);
                if (!sameShape.getOrDefault(v, v).equals(sameShape.getOrDefault(other, other))) {
                    continue; // the Add may broadcast: a Sum must have the output's shape
                }
                boolean pointwise = isPointwise(conv, index.constantShape(conv.input(1)));
                if (pointwise && !conv.attributes().has(ActivationAttributes.ACTIVATION)) {
                    sums.put(i, p);
                    break;
                }
            }
        }
        return sums;
    }

    /** The BlockedConv computing {@code add}'s output from {@code conv}'s inputs plus the Add's other operand. */
    private static Node withSum(Node conv, Node add, Map<String, String> blocked, String out) {
        String convOut = conv.outputs().get(0);
        String other = add.input(0).equals(convOut) ? add.input(1) : add.input(0);
        List<String> ins = new ArrayList<>(List.of(blocked.get(conv.input(0)), conv.input(1), conv.input(2),
                blocked.get(other)));
        return new Node(conv.name(), "BlockedConv", ActivationAttributes.DOMAIN, ins, List.of(out),
                conv.attributes());
    }

    private static String fresh(GraphIndex index, String base, Set<String> taken) {
        String name = index.freshName(base, taken);
        taken.add(name);
        return name;
    }

    private static Attribute intAttr(String name, long value) {
        return new Attribute(name, Attribute.Type.INT, value);
    }

    private static void join(int[] parent, int a, int b, boolean connected) {
        if (connected && b >= 0) {
            parent[root(parent, a)] = root(parent, b);
        }
    }

    private static int root(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }
}
