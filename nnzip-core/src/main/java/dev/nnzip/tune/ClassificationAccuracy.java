package dev.nnzip.tune;

import dev.nnzip.eval.ClassifierEvaluator;
import dev.nnzip.eval.LabeledImages;
import dev.nnzip.runtime.Model;

/** Top-1 accuracy in percent on a fixed set of labelled images. */
public final class ClassificationAccuracy implements QualityMetric {
    private final LabeledImages data;
    private final ClassifierEvaluator.Settings settings;

    public ClassificationAccuracy(LabeledImages data, int threads) {
        if (data.size() == 0) {
            throw new IllegalArgumentException("no images to measure accuracy on (" + data + ")");
        }
        this.data = data;
        this.settings = ClassifierEvaluator.Settings.defaults().withThreads(threads);
    }

    @Override
    public String describe() {
        return "top-1 accuracy (%) on " + data;
    }

    @Override
    public double score(Model model) {
        return 100.0 * ClassifierEvaluator.evaluate(model, data, settings).accuracy();
    }

    /** Images in the set. */
    public int size() {
        return data.size();
    }
}
