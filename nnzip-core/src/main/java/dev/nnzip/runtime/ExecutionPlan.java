package dev.nnzip.runtime;

import dev.nnzip.ModelFormatException;
import dev.nnzip.graph.Graph;
import dev.nnzip.graph.Node;
import dev.nnzip.graph.Subgraphs;
import dev.nnzip.graph.ValueInfo;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.ops.OpRegistry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A graph compiled for execution: nodes in topological order with their kernels, every value given an integer slot, and
 * for each step the slots whose last consumer it is (so activations are dropped as soon as nothing needs them).
 *
 * <p>Built once per model and shared by all sessions; it holds no tensors.
 */
public final class ExecutionPlan {
    /**
     * One node to run: its kernel, input/output slots (-1 = absent optional), the activation slots to free after it, the
     * weights (by weight index) it reads, and the weights whose last reader it is. {@code rowGatherWeight} is the
     * weight index of the table when the step is a Gather on axis 0 of a weight (the runtime may then decode only the
     * requested rows), else -1.
     */
    public record Step(Node node, OpKernel kernel, int[] inputs, int[] outputs, int[] freeAfter, int[] weights,
                       int[] weightReleases, int rowGatherWeight) {
        /**
         * Bit i: input i is an activation whose last reader is this step and which the step reads only once (its
         * buffer may take the output, if no view still shares it at run time). Inputs past the 64th are never marked.
         */
        public long dyingInputs() {
            long dying = 0;
            for (int i = 0; i < Math.min(inputs.length, Long.SIZE); i++) {
                int slot = inputs[i];
                if (slot >= 0 && Arrays.stream(freeAfter).anyMatch(f -> f == slot)
                        && Arrays.stream(inputs).filter(x -> x == slot).count() == 1) {
                    dying |= 1L << i;
                }
            }
            return dying;
        }
    }

    private final Graph graph;
    private final List<Step> steps;
    private final Map<String, Integer> slots;
    private final int[] weightSlots;
    private final String[] weightNames;
    private final Map<String, Integer> inputSlots;
    private final int[] outputSlots;

    private ExecutionPlan(Graph graph, List<Step> steps, Map<String, Integer> slots, String[] weightNames,
                          int[] weightSlots, Map<String, Integer> inputSlots, int[] outputSlots) {
        this.graph = graph;
        this.steps = steps;
        this.slots = slots;
        this.weightNames = weightNames;
        this.weightSlots = weightSlots;
        this.inputSlots = inputSlots;
        this.outputSlots = outputSlots;
    }

    public static ExecutionPlan compile(Graph graph, OpRegistry registry) {
        Map<String, Integer> slots = new LinkedHashMap<>();
        Map<String, Integer> inputSlots = new LinkedHashMap<>();
        for (ValueInfo in : graph.inputs()) {
            inputSlots.put(in.name(), slots.computeIfAbsent(in.name(), k -> slots.size()));
        }
        String[] weightNames = graph.weights().keySet().toArray(String[]::new);
        int[] weightSlots = new int[weightNames.length];
        for (int i = 0; i < weightNames.length; i++) {
            weightSlots[i] = slots.computeIfAbsent(weightNames[i], k -> slots.size());
        }
        List<Node> order = topologicalOrder(graph, slots.keySet());
        int opset = graph.onnxOpset();
        List<Node> kept = new ArrayList<>(order.size());
        List<OpKernel> kernels = new ArrayList<>(order.size());
        for (Node n : order) {
            int nodeOpset = n.domain().isEmpty() ? opset : graph.opsets().getOrDefault(n.domain(), 1);
            kernels.add(registry.create(n, nodeOpset));
            kept.add(n);
            for (String o : n.outputs()) {
                if (!o.isEmpty()) {
                    slots.computeIfAbsent(o, k -> slots.size());
                }
            }
        }
        int[] outputSlots = new int[graph.outputs().size()];
        for (int i = 0; i < outputSlots.length; i++) {
            String name = graph.outputs().get(i).name();
            Integer s = slots.get(name);
            if (s == null) {
                throw new ModelFormatException("graph output '" + name + "' is produced by no node, weight or input");
            }
            outputSlots[i] = s;
        }
        // Liveness: the last step that reads each slot frees it, unless it is a graph output or a weight/input.
        Set<Integer> pinned = new HashSet<>();
        for (int s : outputSlots) {
            pinned.add(s);
        }
        Map<Integer, Integer> lastUse = new HashMap<>();
        int[][] ins = new int[kept.size()][];
        int[][] outs = new int[kept.size()][];
        for (int i = 0; i < kept.size(); i++) {
            Node n = kept.get(i);
            ins[i] = n.inputs().stream().mapToInt(name -> name.isEmpty() ? -1 : slots.get(name)).toArray();
            outs[i] = n.outputs().stream().mapToInt(name -> name.isEmpty() ? -1 : slots.get(name)).toArray();
            for (int s : ins[i]) {
                if (s >= 0) {
                    lastUse.put(s, i);
                }
            }
            for (int s : outs[i]) {
                if (s >= 0) {
                    lastUse.putIfAbsent(s, i); // an output nobody reads dies right after its producer
                }
            }
        }
        Set<Integer> persistent = new HashSet<>(inputSlots.values());
        for (int s : weightSlots) {
            persistent.add(s);
        }
        List<List<Integer>> frees = new ArrayList<>();
        for (int i = 0; i < kept.size(); i++) {
            frees.add(new ArrayList<>());
        }
        lastUse.forEach((slot, step) -> {
            if (!pinned.contains(slot) && !persistent.contains(slot)) {
                frees.get(step).add(slot);
            }
        });
        Map<Integer, Integer> weightOfSlot = new HashMap<>();
        for (int w = 0; w < weightSlots.length; w++) {
            weightOfSlot.put(weightSlots[w], w);
        }
        Map<Integer, Integer> lastWeightUse = new HashMap<>();
        List<int[]> stepWeights = new ArrayList<>();
        for (int i = 0; i < kept.size(); i++) {
            int[] used = Arrays.stream(ins[i]).filter(weightOfSlot::containsKey).map(weightOfSlot::get).distinct()
                    .toArray();
            stepWeights.add(used);
            for (int w : used) {
                lastWeightUse.put(w, i);
            }
        }
        for (int s : outputSlots) { // a weight that is also a graph output is read at the very end
            if (weightOfSlot.containsKey(s)) {
                lastWeightUse.put(weightOfSlot.get(s), kept.size());
            }
        }
        List<Step> steps = new ArrayList<>(kept.size());
        for (int i = 0; i < kept.size(); i++) {
            int step = i;
            int[] releases = lastWeightUse.entrySet().stream().filter(e -> e.getValue() == step)
                    .mapToInt(Map.Entry::getKey).sorted().toArray();
            steps.add(new Step(kept.get(i), kernels.get(i), ins[i], outs[i],
                    frees.get(i).stream().mapToInt(Integer::intValue).toArray(), stepWeights.get(i), releases,
                    rowGatherWeight(graph, kept.get(i), ins[i], weightOfSlot)));
        }
        return new ExecutionPlan(graph, List.copyOf(steps), Map.copyOf(slots), weightNames, weightSlots,
                inputSlots, outputSlots);
    }

    /**
     * The weight index of a Gather's table when the node gathers along axis 0 of a weight (rank >= 1) with activation
     * indices; -1 otherwise. Such a Gather reads only the indexed rows, which a compressed table can decode alone.
     */
    private static int rowGatherWeight(Graph graph, Node n, int[] ins, Map<Integer, Integer> weightOfSlot) {
        if (!n.opType().equals("Gather") || !n.domain().isEmpty() || ins.length < 2 || ins[0] < 0
                || !weightOfSlot.containsKey(ins[0]) || weightOfSlot.containsKey(ins[1])) {
            return -1;
        }
        int rank = graph.weights().get(n.inputs().get(0)).shape().length;
        long axis = n.attributes().getInt("axis", 0);
        return rank >= 1 && (axis == 0 || axis == -rank) ? weightOfSlot.get(ins[0]) : -1;
    }

    /** Kahn's algorithm; nodes keep their file order among equals. Fails naming a value that nothing produces. */
    private static List<Node> topologicalOrder(Graph graph, Set<String> available) {
        Map<String, Integer> producer = new HashMap<>();
        List<Node> nodes = graph.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            for (String o : nodes.get(i).outputs()) {
                if (!o.isEmpty()) {
                    producer.put(o, i);
                }
            }
        }
        int[] pending = new int[nodes.size()];
        List<List<Integer>> consumers = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            consumers.add(new ArrayList<>());
        }
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            Set<String> needed = new HashSet<>(n.inputs());
            needed.addAll(Subgraphs.outerScopeReads(n)); // subgraphs' outer-scope reads run first
            for (String in : needed) {
                if (in.isEmpty() || available.contains(in)) {
                    continue;
                }
                Integer p = producer.get(in);
                if (p == null) {
                    throw new ModelFormatException("node " + n.describe() + " reads '" + in
                            + "', which no node, weight or graph input provides");
                }
                pending[i]++;
                consumers.get(p).add(i);
            }
        }
        Deque<Integer> ready = new ArrayDeque<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (pending[i] == 0) {
                ready.add(i);
            }
        }
        List<Node> order = new ArrayList<>(nodes.size());
        while (!ready.isEmpty()) {
            int i = ready.poll();
            order.add(nodes.get(i));
            for (int c : consumers.get(i)) {
                if (--pending[c] == 0) {
                    ready.add(c);
                }
            }
        }
        if (order.size() != nodes.size()) {
            List<String> stuck = new ArrayList<>();
            for (int i = 0; i < nodes.size() && stuck.size() < 5; i++) {
                if (pending[i] > 0) {
                    stuck.add(nodes.get(i).describe());
                }
            }
            throw new ModelFormatException("the graph has a cycle; nodes that can never run include " + stuck);
        }
        return order;
    }

    public Graph graph() {
        return graph;
    }

    public List<Step> steps() {
        return steps;
    }

    public int slotCount() {
        return slots.size();
    }

    public Map<String, Integer> inputSlots() {
        return inputSlots;
    }

    public int[] outputSlots() {
        return outputSlots.clone();
    }

    /** Weight names by weight index (the index stores and steps use). */
    public String[] weightNames() {
        return weightNames.clone();
    }

    int[] weightSlots() {
        return weightSlots;
    }

    @Override
    public String toString() {
        return "ExecutionPlan[" + steps.size() + " steps, " + slots.size() + " values, outputs "
                + Arrays.toString(outputSlots) + "]";
    }
}
