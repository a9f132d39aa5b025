package dev.nnzip.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnzip.Nnz;
import dev.nnzip.TestModels;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A profiling session counts every node's runs and reports the totals per node and per operator type. */
class OpProfileTest {
    @TempDir
    Path dir;

    @Test
    void countsEveryNodeOncePerRunAndSumsByOpType() throws Exception {
        Path model = TestModels.create().input("x", DType.FLOAT, 2, 3)
                .weight("b", Tensor.of(new float[] {1, 2, 3}, 3))
                .node("Add", "add1", new String[] {"x", "b"}, new String[] {"a"})
                .node("Relu", "relu", new String[] {"a"}, new String[] {"r"})
                .node("Add", "add2", new String[] {"r", "b"}, new String[] {"y"})
                .output("y", DType.FLOAT, 2, 3).write(dir.resolve("m.onnx"));
        Map<String, Tensor> in = Map.of("x", Tensor.of(new float[] {-5, 0, 1, 2, -3, 4}, 2, 3));
        try (Model m = Nnz.load(model); Session s = m.newSession(new SessionOptions(1).withProfiling(true))) {
            OpProfile profile = s.profile().orElseThrow();
            s.run(in);
            profile.reset();
            for (int i = 0; i < 3; i++) {
                s.run(in);
            }
            List<OpProfile.NodeTime> nodes = profile.byNode();
            assertThat(nodes).extracting(OpProfile.NodeTime::node).containsExactlyInAnyOrder("add1", "relu", "add2");
            assertThat(nodes).allSatisfy(t -> {
                assertThat(t.calls()).isEqualTo(3);
                assertThat(t.nanos()).isPositive();
            });
            assertThat(nodes).isSortedAccordingTo((a, b) -> Long.compare(b.nanos(), a.nanos()));
            OpProfile.OpTypeTime add = profile.byOpType().stream().filter(t -> t.opType().equals("Add")).findFirst()
                    .orElseThrow();
            assertThat(add.nodes()).isEqualTo(2);
            assertThat(add.calls()).isEqualTo(6);
            assertThat(add.nanos()).isEqualTo(nodes.stream().filter(t -> t.opType().equals("Add"))
                    .mapToLong(OpProfile.NodeTime::nanos).sum());
        }
    }

    @Test
    void sessionsDoNotProfileUnlessAsked() throws Exception {
        Path model = TestModels.create().input("x", DType.FLOAT, 1)
                .node("Relu", "relu", new String[] {"x"}, new String[] {"y"})
                .output("y", DType.FLOAT, 1).write(dir.resolve("r.onnx"));
        try (Model m = Nnz.load(model); Session s = m.newSession(new SessionOptions(1))) {
            assertThat(s.profile()).isEmpty();
        }
    }
}
