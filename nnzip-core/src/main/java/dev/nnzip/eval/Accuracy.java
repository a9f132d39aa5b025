package dev.nnzip.eval;

/**
 * Top-1 accuracy over a set of labelled examples.
 *
 * @param accuracy {@code correct / total} (0 when {@code total} is 0)
 * @param correct  examples whose highest-scoring class is the label
 * @param total    examples evaluated
 */
public record Accuracy(double accuracy, int correct, int total) {
    public Accuracy {
        if (total < 0 || correct < 0 || correct > total) {
            throw new IllegalArgumentException("need 0 <= correct <= total, got " + correct + " of " + total);
        }
    }

    public static Accuracy of(int correct, int total) {
        return new Accuracy(total == 0 ? 0 : (double) correct / total, correct, total);
    }

    @Override
    public String toString() {
        return String.format("%.2f %% (%d / %d)", 100 * accuracy, correct, total);
    }
}
