package dev.nnzip.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnzip.Nnz;
import dev.nnzip.TestModels;
import dev.nnzip.graph.Graph;
import dev.nnzip.graph.Weight;
import dev.nnzip.runtime.weights.MemoryMode;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every memory mode computes bit-identical outputs; the layerwise modes keep decoded weights near one layer; a model
 * is safe to share across threads.
 */
class MemoryModesTest {
    @TempDir
    static Path dir;
    static Path model;
    static final int LAYERS = 6;
    static final int WIDTH = 64;

    /** An MLP of LAYERS MatMul+Add+Relu layers, WIDTH wide. */
    @BeforeAll
    static void buildModel() throws Exception {
        SplittableRandom rnd = new SplittableRandom(3);
        TestModels m = TestModels.create().input("x", DType.FLOAT, -1, WIDTH);
        String prev = "x";
        for (int l = 0; l < LAYERS; l++) {
            float[] w = new float[WIDTH * WIDTH];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) rnd.nextGaussian(0, 0.2);
            }
            float[] b = new float[WIDTH];
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) rnd.nextGaussian(0, 0.1);
            }
            m.weight("w" + l, Tensor.of(w, WIDTH, WIDTH)).weight("b" + l, Tensor.of(b, WIDTH))
                    .node("MatMul", "mm" + l, new String[] {prev, "w" + l}, new String[] {"h" + l})
                    .node("Add", "add" + l, new String[] {"h" + l, "b" + l}, new String[] {"a" + l})
                    .node("Relu", "relu" + l, new String[] {"a" + l}, new String[] {"r" + l});
            prev = "r" + l;
        }
        model = m.node("Identity", "out", new String[] {prev}, new String[] {"y"})
                .output("y", DType.FLOAT, -1, WIDTH).write(dir.resolve("mlp.onnx"));
    }

    static Map<String, Tensor> input(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[2 * WIDTH];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return Map.of("x", Tensor.of(x, 2, WIDTH));
    }

    static float[] run(Model m, SessionOptions options, Map<String, Tensor> in) {
        try (Session s = m.newSession(options)) {
            return s.run(in).get("y").floats();
        }
    }

    @Test
    void allModesAreBitIdentical() {
        Map<String, Tensor> in = input(11);
        float[] reference;
        try (Model m = Nnz.load(model)) {
            reference = run(m, new SessionOptions(1), in);
        }
        long total = (long) LAYERS * (WIDTH * WIDTH + WIDTH) * 4;
        List<MemoryMode> modes = List.of(MemoryMode.LAYERWISE, MemoryMode.PREFETCH, MemoryMode.budget(0),
                MemoryMode.budget(total / 4), MemoryMode.budget(total / 2), MemoryMode.budget(total));
        for (MemoryMode mode : modes) {
            try (Model m = Nnz.load(model, mode)) {
                for (int threads : new int[] {1, 2}) {
                    for (int rep = 0; rep < 2; rep++) { // the second run meets a warm cache in budget mode
                        assertThat(run(m, new SessionOptions(threads, mode), in)).as("%s, %d threads", mode, threads)
                                .containsExactly(reference);
                    }
                }
            }
        }
    }

    @Test
    void layerwiseModesHoldAboutOneLayer() {
        long layer = (long) WIDTH * WIDTH * 4;
        for (MemoryMode mode : List.of(MemoryMode.LAYERWISE, MemoryMode.PREFETCH, MemoryMode.budget(0))) {
            try (Model m = Nnz.load(model, mode)) {
                assertThat(m.residentWeightBytes()).as("nothing decoded at load in %s", mode).isZero();
                run(m, new SessionOptions(1, mode), input(1));
                assertThat(m.weightAccounting().peakBytes()).as("peak decoded weights in %s", mode)
                        .isPositive().isLessThanOrEqualTo(2 * m.largestWeightBytes() + 2L * WIDTH * 4)
                        .isLessThanOrEqualTo(2 * layer + 2L * WIDTH * 4);
                assertThat(m.residentWeightBytes()).as("all released after the run in %s", mode).isZero();
            }
        }
        try (Model m = Nnz.load(model, MemoryMode.EAGER)) {
            assertThat(m.residentWeightBytes()).isEqualTo(m.decodedWeightBytes());
        }
    }

    @Test
    void budgetCacheStaysUnderItsBudget() {
        long total = (long) LAYERS * (WIDTH * WIDTH + WIDTH) * 4;
        MemoryMode half = MemoryMode.budget(total / 2);
        try (Model m = Nnz.load(model, half)) {
            for (int i = 0; i < 3; i++) {
                run(m, new SessionOptions(1, half), input(i));
            }
            // cached weights stay under the budget; one more layer may be decoded transiently while it runs
            assertThat(m.residentWeightBytes()).isLessThanOrEqualTo(total / 2);
            assertThat(m.weightAccounting().peakBytes()).isLessThanOrEqualTo(total / 2 + m.largestWeightBytes());
        }
    }

    @Test
    void activationPeakIsCounted() {
        try (Model m = Nnz.load(model); Session s = m.newSession(new SessionOptions(1))) {
            s.run(input(5));
            // at most a producer's input and output are alive at once: 2 live [2, WIDTH] float tensors
            assertThat(s.peakActivationBytes()).isEqualTo(2L * 2 * WIDTH * 4);
        }
    }

    @Test
    void oneModelSharedByEightThreads() throws Exception {
        int threads = 8;
        int perThread = 1000;
        for (MemoryMode mode : List.of(MemoryMode.EAGER, MemoryMode.PREFETCH, MemoryMode.budget(64 * 1024))) {
            try (Model m = Nnz.load(model, mode)) {
                List<Map<String, Tensor>> inputs = new ArrayList<>();
                List<float[]> expected = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    inputs.add(input(100 + i));
                    expected.add(run(m, new SessionOptions(1, mode), inputs.get(i)));
                }
                for (int ok : ConcurrentRuns.matching(m, mode, threads, perThread, inputs, "y", expected,
                        java.util.Arrays::equals)) {
                    assertThat(ok).as("identical results in %s", mode).isEqualTo(perThread);
                }
                long bound = mode.kind() == MemoryMode.Kind.EAGER ? m.decodedWeightBytes()
                        : mode.kind() == MemoryMode.Kind.BUDGET ? 64 * 1024 : 0;
                assertThat(m.residentWeightBytes()).as("resident after all sessions closed in %s", mode)
                        .isLessThanOrEqualTo(bound);
            }
        }
    }

    /**
     * The engine's accounting is not the whole truth: a decoded weight must also become unreachable once released, or
     * the GC cannot take it back and a layerwise run holds the whole decoded model (a set of "external" arrays in the
     * session kept every layer until the run ended). Each weight here, when decoded, forces a GC and counts how many
     * weights decoded earlier in the run are still reachable; the MLP's weights are read one layer at a time.
     */
    @Test
    void releasedWeightsBecomeUnreachable() {
        for (MemoryMode mode : List.of(MemoryMode.LAYERWISE, MemoryMode.PREFETCH, MemoryMode.budget(0))) {
            try (Model loaded = Nnz.load(model)) {
                Graph g = loaded.graph();
                List<WeakReference<Object>> decoded = new ArrayList<>();
                int[] mostReachable = {0};
                Map<String, Weight> tracked = new LinkedHashMap<>();
                g.weights().forEach((name, w) -> tracked.put(name, new TrackedWeight(w, decoded, mostReachable)));
                Graph trackedGraph = new Graph(g.name(), g.nodes(), g.inputs(), g.outputs(), tracked, g.valueInfos(),
                        g.opsets());
                try (Model m = new Model("tracked", trackedGraph, mode, null);
                     Session s = m.newSession(new SessionOptions(1, mode))) {
                    s.run(input(9));
                }
                assertThat(decoded).as("weights decoded in %s", mode).hasSizeGreaterThanOrEqualTo(2 * LAYERS);
                // The running layer's weight and bias, and in prefetch the next layer's pair being decoded ahead.
                assertThat(mostReachable[0]).as("earlier decoded weights still reachable in %s", mode)
                        .isLessThanOrEqualTo(4);
            }
        }
    }

    /** Delegates decoding and, before each, counts how many arrays it decoded before are still reachable after a GC. */
    private record TrackedWeight(Weight inner, List<WeakReference<Object>> decoded, int[] mostReachable)
            implements Weight {
        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public DType dtype() {
            return inner.dtype();
        }

        @Override
        public int[] shape() {
            return inner.shape();
        }

        @Override
        public long storedBytes() {
            return inner.storedBytes();
        }

        @Override
        public Tensor decode() {
            System.gc();
            synchronized (decoded) {
                int reachable = (int) decoded.stream().filter(r -> r.get() != null).count();
                mostReachable[0] = Math.max(mostReachable[0], reachable);
                Tensor t = inner.decode();
                decoded.add(new WeakReference<>(t.data()));
                return t;
            }
        }
    }
}
