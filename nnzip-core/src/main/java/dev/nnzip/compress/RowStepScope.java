package dev.nnzip.compress;


/**
 * Which layer weights get one bucket width per row (output channel) instead of one per tensor, for a codec that can
 * ({@code smartdnn:rowsteps=true}, {@code codec.smartdnn.RowSteps}). A rule on the kind of layer, never on its name.
 *
 * <p>Why per-row widths are not simply on everywhere: they buy precision for rows narrower than the tensor, which is
 * what a filter needs when its output channels carry scales of their own, and cost bytes on every tensor (4–5 % of the
 * file on the dense reference models, docs/BENCHMARKS.md, session 4). Channels get scales of their own when a
 * BatchNormalization's {@code γ/σ} is folded into the filter (compress.BatchNormFolder), and the spread is worst in
 * depthwise convolutions, where no other input channel averages it out: after folding, MobileNetV2's depthwise
 * channels span orders of magnitude and one step per tensor loses most of the accuracy (Nagel et al., "Data-Free
 * Quantization Through Weight Equalization and Bias Correction", ICCV 2019, §3.1 and Fig. 2; Krishnamoorthi,
 * "Quantizing deep convolutional networks for efficient inference", 2018, §3: per-channel steps are needed for the
 * depthwise layers of MobileNets).
 */
public enum RowStepScope {
    /** One width per tensor everywhere. */
    NONE,
    /** Filters of grouped convolutions ({@code group} > 1, depthwise included). */
    GROUPED,
    /** Filters into which a BatchNormalization was folded at compression time. */
    FOLDED,
    /** Every lossy layer weight. */
    ALL;

    /**
     * Whether a layer weight gets per-row widths.
     *
     * @param grouped whether it is the filter of a Conv/ConvTranspose with {@code group} > 1
     * @param folded  whether a BatchNormalization was folded into it
     */
    public boolean covers(boolean grouped, boolean folded) {
        return switch (this) {
            case NONE -> false;
            case GROUPED -> grouped;
            case FOLDED -> folded;
            case ALL -> true;
        };
    }

    /** Parses {@code none}, {@code grouped}, {@code folded} or {@code all} (any case); the error lists the valid names. */
    public static RowStepScope parse(String text) {
        return OptionNames.parse(RowStepScope.class, "row-step scope", text);
    }

    @Override
    public String toString() {
        return OptionNames.of(this);
    }
}
