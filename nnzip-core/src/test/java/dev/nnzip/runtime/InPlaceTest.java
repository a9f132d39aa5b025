package dev.nnzip.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnzip.Nnz;
import dev.nnzip.TestModels;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Element-wise nodes write over an input that dies with them, and never over a caller's input, a weight, a value a
 * view still shares, or an operand that a node reads twice.
 */
class InPlaceTest {
    @TempDir
    Path dir;

    /**
     * y1 = Relu(x) [x is the caller's]; a = y1 + w [y1 dies: in place]; r = Reshape(a) shares a's array; s = Sigmoid(a)
     * is a's last reader but r is live; m = s * s reads one array twice; y = r + m. Also planned in
     * {@code PlannedActivationsTest}.
     */
    static Path model(Path file) throws Exception {
        return TestModels.create().input("x", DType.FLOAT, 2, 3)
                .weight("w", Tensor.of(new float[] {1, 2, 3}, 3))
                .weight("shape", Tensor.of(new long[] {3, 2}, 2))
                .weight("back", Tensor.of(new long[] {2, 3}, 2))
                .node("Relu", "relu", new String[] {"x"}, new String[] {"y1"})
                .node("Add", "add", new String[] {"y1", "w"}, new String[] {"a"})
                .node("Reshape", "view", new String[] {"a", "shape"}, new String[] {"r0"})
                .node("Sigmoid", "sig", new String[] {"a"}, new String[] {"s"})
                .node("Mul", "square", new String[] {"s", "s"}, new String[] {"m"})
                .node("Reshape", "unview", new String[] {"r0", "back"}, new String[] {"r"})
                .node("Add", "sum", new String[] {"r", "m"}, new String[] {"y"})
                .output("y", DType.FLOAT, 2, 3).write(file);
    }

    @Test
    void resultsAreExactAndNothingStillReadIsOverwritten() throws Exception {
        Path model = model(dir.resolve("m.onnx"));
        float[] x = {-1, 0.5f, 2, -3, 4, 0};
        float[] xCopy = x.clone();
        try (Model m = Nnz.load(model)) {
            for (int threads : new int[] {1, 2}) {
                try (Session s = m.newSession(new SessionOptions(threads))) {
                    for (int run = 0; run < 3; run++) {
                        float[] y = s.run(Map.of("x", Tensor.of(x, 2, 3))).get("y").floats();
                        for (int i = 0; i < x.length; i++) {
                            float a = Math.max(0, xCopy[i]) + (i % 3 + 1);
                            float sig = (float) (1 / (1 + Math.exp(-a)));
                            assertThat(y[i]).as("y[%d], %d threads, run %d", i, threads, run)
                                    .isCloseTo(a + sig * sig, org.assertj.core.data.Offset.offset(1e-6f));
                        }
                        assertThat(x).as("the caller's input").containsExactly(xCopy);
                    }
                }
            }
            // The weight is intact after the runs: a fresh session gives the same result.
            try (Session s = m.newSession(new SessionOptions(1))) {
                float[] y = s.run(Map.of("x", Tensor.of(new float[6], 2, 3))).get("y").floats();
                assertThat(y[2]).isCloseTo(3 + (float) Math.pow(1 / (1 + Math.exp(-3)), 2),
                        org.assertj.core.data.Offset.offset(1e-6f));
            }
        }
    }

    @Test
    void aChainOfElementwiseNodesKeepsOneActivationBuffer() throws Exception {
        TestModels t = TestModels.create().input("x", DType.FLOAT, 1000);
        String prev = "x";
        t.node("Neg", "n0", new String[] {prev}, new String[] {"v0"}); // the caller's x is copied once here
        prev = "v0";
        for (int i = 1; i <= 5; i++) {
            t.node(i % 2 == 0 ? "Relu" : "Neg", "n" + i, new String[] {prev}, new String[] {"v" + i});
            prev = "v" + i;
        }
        Path model = t.node("Identity", "out", new String[] {prev}, new String[] {"y"})
                .output("y", DType.FLOAT, 1000).write(dir.resolve("chain.onnx"));
        try (Model m = Nnz.load(model); Session s = m.newSession(new SessionOptions(1))) {
            float[] x = new float[1000];
            for (int i = 0; i < x.length; i++) {
                x[i] = i - 500;
            }
            float[] y = s.run(Map.of("x", Tensor.of(x, 1000))).get("y").floats();
            // Neg, Neg, Relu, Neg, Relu, Neg: -relu(-relu(x))... computed by hand per element.
            for (int i = 0; i < x.length; i++) {
                float v = -x[i];
                v = -v;
                v = Math.max(0, v);
                v = -v;
                v = Math.max(0, v);
                v = -v;
                assertThat(y[i]).isEqualTo(v);
            }
            assertThat(s.peakActivationBytes()).as("one 1000-float buffer reused by every node").isEqualTo(4000);
        }
    }
}
