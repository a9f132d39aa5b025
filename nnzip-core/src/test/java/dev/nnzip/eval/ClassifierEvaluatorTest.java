package dev.nnzip.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nnzip.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassifierEvaluatorTest {
    /**
     * 50 images of 2x2 pixels whose label is i % 3 and whose pixels all equal i (so a classifier can read the image
     * index back from the batch and decide per image whether to be right).
     */
    static LabeledImages numbered(int n) {
        byte[] pixels = new byte[n * 4];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(pixels, i * 4, i * 4 + 4, (byte) i);
            labels[i] = (byte) (i % 3);
        }
        return new LabeledImages("numbered", 2, 2, 3, pixels, labels);
    }

    /** Scores that pick i % 3 (the label) unless i is a multiple of 5, then (i + 1) % 3 (wrong). */
    static Tensor scoresRightUnlessMultipleOf5(Tensor images) {
        int n = images.dim(0);
        float[] scores = new float[n * 3];
        for (int k = 0; k < n; k++) {
            int i = Math.round(images.floats()[k * 4] * 255);
            int pick = i % 5 == 0 ? (i + 1) % 3 : i % 3;
            scores[k * 3 + pick] = 1;
            scores[k * 3 + (pick + 1) % 3] = -1;
        }
        return Tensor.of(scores, n, 3);
    }

    @Test
    void countsCorrectPredictionsAcrossUnevenBatches() {
        List<Integer> batchSizes = new ArrayList<>();
        BatchClassifier c = images -> {
            batchSizes.add(images.dim(0));
            assertThat(images.shape()).containsExactly(images.dim(0), 1, 2, 2);
            return scoresRightUnlessMultipleOf5(images);
        };
        Accuracy a = ClassifierEvaluator.evaluate(c, numbered(50),
                ClassifierEvaluator.Settings.defaults().withBatchSize(7));
        // images 0, 5, ..., 45 are wrong: 10 of 50
        assertThat(a.correct()).isEqualTo(40);
        assertThat(a.total()).isEqualTo(50);
        assertThat(a.accuracy()).isEqualTo(0.8);
        assertThat(batchSizes).containsExactly(7, 7, 7, 7, 7, 7, 7, 1);
    }

    @Test
    void limitEvaluatesOnlyTheFirstImages() {
        Accuracy a = ClassifierEvaluator.evaluate(ClassifierEvaluatorTest::scoresRightUnlessMultipleOf5, numbered(50),
                ClassifierEvaluator.Settings.defaults().withBatchSize(4).withLimit(11));
        assertThat(a).isEqualTo(new Accuracy(8 / 11.0, 8, 11)); // 0, 5 and 10 wrong
        Accuracy all = ClassifierEvaluator.evaluate(ClassifierEvaluatorTest::scoresRightUnlessMultipleOf5, numbered(50),
                ClassifierEvaluator.Settings.defaults().withLimit(1000));
        assertThat(all.total()).isEqualTo(50);
    }

    @Test
    void wrongScoreShapeIsReported() {
        BatchClassifier broken = images -> Tensor.of(new float[3], 3);
        assertThatThrownBy(() -> ClassifierEvaluator.evaluate(broken, numbered(3),
                ClassifierEvaluator.Settings.defaults()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("classifier returned scores [3] for 3 images, expected [3, classes]");
    }

    @Test
    void settingsAreValidated() {
        assertThatThrownBy(() -> new ClassifierEvaluator.Settings(0, 1, 0)).hasMessageContaining("batch size");
        assertThatThrownBy(() -> new ClassifierEvaluator.Settings(1, 0, 0)).hasMessageContaining("threads");
        assertThatThrownBy(() -> new ClassifierEvaluator.Settings(1, 1, -1)).hasMessageContaining("limit");
    }

    @Test
    void top1TakesFirstMaximumAndIgnoresNaN() {
        Tensor scores = Tensor.of(new float[] {
            1, 3, 3, 2,
            Float.NaN, -1, -2, Float.NaN,
            Float.NaN, Float.NaN, Float.NaN, Float.NaN,
            Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY,
        }, 4, 4);
        assertThat(Top1.classes(scores)).containsExactly(1, 1, -1, 0);
        assertThat(Top1.classes(Tensor.of(new double[] {0.1, 0.7, 0.2}, 1, 3))).containsExactly(1);
        assertThatThrownBy(() -> Top1.classes(Tensor.of(new float[4], 4)))
                .hasMessageContaining("scores must be [n, classes]");
    }

    @Test
    void accuracyRejectsImpossibleCounts() {
        assertThat(Accuracy.of(0, 0).accuracy()).isZero();
        assertThatThrownBy(() -> Accuracy.of(5, 4)).hasMessageContaining("0 <= correct <= total");
    }

    /** Scores that pick i % 3 (the label) unless i is a multiple of 7, then (i + 2) % 3 (wrong). */
    static Tensor scoresRightUnlessMultipleOf7(Tensor images) {
        int n = images.dim(0);
        float[] scores = new float[n * 3];
        for (int k = 0; k < n; k++) {
            int i = Math.round(images.floats()[k * 4] * 255);
            scores[k * 3 + (i % 7 == 0 ? (i + 2) % 3 : i % 3)] = 1;
        }
        return Tensor.of(scores, n, 3);
    }

    @Test
    void comparisonCountsBrokenFixedAndChangedPredictionsAgainstTheReference() {
        // Reference wrong on 0, 5, ..., 45 (10 images); candidate wrong on 0, 7, ..., 49 (8). Broken = candidate-only
        // errors 7, 14, 21, 28, 42, 49; fixed = reference-only errors 5, 10, 15, 20, 25, 30, 40, 45; 0 and 35 are wrong
        // in both but with different classes, so they change without being broken or fixed.
        var c = ClassifierEvaluator.compare(ClassifierEvaluatorTest::scoresRightUnlessMultipleOf7,
                ClassifierEvaluatorTest::scoresRightUnlessMultipleOf5, numbered(50),
                ClassifierEvaluator.Settings.defaults().withBatchSize(8));
        assertThat(c.accuracy().correct()).isEqualTo(42);
        assertThat(c.reference().correct()).isEqualTo(40);
        assertThat(c.changes()).isEqualTo(new PredictionChanges(6, 8, 16, 50));
        assertThat(c.changes().dropPoints()).isCloseTo(-4.0, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(c.changes().standardErrorPoints())
                .isCloseTo(100 * Math.sqrt(14) / 50, org.assertj.core.data.Offset.offset(1e-12));
        // Against itself nothing changes; a limit compares only the first images.
        var same = ClassifierEvaluator.compare(ClassifierEvaluatorTest::scoresRightUnlessMultipleOf5,
                ClassifierEvaluatorTest::scoresRightUnlessMultipleOf5, numbered(50),
                ClassifierEvaluator.Settings.defaults().withLimit(20));
        assertThat(same.changes()).isEqualTo(new PredictionChanges(0, 0, 0, 20));
    }

    @Test
    void predictionChangesRejectInconsistentCounts() {
        assertThatThrownBy(() -> new PredictionChanges(3, 2, 4, 10)).hasMessageContaining("changed 4");
    }
}
