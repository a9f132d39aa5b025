package dev.nnzip.compress.bias;

import dev.nnzip.compress.OptionNames;

/**
 * Where the compressor learns the mean input of each layer for bias correction, or {@link #NONE}.
 *
 * <p>Bias correction (Nagel, van Baalen, Blankevoort and Welling, "Data-Free Quantization Through Weight Equalization
 * and Bias Correction", ICCV 2019, §4.2; Banner, Nahshan and Soudry, "Post training 4-bit quantization of
 * convolutional networks for rapid-deployment", NeurIPS 2019): a lossy codec turns a layer's weights {@code W} into
 * {@code Ŵ = W + ε}, which moves the mean of output channel {@code m} by {@code (ε E[x])_m}. The error of one weight is
 * bounded, but the errors of a row do not cancel in expectation once they are multiplied by inputs whose mean is not
 * zero (post-ReLU activations are all positive), so a deep network accumulates a systematic shift layer after layer.
 * Subtracting {@code ε E[x]} from the layer's bias removes it exactly at the cost of a bias vector: {@code b' = b −
 * ε E[x]}. {@link BiasCorrector} does the algebra on the weights the codec really reconstructs.
 */
public enum BiasCorrection {
    /** No correction: the biases are compressed as they are. */
    NONE,
    /**
     * Data-free (Nagel et al. §4.2): the input of a layer fed by a BatchNormalization (through ReLU or Clip, residual
     * Adds, global average pooling, Flatten) has, per channel, the mean of a normal {@code N(β, γ²)} clipped by the
     * activation ({@link BatchNormInputMeans}). Layers whose input is not traced to BatchNormalization statistics are
     * left uncorrected.
     */
    BN,
    /**
     * Empirical: the mean input of every correctable layer measured by running the original model on calibration inputs
     * ({@link MeasuredInputMeans}); exact for the calibration data, and it covers layers with no BatchNormalization.
     */
    DATA,
    /**
     * Empirical, layer by layer ({@link SequentialBiasCorrection}): each layer's bias is moved by the difference between
     * its mean output in the compressed model (earlier layers already corrected, biases as decoded) and in the original,
     * both measured on calibration inputs; this also absorbs the shifts that reach a layer from the layers before it.
     */
    SEQUENTIAL;

    /** {@code none}, {@code bn}, {@code data} or {@code sequential} (any case); the error lists the valid names. */
    public static BiasCorrection parse(String s) {
        return OptionNames.parse(BiasCorrection.class, "bias correction", s);
    }

    /** The lower-case name the CLI takes. */
    public String cliName() {
        return OptionNames.of(this);
    }
}
