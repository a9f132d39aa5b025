package dev.nnzip.runtime;

import dev.nnzip.graph.Node;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Wall time spent in each node's kernel over a session's runs, for finding where a model's latency goes (like ONNX
 * Runtime's {@code enable_profiling}). Enabled by {@link SessionOptions#withProfiling}; the clock reads cost ~50 ns per
 * node, so it is off by default. Times include the kernel's whole fork/join, not weight decoding.
 */
public final class OpProfile {
    /** One node's totals. */
    public record NodeTime(String node, String opType, long calls, long nanos) {
    }

    /** One operator type's totals over all its nodes. */
    public record OpTypeTime(String opType, int nodes, long calls, long nanos) {
    }

    private final List<Node> nodes;
    private final AtomicLongArray nanos;
    private final AtomicLongArray calls;

    OpProfile(List<Node> nodes) {
        this.nodes = List.copyOf(nodes);
        this.nanos = new AtomicLongArray(nodes.size());
        this.calls = new AtomicLongArray(nodes.size());
    }

    void record(int step, long elapsedNanos) {
        nanos.addAndGet(step, elapsedNanos);
        calls.incrementAndGet(step);
    }

    /** Every node that ran, slowest first. */
    public List<NodeTime> byNode() {
        List<NodeTime> rows = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (calls.get(i) > 0) {
                rows.add(new NodeTime(nodes.get(i).name(), nodes.get(i).opType(), calls.get(i), nanos.get(i)));
            }
        }
        rows.sort(Comparator.comparingLong(NodeTime::nanos).reversed());
        return rows;
    }

    /** Totals per operator type, slowest first. */
    public List<OpTypeTime> byOpType() {
        Map<String, long[]> sums = new LinkedHashMap<>(); // nodes, calls, nanos
        for (NodeTime t : byNode()) {
            long[] s = sums.computeIfAbsent(t.opType(), k -> new long[3]);
            s[0]++;
            s[1] += t.calls();
            s[2] += t.nanos();
        }
        List<OpTypeTime> rows = new ArrayList<>();
        sums.forEach((op, s) -> rows.add(new OpTypeTime(op, (int) s[0], s[1], s[2])));
        rows.sort(Comparator.comparingLong(OpTypeTime::nanos).reversed());
        return rows;
    }

    /** Forgets everything recorded so far (e.g. after warm-up). */
    public void reset() {
        for (int i = 0; i < nodes.size(); i++) {
            nanos.set(i, 0);
            calls.set(i, 0);
        }
    }
}
