package dev.nnzip.eval;

/**
 * How a classifier's top-1 predictions changed against a reference classifier's (say, a compressed model against its
 * original) on the same labelled images.
 *
 * <p>Why count them rather than compare two accuracies: the drop {@code (broken − fixed)/total} is a net of two
 * counts, and its noise is set by how many predictions changed. With each changed prediction taken as a ±1 the
 * standard error of the drop is {@code sqrt(broken + fixed)/total} (the paired, McNemar-style comparison of two
 * classifiers on one test set: Dietterich, "Approximate Statistical Tests for Comparing Supervised Classification
 * Learning Algorithms", Neural Computation 10(7), 1998, §3.1), which two accuracies alone cannot give.
 *
 * @param broken  images the reference gets right and this classifier gets wrong
 * @param fixed   images the reference gets wrong and this classifier gets right
 * @param changed images whose predicted class differs (includes ones both get wrong)
 * @param total   images compared
 */
public record PredictionChanges(int broken, int fixed, int changed, int total) {
    public PredictionChanges {
        if (broken < 0 || fixed < 0 || total < 0 || changed < broken + fixed || changed > total) {
            throw new IllegalArgumentException("need 0 <= broken, fixed; broken + fixed <= changed <= total, got"
                    + " broken " + broken + ", fixed " + fixed + ", changed " + changed + ", total " + total);
        }
    }

    /** The reference's accuracy minus this classifier's, in percentage points (positive = a loss). */
    public double dropPoints() {
        return total == 0 ? 0 : 100.0 * (broken - fixed) / total;
    }

    /** The standard error of {@link #dropPoints()}, in percentage points: {@code 100·sqrt(broken + fixed)/total}. */
    public double standardErrorPoints() {
        return total == 0 ? 0 : 100.0 * Math.sqrt(broken + fixed) / total;
    }

    /** Counts one image from the reference's prediction, this classifier's and the label. */
    static PredictionChanges count(int[] reference, int[] predicted, int[] labels) {
        if (reference.length != predicted.length || predicted.length != labels.length) {
            throw new IllegalArgumentException("need one reference prediction, prediction and label per image, got "
                    + reference.length + ", " + predicted.length + ", " + labels.length);
        }
        int broken = 0;
        int fixed = 0;
        int changed = 0;
        for (int i = 0; i < labels.length; i++) {
            boolean before = reference[i] == labels[i];
            boolean after = predicted[i] == labels[i];
            if (before && !after) {
                broken++;
            } else if (!before && after) {
                fixed++;
            }
            if (reference[i] != predicted[i]) {
                changed++;
            }
        }
        return new PredictionChanges(broken, fixed, changed, labels.length);
    }

    /** The sum of two counts over disjoint image sets. */
    PredictionChanges plus(PredictionChanges o) {
        return new PredictionChanges(broken + o.broken, fixed + o.fixed, changed + o.changed, total + o.total);
    }
}
