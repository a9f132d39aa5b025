package dev.nnzip.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnzip.Nnz;
import dev.nnzip.eval.Accuracy;
import dev.nnzip.eval.ClassifierEvaluator;
import dev.nnzip.eval.FashionMnist;
import dev.nnzip.eval.LabeledImages;
import dev.nnzip.eval.ModelClassifier;
import dev.nnzip.runtime.Model;
import dev.nnzip.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * nnzip against ONNX Runtime on every reference model in {@code models/} (made by tools/train/train_fashion_mnist.py):
 * the same logits on real Fashion-MNIST test images, and the same top-1 accuracy over all 10,000 of them.
 *
 * <p>The models directory is {@code ../models} from the module directory (Surefire's working directory), or
 * {@code -Dnnzip.models.dir=...}.
 */
class ReferenceModelsOracleTest {
    static final Path MODELS_DIR = Path.of(System.getProperty("nnzip.models.dir", "../models"));
    static final int THREADS = 2;
    /** Images in the batch whose logits are compared one by one. */
    static final int LOGIT_BATCH = 64;
    /** Relative tolerance on each logit, plus the same fraction of the batch's largest |logit| as absolute slack. */
    static final double RTOL = 1e-4;
    /**
     * Images whose top-1 result may differ between engines: float sums in another order can flip a near-tie, nothing
     * more (the logits test bounds the difference itself).
     */
    static final int ACCURACY_SLACK = 2;

    static LabeledImages testSet;
    static final Map<Path, Accuracy> ORT_ACCURACY = new ConcurrentHashMap<>();

    @BeforeAll
    static void loadTestSet() {
        Path dir = FashionMnist.defaultDir();
        assumeTrue(FashionMnist.isInstalled(dir), "Fashion-MNIST (Debian dataset-fashion-mnist) not installed in " + dir);
        testSet = FashionMnist.at(dir).test();
    }

    static List<Path> models() throws IOException {
        assertThat(MODELS_DIR.resolve("models.json")).as("reference models manifest").isRegularFile();
        try (Stream<Path> files = Files.list(MODELS_DIR)) {
            List<Path> models = files.filter(p -> p.getFileName().toString().endsWith(".onnx")).sorted().toList();
            assertThat(models).as("reference models in " + MODELS_DIR.toAbsolutePath().normalize()).isNotEmpty();
            return models;
        }
    }

    static Accuracy ortAccuracy(Path model) {
        return ORT_ACCURACY.computeIfAbsent(model, m -> {
            try (var ort = new OrtClassifier(m, THREADS)) {
                return ClassifierEvaluator.evaluate(ort, testSet, settings());
            } catch (Exception e) {
                throw new IllegalStateException("ONNX Runtime on " + m + ": " + e.getMessage(), e);
            }
        });
    }

    static ClassifierEvaluator.Settings settings() {
        return ClassifierEvaluator.Settings.defaults().withBatchSize(250).withThreads(THREADS);
    }

    /** Checks the oracle itself: ORT reproduces what the training script measured in PyTorch, on the same file. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void ortReproducesTheAccuracyRecordedAtTraining(Path model) throws Exception {
        Manifest.Entry recorded = Manifest.read(MODELS_DIR.resolve("models.json"), model.getFileName().toString());
        assertThat(sha256(model)).as("SHA-256 of %s against models.json", model).isEqualTo(recorded.sha256());
        Accuracy ort = ortAccuracy(model);
        System.out.printf("%-20s ORT %s, PyTorch at training %d / 10000%n", model.getFileName(), ort,
                recorded.testCorrect());
        assertThat(ort.total()).isEqualTo(10_000);
        assertThat(ort.correct()).isBetween(recorded.testCorrect() - ACCURACY_SLACK, recorded.testCorrect() + ACCURACY_SLACK);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void nnzipLogitsMatchOrtOnRealImages(Path model) throws Exception {
        Tensor images = testSet.images(0, LOGIT_BATCH);
        Tensor expected;
        try (var ort = new OrtClassifier(model, THREADS)) {
            expected = ort.scores(images);
        }
        Tensor actual;
        try (Model m = Nnz.load(model); var nnzip = new ModelClassifier(m, THREADS)) {
            actual = nnzip.scores(images);
        }
        assertThat(actual.shape()).containsExactly(expected.shape());
        float[] e = expected.floats();
        float[] a = actual.floats();
        double maxAbs = 0;
        for (float v : e) {
            maxAbs = Math.max(maxAbs, Math.abs(v));
        }
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < e.length; i++) {
            double excess = Math.abs(a[i] - e[i]) / (RTOL * (Math.abs(e[i]) + maxAbs));
            if (excess > worst) {
                worst = excess;
                worstAt = i;
            }
        }
        int classes = expected.dim(1);
        System.out.printf("%-20s logits of %d images: worst |nnzip - ORT| / tolerance = %.3f%n", model.getFileName(),
                LOGIT_BATCH, worst);
        assertThat(worst).as("worst error relative to tolerance at image %d class %d: nnzip %s, ORT %s",
                worstAt / classes, worstAt % classes, worstAt < 0 ? "-" : a[worstAt], worstAt < 0 ? "-" : e[worstAt])
                .isLessThanOrEqualTo(1.0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void nnzipAccuracyMatchesOrtOnAllTestImages(Path model) {
        Accuracy ort = ortAccuracy(model);
        Accuracy nnzip;
        try (Model m = Nnz.load(model)) {
            nnzip = ClassifierEvaluator.evaluate(m, testSet, settings());
        }
        System.out.printf("%-20s top-1 on Fashion-MNIST test: nnzip %s, ORT %s%n", model.getFileName(), nnzip, ort);
        assertThat(nnzip.total()).isEqualTo(ort.total());
        assertThat(nnzip.correct()).isBetween(ort.correct() - ACCURACY_SLACK, ort.correct() + ACCURACY_SLACK);
    }

    static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /**
     * The two fields this test needs from models/models.json. The file is written by the training script with
     * json.dump(indent=2) and one object per model in which "file" comes before "sha256" and "test_correct"; a
     * full JSON parser is not a dependency of nnzip-core.
     */
    static final class Manifest {
        record Entry(String sha256, int testCorrect) {
        }

        static Entry read(Path manifest, String file) throws IOException {
            String json = Files.readString(manifest);
            int at = json.indexOf("\"file\": \"" + file + "\"");
            assertThat(at).as("%s lists %s", manifest, file).isNotNegative();
            int next = json.indexOf("\"file\": ", at + 1); // the next model's entry, if any, bounds this one
            String entry = json.substring(at, next < 0 ? json.length() : next);
            return new Entry(field(entry, "\"sha256\": \"([0-9a-f]{64})\"", manifest, file),
                    Integer.parseInt(field(entry, "\"test_correct\": (\\d+)", manifest, file)));
        }

        private static String field(String entry, String regex, Path manifest, String file) {
            Matcher m = Pattern.compile(regex).matcher(entry);
            assertThat(m.find()).as("%s: %s has %s", manifest, file, regex).isTrue();
            return m.group(1);
        }
    }
}
