package dev.nnzip.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnzip.compress.CompressionPolicy;
import dev.nnzip.compress.ModelCompressor;
import dev.nnzip.format.NnzFile;
import dev.nnzip.kernels.Parallel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code nnzip compress} with the survey codecs' settings, chains and graph transforms. */
class CompressCommandSurveyTest {
    static final Path LENET5 = Path.of(System.getProperty("nnzip.models.dir", "../models")).resolve("lenet5.onnx");

    @TempDir
    Path dir;

    private static int run(StringWriter err, String... args) {
        CommandLine cli = new CommandLine(new CompressCommand());
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void tensorOverridesTellABoundFromACodecSetting() {
        assertThat(CompressCommand.splitBound("int4:block=64")).containsExactly("int4:block=64");
        assertThat(CompressCommand.splitBound("uniform:0.001")).containsExactly("uniform", "0.001");
        assertThat(CompressCommand.splitBound("int4:block=64:0.5")).containsExactly("int4:block=64", "0.5");
        assertThat(CompressCommand.splitBound("lossless")).containsExactly("lossless");
    }

    @Test
    void codecSettingsAndChainsReachTheFile() throws Exception {
        Path out = dir.resolve("a.nnz");
        assertThat(run(new StringWriter(), LENET5.toString(), "-o", out.toString(), "--codec",
                "prune:sparsity=0.5+int8", "--tensor", ".*classifier.*weight=int4:block=64", "--json")).isZero();
        try (NnzFile f = NnzFile.open(out)) {
            assertThat(f.tensors().values()).anySatisfy(t -> assertThat(t.codec()).isEqualTo("prune"));
            assertThat(f.tensors().values()).anySatisfy(t -> assertThat(t.codec()).isEqualTo("int4"));
        }
    }

    @Test
    void transformRunsBeforeTheCodecs() throws Exception {
        Path out = dir.resolve("t.nnz");
        assertThat(run(new StringWriter(), LENET5.toString(), "-o", out.toString(), "--transform",
                "filters:sparsity=0.5", "--codec", "lossless", "--json")).isZero();
        try (NnzFile f = NnzFile.open(out)) {
            assertThat(f.tensors().values()).anySatisfy(t -> assertThat(t.shape()).containsExactly(3, 1, 5, 5));
        }
        assertThat(dir.toFile().list()).containsExactly("t.nnz"); // the transformed intermediate is gone
    }

    @Test
    void frequencyTextMustExistAndHoldSentences() throws Exception {
        Path missing = dir.resolve("missing.txt");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CompressCommand.frequencyLines(missing))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing.txt")
                .hasMessageContaining("no such file");
        Path empty = Files.writeString(dir.resolve("empty.txt"), "");
        Path blank = Files.writeString(dir.resolve("blank.txt"), "\n  \n");
        for (Path p : new Path[] {empty, blank}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> CompressCommand.frequencyLines(p))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(p.getFileName().toString())
                    .hasMessageContaining("no sentences");
        }
        Path two = Files.writeString(dir.resolve("two.txt"), "One sentence here.\nAnother one.\n");
        assertThat(CompressCommand.frequencyLines(two)).containsExactly("One sentence here.", "Another one.");
    }

    @Test
    void frequencyTextIsRefusedWhereNothingWouldCountIt() throws Exception {
        Path text = Files.writeString(dir.resolve("f.txt"), "A sentence of calibration text.\n");
        Path tokenizer = dir.resolve("tokenizer.json"); // never read: the command fails before loading it
        String[] common = {LENET5.toString(), "-o", dir.resolve("x.nnz").toString(), "--codec", "lossless",
                "--tokenizer", tokenizer.toString(), "--text", text.toString(), "--frequency-text", text.toString()};
        StringWriter noTransform = new StringWriter();
        assertThat(run(noTransform, common)).isNotZero();
        assertThat(noTransform.toString()).contains("--frequency-text").contains("actscale:tables=true");
        StringWriter noTables = new StringWriter();
        String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(common),
                java.util.stream.Stream.of("--transform", "actscale:alpha=0.5")).toArray(String[]::new);
        assertThat(run(noTables, args)).isNotZero();
        assertThat(noTables.toString()).contains("actscale:tables=true").contains("actscale:alpha=0.5");
        assertThat(dir.resolve("x.nnz")).doesNotExist();
    }

    @Test
    void activationScalingMeasuresOnTrainingImagesAndKeepsTheFunction() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                dev.nnzip.eval.FashionMnist.isInstalled(dev.nnzip.eval.FashionMnist.defaultDir()),
                "Fashion-MNIST not installed");
        Path lenet300 = LENET5.resolveSibling("lenet300.onnx");
        Path out = dir.resolve("s.nnz");
        StringWriter err = new StringWriter();
        assertThat(run(err, lenet300.toString(), "-o", out.toString(), "--transform", "actscale",
                "--sensitivity-images", "200", "--codec", "lossless", "--json")).as(err.toString()).isZero();
        try (NnzFile f = NnzFile.open(out)) {
            assertThat(f.tensors().keySet()).anyMatch(n -> n.endsWith("_actscale_inv"));
        }
        // Lossless codecs on the rewritten graph: the same logits as the original, up to float rounding.
        var images = dev.nnzip.eval.FashionMnist.atDefaultLocation().test().images(0, 16);
        try (var a = dev.nnzip.Nnz.load(lenet300); var b = dev.nnzip.Nnz.load(out);
             var sa = a.newSession(new dev.nnzip.runtime.SessionOptions(1));
             var sb = b.newSession(new dev.nnzip.runtime.SessionOptions(1))) {
            String in = a.inputs().getFirst().name();
            float[] want = sa.run(java.util.Map.of(in, images)).values().iterator().next().floats();
            float[] got = sb.run(java.util.Map.of(in, images)).values().iterator().next().floats();
            for (int i = 0; i < want.length; i++) {
                assertThat((double) got[i]).isCloseTo(want[i], org.assertj.core.data.Offset.offset(
                        1e-4 * (1 + Math.abs(want[i]))));
            }
        }
        assertThat(dir.toFile().list()).containsExactly("s.nnz");
    }

    @Test
    void measuredAllocationRespreadsTheBoundsAndIsRefusedWithABudgetOrAnUnknownName() throws Exception {
        StringWriter err = new StringWriter();
        Path out = dir.resolve("m.nnz");
        assertThat(run(err, LENET5.toString(), "-o", out.toString(), "--allocation", "evenly")).isNotZero();
        assertThat(err.toString()).contains("uniform, size, share, measured, was 'evenly'");
        err = new StringWriter();
        assertThat(run(err, LENET5.toString(), "-o", out.toString(), "--allocation", "measured",
                "--max-accuracy-drop", "0.1")).isNotZero();
        assertThat(err.toString()).contains("--allocation measured").contains("give one");
        err = new StringWriter();
        assertThat(run(err, LENET5.toString(), "-o", out.toString(), "--calibrated-rounding", "0")).isNotZero();
        assertThat(err.toString()).contains("--calibrated-rounding must be 1 (off) to 64 offsets per layer, was 0");
        assertThat(out).doesNotExist();

        org.junit.jupiter.api.Assumptions.assumeTrue(
                dev.nnzip.eval.FashionMnist.isInstalled(dev.nnzip.eval.FashionMnist.defaultDir()),
                "Fashion-MNIST not installed");
        err = new StringWriter();
        assertThat(run(err, LENET5.toString(), "-o", out.toString(), "--allocation", "measured",
                "--sensitivity-images", "200", "--json")).as(err.toString()).isZero();
        Path plain = dir.resolve("p.nnz");
        assertThat(run(new StringWriter(), LENET5.toString(), "-o", plain.toString(), "--json")).isZero();
        Path rounded = dir.resolve("r.nnz");
        err = new StringWriter();
        assertThat(run(err, LENET5.toString(), "-o", rounded.toString(), "--calibrated-rounding", "2",
                "--sensitivity-images", "200", "--json")).as(err.toString()).isZero();
        try (NnzFile r = NnzFile.open(rounded); NnzFile p = NnzFile.open(plain)) {
            // The same bounds as the plain policy gives, and every value within its bound.
            String fc = "net.classifier.1.weight";
            assertThat(r.tensors().get(fc).errorBound()).isEqualTo(p.tensors().get(fc).errorBound());
            assertThat(r.tensors().keySet()).allSatisfy(name -> assertThat(r.tensors().get(name).maxError())
                    .isLessThanOrEqualTo(r.tensors().get(name).errorBound()));
        }
        try (NnzFile m = NnzFile.open(out); NnzFile p = NnzFile.open(plain)) {
            // The lossy layer weights got bounds of their own; the file stays about as large.
            String conv = "net.features.3.weight";
            assertThat(m.tensors().get(conv).errorBound()).isNotEqualTo(p.tensors().get(conv).errorBound());
            assertThat((double) Files.size(out) / Files.size(plain)).isBetween(0.9, 1.1);
        }
    }

    @Test
    void aCosineBudgetNeedsItsTokenizerAndTextAndOneBudgetOnly() {
        StringWriter err = new StringWriter();
        Path out = dir.resolve("c.nnz");
        assertThat(run(err, LENET5.toString(), "-o", out.toString(), "--min-mean-cosine", "0.995")).isNotZero();
        assertThat(err.toString()).contains("--min-mean-cosine needs --tokenizer tokenizer.json and --text FILE");
        err = new StringWriter();
        assertThat(run(err, LENET5.toString(), "-o", out.toString(), "--min-mean-cosine", "0.995",
                "--max-accuracy-drop", "0.1")).isNotZero();
        assertThat(err.toString()).contains("give one budget");
        err = new StringWriter();
        assertThat(run(err, LENET5.toString(), "-o", out.toString(), "--transform", "actscale", "--text",
                "sentences.txt")).isNotZero();
        assertThat(err.toString()).contains("--text needs --tokenizer");
        assertThat(dir.toFile().list()).isEmpty();
    }

    @Test
    void unknownSettingsListTheValidKeys() {
        StringWriter err = new StringWriter();
        assertThat(run(err, LENET5.toString(), "-o", dir.resolve("x.nnz").toString(), "--codec", "kmeans:k=16"))
                .isNotZero();
        assertThat(err.toString()).contains("unknown setting 'k' for codec 'kmeans'; valid: bits");
    }

    @Test
    void biasCorrectionModesAreCheckedAndDataFreeCorrectionLeavesAModelWithoutBatchNormAlone() throws Exception {
        StringWriter err = new StringWriter();
        assertThat(run(err, LENET5.toString(), "-o", dir.resolve("x.nnz").toString(), "--bias-correction", "mean"))
                .isNotZero();
        assertThat(err.toString()).contains("bias correction must be one of none, bn, data, sequential");
        Path none = dir.resolve("none.nnz");
        Path bn = dir.resolve("bn.nnz");
        assertThat(run(new StringWriter(), LENET5.toString(), "-o", none.toString(), "--json")).isZero();
        assertThat(run(new StringWriter(), LENET5.toString(), "-o", bn.toString(), "--bias-correction", "bn",
                "--json")).isZero();
        assertThat(Files.readAllBytes(bn)).isEqualTo(Files.readAllBytes(none)); // no BatchNormalization to trace
    }

    /** The CLI without options and the API's CompressionPolicy.defaults() write the same bytes. */
    @Test
    void commandLineDefaultsAreThePolicyDefaults() throws Exception {
        Path cli = dir.resolve("cli.nnz");
        Path api = dir.resolve("api.nnz");
        assertThat(run(new StringWriter(), LENET5.toString(), "-o", cli.toString(), "--json")).isZero();
        try (Parallel p = new Parallel(2)) {
            ModelCompressor.compress(LENET5, api, CompressionPolicy.defaults(), p, ModelCompressor.Progress.NONE);
        }
        assertThat(Files.readAllBytes(cli)).isEqualTo(Files.readAllBytes(api));
    }
}
