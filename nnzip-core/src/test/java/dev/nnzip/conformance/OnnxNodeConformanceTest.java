package dev.nnzip.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnzip.ops.OpRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Runs every ONNX backend node test (Debian's libonnx-testdata) whose operator nnzip implements and prints a pass/fail
 * table per operator. At least 95 % must pass; every failure is listed with its reason.
 *
 * <p>{@code -Dnnzip.conformance.filter=conv} runs only the tests whose name contains "conv" (for working on one op).
 */
class OnnxNodeConformanceTest {
    static final double REQUIRED_PASS_RATE = 0.95;

    @Test
    void nodeTestsOfImplementedOperatorsPass() throws Exception {
        List<NodeTestCase> cases = NodeTestCase.all();
        assumeTrue(!cases.isEmpty(), "libonnx-testdata is not installed at " + NodeTestCase.ROOT);
        String filter = System.getProperty("nnzip.conformance.filter", "");
        OpRegistry registry = OpRegistry.standard();
        Map<String, int[]> perOp = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        int run = 0;
        int passed = 0;
        for (NodeTestCase c : cases) {
            if (!c.name().contains(filter)) {
                continue;
            }
            String op = c.opType();
            if (!registry.supports("", op)) {
                continue;
            }
            String reason = c.run();
            int[] counts = perOp.computeIfAbsent(op, k -> new int[2]);
            run++;
            if (reason == null) {
                passed++;
                counts[0]++;
            } else {
                counts[1]++;
                failures.add(c.name() + " [" + op + "]: " + reason);
            }
        }
        StringBuilder table = new StringBuilder("\nONNX node conformance (libonnx-testdata), implemented operators\n");
        table.append(String.format("%-28s %6s %6s%n", "operator", "pass", "fail"));
        perOp.forEach((op, c) -> table.append(String.format("%-28s %6d %6d%n", op, c[0], c[1])));
        table.append(String.format("%-28s %6d %6d   (%.1f %% pass, %d operators)%n", "TOTAL", passed, run - passed,
                run == 0 ? 0 : 100.0 * passed / run, perOp.size()));
        if (!failures.isEmpty()) {
            table.append("Failures:\n");
            failures.forEach(f -> table.append("  ").append(f).append('\n'));
        }
        System.out.println(table);
        assertThat(run).as("node tests run").isPositive();
        assertThat((double) passed / run).as("pass rate; failures:%n%s", String.join("\n", failures))
                .isGreaterThanOrEqualTo(filter.isEmpty() ? REQUIRED_PASS_RATE : 0);
    }
}
