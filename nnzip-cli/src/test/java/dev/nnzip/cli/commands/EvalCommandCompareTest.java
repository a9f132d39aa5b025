package dev.nnzip.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code nnzip eval MODEL --compare-to REFERENCE}: broken, fixed and changed predictions on the same images. */
class EvalCommandCompareTest {
    @TempDir
    Path dir;

    private static JsonNode evalJson(String... args) throws Exception {
        PrintStream out = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            assertThat(new CommandLine(new EvalCommand()).execute(args)).isZero();
        } finally {
            System.setOut(out);
        }
        return new ObjectMapper().readTree(buffer.toString(StandardCharsets.UTF_8));
    }

    @Test
    void countsAgainstTheReferenceAndAddUpToTheAccuracies() throws Exception {
        Path lenet5 = CompressCommandSurveyTest.LENET5;
        Assumptions.assumeTrue(Files.isRegularFile(lenet5), "reference model " + lenet5);
        Path data = dev.nnzip.eval.FashionMnist.defaultDir();
        Assumptions.assumeTrue(dev.nnzip.eval.FashionMnist.isInstalled(data), "Fashion-MNIST in " + data);
        JsonNode self = evalJson(lenet5.toString(), "--limit", "300", "--threads", "1", "--json",
                "--compare-to", lenet5.toString());
        assertThat(self.get("total").asInt()).isEqualTo(300);
        assertThat(self.get("broken").asInt()).isZero();
        assertThat(self.get("fixed").asInt()).isZero();
        assertThat(self.get("changed").asInt()).isZero();
        assertThat(self.get("correct").asInt()).isEqualTo(self.get("referenceCorrect").asInt());

        // A coarsely compressed copy: its accuracy differs from the original's by exactly broken − fixed.
        Path nnz = dir.resolve("coarse.nnz");
        assertThat(new CommandLine(new CompressCommand()).execute(lenet5.toString(), "-o", nnz.toString(),
                "--error-bound", "1.5", "--threads", "1")).isZero();
        JsonNode c = evalJson(nnz.toString(), "--limit", "300", "--threads", "1", "--json",
                "--compare-to", lenet5.toString());
        int broken = c.get("broken").asInt();
        int fixed = c.get("fixed").asInt();
        assertThat(c.get("changed").asInt()).isPositive().isGreaterThanOrEqualTo(broken + fixed);
        assertThat(c.get("referenceCorrect").asInt() - c.get("correct").asInt()).isEqualTo(broken - fixed);
        assertThat(c.get("dropPoints").asDouble()).isCloseTo(100.0 * (broken - fixed) / 300,
                org.assertj.core.data.Offset.offset(1e-9));
    }
}
