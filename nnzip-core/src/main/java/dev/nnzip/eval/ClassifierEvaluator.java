package dev.nnzip.eval;

import dev.nnzip.runtime.Model;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;

/**
 * Top-1 accuracy of an image classifier over a labelled image set, in batches. Works for any model with one image
 * input [N, 1, rows, cols] and a first output of scores [N, classes] (see {@link ModelClassifier}).
 */
public final class ClassifierEvaluator {
    private ClassifierEvaluator() {
    }

    /**
     * How to evaluate.
     *
     * @param batchSize images per run
     * @param threads   session threads (for a {@link Model}; ignored for a given {@link BatchClassifier})
     * @param limit     evaluate only the first {@code limit} images; 0 = all
     */
    public record Settings(int batchSize, int threads, int limit) {
        public Settings {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be >= 1, was " + batchSize);
            }
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1, was " + threads);
            }
            if (limit < 0) {
                throw new IllegalArgumentException("limit must be >= 0 (0 = all images), was " + limit);
            }
        }

        /** Batches of 100, one thread per processor, all images. */
        public static Settings defaults() {
            return new Settings(100, Runtime.getRuntime().availableProcessors(), 0);
        }

        public Settings withBatchSize(int n) {
            return new Settings(n, threads, limit);
        }

        public Settings withThreads(int n) {
            return new Settings(batchSize, n, limit);
        }

        public Settings withLimit(int n) {
            return new Settings(batchSize, threads, n);
        }
    }

    /** Runs {@code model} over {@code data} with its own session of {@code settings.threads()} threads. */
    public static Accuracy evaluate(Model model, LabeledImages data, Settings settings) {
        try (var classifier = new ModelClassifier(model, settings.threads())) {
            return evaluate(classifier, data, settings);
        }
    }

    public static Accuracy evaluate(BatchClassifier classifier, LabeledImages data, Settings settings) {
        int total = settings.limit() == 0 ? data.size() : Math.min(settings.limit(), data.size());
        int correct = 0;
        for (int from = 0; from < total; from += settings.batchSize()) {
            int to = Math.min(total, from + settings.batchSize());
            int[] predicted = predictions(classifier, data.images(from, to), to - from);
            for (int i = 0; i < predicted.length; i++) {
                if (predicted[i] == data.label(from + i)) {
                    correct++;
                }
            }
        }
        return Accuracy.of(correct, total);
    }

    /**
     * A classifier and a reference on the same images.
     *
     * @param accuracy  the classifier's top-1
     * @param reference the reference's top-1
     * @param changes   the classifier's predictions against the reference's
     */
    public record Comparison(Accuracy accuracy, Accuracy reference, PredictionChanges changes) {
    }

    /** {@link #compare(BatchClassifier, BatchClassifier, LabeledImages, Settings)} with a session per model. */
    public static Comparison compare(Model model, Model reference, LabeledImages data, Settings settings) {
        try (var classifier = new ModelClassifier(model, settings.threads());
             var referenceClassifier = new ModelClassifier(reference, settings.threads())) {
            return compare(classifier, referenceClassifier, data, settings);
        }
    }

    /** Runs both classifiers over {@code data}, batch by batch, and counts where their top-1 predictions differ. */
    public static Comparison compare(BatchClassifier classifier, BatchClassifier reference, LabeledImages data,
                                     Settings settings) {
        int total = settings.limit() == 0 ? data.size() : Math.min(settings.limit(), data.size());
        PredictionChanges changes = new PredictionChanges(0, 0, 0, 0);
        int correct = 0;
        int referenceCorrect = 0;
        for (int from = 0; from < total; from += settings.batchSize()) {
            int to = Math.min(total, from + settings.batchSize());
            Tensor images = data.images(from, to);
            int[] predicted = predictions(classifier, images, to - from);
            int[] expected = predictions(reference, images, to - from);
            int[] labels = new int[to - from];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = data.label(from + i);
                correct += predicted[i] == labels[i] ? 1 : 0;
                referenceCorrect += expected[i] == labels[i] ? 1 : 0;
            }
            changes = changes.plus(PredictionChanges.count(expected, predicted, labels));
        }
        return new Comparison(Accuracy.of(correct, total), Accuracy.of(referenceCorrect, total), changes);
    }

    private static int[] predictions(BatchClassifier classifier, Tensor images, int n) {
        Tensor scores = classifier.scores(images);
        if (scores.rank() != 2 || scores.dim(0) != n) {
            throw new IllegalStateException("classifier returned scores " + Arrays.toString(scores.shape())
                    + " for " + n + " images, expected [" + n + ", classes]");
        }
        return Top1.classes(scores);
    }
}
