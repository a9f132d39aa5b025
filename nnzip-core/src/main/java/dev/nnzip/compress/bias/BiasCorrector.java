package dev.nnzip.compress.bias;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Bias correction at compression time (Nagel et al., ICCV 2019, §4.2): once a layer's weight has been encoded and
 * decoded again, the mean shift its error causes, {@code Δ_m = Σ ε[m, ·] E[x]} with {@code ε = Ŵ − W} the error of the
 * weights the codec <em>really reconstructs</em>, is subtracted from the layer's bias before that bias is encoded.
 * The mean of every corrected output channel over the input distribution the means came from is then the original
 * one, up to the bias's own (bounded) coding error.
 *
 * <p>Weights must be reported ({@link #weightEncoded}) before their biases are asked for ({@link #correctedBias}); the
 * compressor writes the corrected biases last. A weight stored exactly has {@code ε = 0}, so its bias comes back
 * bit-identical.
 */
public final class BiasCorrector {
    private final Map<String, List<CorrectableLayer>> byWeight = new HashMap<>();
    private final Map<String, CorrectableLayer> byBias = new LinkedHashMap<>();
    private final Map<String, double[]> tapMeans;
    private final Map<String, double[]> shifts = new HashMap<>();

    /**
     * @param layers   the layers to correct, each with a bias of its own
     * @param tapMeans each layer's input means ({@link TapMeans} layout) by {@link CorrectableLayer#output()}
     */
    public BiasCorrector(List<CorrectableLayer> layers, Map<String, double[]> tapMeans) {
        for (CorrectableLayer l : layers) {
            if (!tapMeans.containsKey(l.output())) {
                throw new IllegalArgumentException("no input means for layer '" + l.output() + "'");
            }
            if (byBias.put(l.bias(), l) != null) {
                throw new IllegalArgumentException("bias '" + l.bias() + "' belongs to two layers");
            }
            byWeight.computeIfAbsent(l.weight(), k -> new java.util.ArrayList<>()).add(l);
        }
        this.tapMeans = Map.copyOf(tapMeans);
    }

    /** The biases this corrector changes. */
    public Set<String> biases() {
        return byBias.keySet();
    }

    /** Records the coding error of {@code weight} (shape {@code shape}) for the layers that use it. */
    public void weightEncoded(String weight, int[] shape, float[] original, float[] decoded) {
        for (CorrectableLayer l : byWeight.getOrDefault(weight, List.of())) {
            shifts.put(l.bias(), shift(l, shape, original, decoded, tapMeans.get(l.output())));
        }
    }

    /**
     * {@code bias} minus its layer's mean shift ({@code b − (alpha/beta)·Δ} for Gemm, {@code b − Δ} otherwise; in
     * double, rounded once).
     *
     * @throws IllegalStateException if the layer's weight has not been reported yet
     */
    public float[] correctedBias(String bias, float[] original) {
        CorrectableLayer l = byBias.get(bias);
        double[] delta = shifts.get(bias);
        if (l == null || delta == null) {
            throw new IllegalStateException("bias '" + bias + "' has no correction: its layer's weight was not"
                    + " encoded yet, or it is not a corrected bias");
        }
        if (original.length != delta.length) {
            throw new IllegalArgumentException("bias '" + bias + "' has " + original.length + " values, its layer "
                    + delta.length + " output channels");
        }
        float[] out = new float[original.length];
        for (int m = 0; m < out.length; m++) {
            out[m] = delta[m] == 0 ? original[m] : (float) (original[m] - l.weightGain() / l.biasGain() * delta[m]);
        }
        return out;
    }

    /**
     * {@code Δ_m}: the weight error of output channel m contracted with the input means. Conv: {@code W [M, C/G, taps]},
     * output m of group {@code g = m / (M/G)} reads input channels {@code g·C/G ...}; Gemm/MatMul: {@code W [K, N]}
     * ({@code [N, K]} with transB).
     */
    static double[] shift(CorrectableLayer l, int[] shape, float[] original, float[] decoded, double[] means) {
        int channels = CorrectableLayers.channels(l, shape);
        double[] delta = new double[channels];
        switch (l.kind()) {
            case CONV -> {
                int perGroupIn = shape[1];
                int taps = original.length / (shape[0] * perGroupIn);
                int perGroupOut = shape[0] / l.group();
                if (means.length != perGroupIn * l.group() * taps) {
                    throw new IllegalArgumentException("layer '" + l.output() + "': " + means.length + " input means"
                            + " for " + perGroupIn * l.group() + " channels of " + taps + " taps");
                }
                int row = perGroupIn * taps;
                for (int m = 0; m < channels; m++) {
                    int inBase = (m / perGroupOut) * row;
                    double acc = 0;
                    for (int i = 0; i < row; i++) {
                        int w = m * row + i;
                        acc += ((double) decoded[w] - original[w]) * means[inBase + i];
                    }
                    delta[m] = acc;
                }
            }
            case GEMM, MATMUL -> {
                int k = original.length / channels;
                if (means.length != k) {
                    throw new IllegalArgumentException("layer '" + l.output() + "': " + means.length + " input means"
                            + " for " + k + " input features");
                }
                for (int a = 0; a < k; a++) {
                    for (int n = 0; n < channels; n++) {
                        int w = l.transB() ? n * k + a : a * channels + n;
                        delta[n] += ((double) decoded[w] - original[w]) * means[a];
                    }
                }
            }
        }
        return delta;
    }
}
